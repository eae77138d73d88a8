import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AGENT_SOCKET_EVENTS, CUSTOMER_SOCKET_EVENTS } from '@kefu/shared';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../src/auth/agents.ts';
import { systemActor } from '../../src/deps.ts';
import { saveSecuritySettings } from '../../src/settings/settings.ts';
import { customerSession, listen, type SetupIds, seedSupportDesk } from '../helpers/realtime.ts';
import {
  createTestKefu,
  loginCookie,
  seedAgent,
  type TestAgent,
  type TestKefu,
} from '../helpers/test-kefu.ts';
import {
  AUTHZ_MATRIX,
  type Expectation,
  PARTIES,
  type Party,
  SOCKET_MATRIX,
} from './authz-matrix.ts';

/**
 * Enumerates the committed authorization matrix (authz-matrix.ts) against a running server:
 * every route of the OpenAPI document and every socket event of the catalog, as each party, on
 * resources that belong to customer A and to the agent's team (a fresh conversation per route, its
 * attachment, a draft article…). Fails on any difference, and on any route or event missing from
 * the table. `KEFU_AUTHZ_WRITE=1` writes what the server does to authz-matrix.observed.json, to
 * review when routes are added.
 */

let kefu: TestKefu;
let url: string;
let desk: SetupIds;
const cookies: Partial<Record<Party, string>> = {};
const tokens: { customerA: string; customerB: string; contactA: string } = {
  customerA: '',
  customerB: '',
  contactA: '',
};
let agent: TestAgent;
let admin: TestAgent;
const accounts: Partial<Record<Party, TestAgent>> = {};

/** A route may sign a party out (logout, revoked sessions) or require 2FA: start each one fresh. */
async function refreshSessions(): Promise<void> {
  await saveSecuritySettings(kefu.database.db, { requireTwoFactor: false });
  for (const [party, account] of Object.entries(accounts) as [Party, TestAgent][]) {
    const me = await kefu.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: account.cookie },
    });
    if (me.statusCode === 200) continue;
    account.cookie = await loginCookie(kefu, account.email, account.password);
    cookies[party] = account.cookie;
  }
}

beforeAll(async () => {
  kefu = await createTestKefu({ env: { KEFU_RATE_LIMIT_PUBLIC: '100000' } });
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  agent = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn] });
  accounts.agent = agent;
  accounts.otherTeamAgent = await seedAgent(kefu, 'agent', {
    teamIds: [desk.teamZh],
    languages: ['zh-CN'],
  });
  accounts.supervisor = await seedAgent(kefu, 'supervisor', { teamIds: [desk.teamEn] });
  admin = await seedAgent(kefu, 'admin');
  accounts.admin = admin;
  for (const [party, account] of Object.entries(accounts) as [Party, TestAgent][])
    cookies[party] = account.cookie;
  const a = await customerSession(url, desk.siteToken);
  tokens.customerA = a.contactToken;
  tokens.contactA = a.contactId;
  tokens.customerB = (await customerSession(url, desk.siteToken)).contactToken;
});
afterAll(() => kefu.close());

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Fresh resources for one route: customer A's conversation in the agent's team, and so on. */
async function fixtures() {
  await refreshSessions();
  const sent = await kefu.app.inject({
    method: 'POST',
    url: '/api/v1/customer/messages',
    headers: { authorization: `Bearer ${tokens.customerA}` },
    payload: { clientMessageId: `authz-${randomUUID()}`, text: 'My deposit has not arrived' },
  });
  const conversationId = (sent.json() as { message: { conversationId: string } }).message
    .conversationId;
  const moved = await kefu.app.inject({
    method: 'POST',
    url: `/api/v1/conversations/${conversationId}/transfer`,
    headers: { cookie: admin.cookie },
    payload: { teamId: desk.teamEn },
  });
  if (moved.statusCode !== 200) throw new Error(`transfer ${moved.statusCode} ${moved.body}`);
  const number = (
    (
      await kefu.app.inject({
        method: 'GET',
        url: `/api/v1/conversations/${conversationId}`,
        headers: { cookie: admin.cookie },
      })
    ).json() as { number: number }
  ).number;
  const boundary = 'authzboundary';
  const upload = await kefu.app.inject({
    method: 'POST',
    url: '/api/v1/customer/attachments',
    headers: {
      authorization: `Bearer ${tokens.customerA}`,
      'content-type': `multipart/form-data; boundary=${boundary}`,
    },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="receipt.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      PNG,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  });
  const attachmentId = (upload.json() as { id: string }).id;
  await kefu.app.inject({
    method: 'POST',
    url: '/api/v1/customer/messages',
    headers: { authorization: `Bearer ${tokens.customerA}` },
    payload: {
      clientMessageId: `authz-${randomUUID()}`,
      conversationId,
      text: 'Receipt attached',
      attachmentIds: [attachmentId],
    },
  });
  const slug = `draft-${randomUUID().slice(0, 8)}`;
  const article = await kefu.app.inject({
    method: 'POST',
    url: '/api/v1/articles',
    headers: { cookie: admin.cookie },
    payload: {
      slug,
      locale: 'en',
      title: 'Unreleased listing',
      body: 'Not public yet.',
      category: 'announcements',
      status: 'draft',
    },
  });
  if (article.statusCode !== 201) throw new Error(`article ${article.statusCode} ${article.body}`);
  const articleId = (article.json() as { id: string }).id;
  // An agent the route may act on (reset, disable…), so the parties' own accounts stay usable.
  const target = await createAgent(kefu.deps, systemActor, {
    email: `target-${randomUUID().slice(0, 8)}@kefu-test.example`,
    name: 'Target',
    role: 'agent',
    password: `pw-${randomUUID()}`,
    languages: ['en'],
    skills: [],
    capacity: 5,
    teamIds: [],
  });
  return {
    conversationId,
    number,
    attachmentId,
    articleId,
    slug,
    agentId: target.id,
    contactId: tokens.contactA,
  };
}

type Fixtures = Awaited<ReturnType<typeof fixtures>>;

/** The route with its parameters filled from the fixtures; `mapped` when the id is a real one. */
function fill(path: string, f: Fixtures): { target: string; mapped: boolean } {
  let mapped = false;
  const target = path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const real = (value: string | number) => {
      mapped = true;
      return String(value);
    };
    if (name === 'locale') return 'en';
    if (name === 'slug') return real(f.slug);
    if (name === 'number') return real(f.number);
    if (name !== 'id') return randomUUID();
    if (/\/conversations\/\{id\}/.test(path)) return real(f.conversationId);
    if (path.startsWith('/api/v1/attachments/')) return real(f.attachmentId);
    if (path.startsWith('/api/v1/articles/') || path.startsWith('/api/v1/kb/articles/'))
      return real(f.articleId);
    if (path.startsWith('/api/v1/agents/')) return real(f.agentId);
    if (path.startsWith('/api/v1/contacts/')) return real(f.contactId);
    if (path.startsWith('/api/v1/teams/')) return real(desk.teamEn);
    return randomUUID();
  });
  return { target, mapped };
}

/** Bodies that pass validation, so checks made after it (who may see the ticket) are reached. */
function bodyFor(method: string, path: string, f: Fixtures): unknown {
  if (method === 'GET' || method === 'DELETE') return undefined;
  const bodies: Record<string, unknown> = {
    'POST /api/v1/customer/email': { email: 'authz.customer@example.com' },
    'POST /api/v1/conversations/{id}/messages': { text: 'We are checking.' },
    'PATCH /api/v1/conversations/{id}': { priority: 'high' },
    'POST /api/v1/conversations/{id}/assign': { agentId: agent.id },
    'POST /api/v1/conversations/{id}/status': { status: 'pending' },
    'POST /api/v1/conversations/{id}/transfer': { teamId: desk.teamEn },
    'POST /api/v1/conversations/{id}/escalate': { reason: 'Needs the wallet team' },
    'POST /api/v1/conversations/{id}/merge': { intoId: f.conversationId },
    'POST /api/v1/customer/conversations/{id}/csat': { score: 5 },
    'PATCH /api/v1/contacts/{id}': { name: 'Renamed' },
    'PATCH /api/v1/articles/{id}': { title: 'Renamed' },
    'POST /api/v1/kb/articles/{id}/feedback': { helpful: true },
    // Writing into customer A's conversation.
    'POST /api/v1/customer/messages': {
      clientMessageId: `authz-${randomUUID()}`,
      conversationId: f.conversationId,
      text: 'Any news?',
    },
  };
  return bodies[`${method} ${path}`] ?? {};
}

function headersFor(party: Party): Record<string, string> {
  if (party === 'customerA') return { authorization: `Bearer ${tokens.customerA}` };
  if (party === 'customerB') return { authorization: `Bearer ${tokens.customerB}` };
  const cookie = cookies[party];
  return cookie ? { cookie } : {};
}

function classify(
  response: { statusCode: number; json: () => unknown },
  mapped: boolean,
): Expectation {
  if (response.statusCode === 401 || response.statusCode === 403) return 'deny';
  if (response.statusCode === 404 && mapped) {
    const code = (response.json() as { error?: { code?: string } }).error?.code ?? '';
    if (code !== 'request.not_found') return 'hidden';
  }
  return 'allow';
}

const WRITE = process.env.KEFU_AUTHZ_WRITE === '1';

describe('authorization matrix', () => {
  it('lists every route of the OpenAPI document and every socket event of the catalog', async () => {
    const doc = (await kefu.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    if (!WRITE) {
      expect(routes.filter((r) => !(r in AUTHZ_MATRIX))).toEqual([]);
      expect(Object.keys(AUTHZ_MATRIX).filter((r) => !routes.includes(r))).toEqual([]);
      const events = [
        ...CUSTOMER_SOCKET_EVENTS.map((e) => `customer ${e}`),
        ...AGENT_SOCKET_EVENTS.map((e) => `agent ${e}`),
      ];
      expect(events.filter((e) => !(e in SOCKET_MATRIX))).toEqual([]);
    }
  });

  it('every route answers each party as the table says', async () => {
    const doc = (await kefu.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const observed: Record<string, Expectation[]> = {};
    const differences: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const m of Object.keys(ops)) {
        const method = m.toUpperCase();
        const route = `${method} ${path}`;
        const f = await fixtures();
        const filled = fill(path, f);
        const { target } = filled;
        const body = bodyFor(method, path, f);
        // A body naming customer A's conversation makes a 404 mean "hidden" too.
        const mapped = filled.mapped || JSON.stringify(body ?? {}).includes(f.conversationId);
        const row: Expectation[] = [];
        // Least privileged first: a destructive call by an admin comes last.
        for (const party of PARTIES) {
          const response = await kefu.app.inject({
            method: method as 'GET',
            url: target,
            headers: headersFor(party),
            ...(body !== undefined ? { payload: body as object } : {}),
          });
          const outcome = classify(response, mapped);
          row.push(outcome);
          const expected = AUTHZ_MATRIX[route]?.[PARTIES.indexOf(party)];
          if (!WRITE && expected !== outcome)
            differences.push(
              `${route} as ${party}: expected ${expected}, got ${outcome} (${response.statusCode} ${response.body.slice(0, 160)})`,
            );
        }
        observed[route] = row;
      }
    }
    if (WRITE)
      writeFileSync(
        fileURLToPath(new URL('./authz-matrix.observed.json', import.meta.url)),
        `${JSON.stringify(observed, null, 1)}\n`,
      );
    expect(differences).toEqual([]);
  });

  it('every socket event answers each party as the table says', async () => {
    const f = await fixtures();
    const payloads: Record<string, unknown> = {
      'message:send': {
        conversationId: f.conversationId,
        clientMessageId: `authz-${randomUUID()}`,
        text: 'Hello',
      },
      'conversation:resync': { conversationId: f.conversationId, afterSeq: 0 },
      'conversation:join': { conversationId: f.conversationId },
      'conversation:leave': { conversationId: f.conversationId },
      typing: { conversationId: f.conversationId, typing: true },
      read: { conversationId: f.conversationId, seq: 1 },
      'csat:submit': { conversationId: f.conversationId, score: 5 },
      'handoff:request': { conversationId: f.conversationId },
    };
    const differences: string[] = [];
    const observed: Record<string, Expectation[]> = {};
    for (const [namespace, events] of [
      ['customer', CUSTOMER_SOCKET_EVENTS],
      ['agent', AGENT_SOCKET_EVENTS],
    ] as const) {
      for (const event of events) {
        const key = `${namespace} ${event}`;
        const row: Expectation[] = [];
        for (const party of PARTIES) {
          const auth =
            party === 'customerA'
              ? { token: tokens.customerA }
              : party === 'customerB'
                ? { token: tokens.customerB }
                : {};
          const cookie = cookies[party];
          const socket = io(`${url}/${namespace}`, {
            transports: ['websocket'],
            forceNew: true,
            reconnection: false,
            auth,
            ...(cookie ? { extraHeaders: { cookie } } : {}),
          });
          const connected = await new Promise<boolean>((resolve) => {
            socket.once('connect', () => resolve(true));
            socket.once('connect_error', () => resolve(false));
          });
          let outcome: Expectation = 'deny';
          if (connected) {
            const ack = (await socket.timeout(10_000).emitWithAck(event, payloads[event])) as {
              ok: boolean;
              error?: { code: string };
            };
            outcome = ack.ok
              ? 'allow'
              : ack.error?.code === 'conversation.not_found'
                ? 'hidden'
                : ack.error?.code === 'auth.forbidden'
                  ? 'deny'
                  : 'allow';
          }
          socket.disconnect();
          row.push(outcome);
          const expected = SOCKET_MATRIX[key]?.[PARTIES.indexOf(party)];
          if (!WRITE && expected !== outcome)
            differences.push(`${key} as ${party}: expected ${expected}, got ${outcome}`);
        }
        observed[key] = row;
      }
    }
    if (WRITE)
      writeFileSync(
        fileURLToPath(new URL('./authz-matrix.observed-sockets.json', import.meta.url)),
        `${JSON.stringify(observed, null, 1)}\n`,
      );
    expect(differences).toEqual([]);
  });
});
