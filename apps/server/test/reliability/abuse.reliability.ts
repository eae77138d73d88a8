import { randomUUID } from 'node:crypto';
import type { TSendAck } from '@kefu/shared';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, seedSupportDesk } from '../helpers/realtime.ts';
import {
  createTestKefu,
  errorOf,
  seedAgent,
  type TestAgent,
  type TestKefu,
} from '../helpers/test-kefu.ts';

/** Abuse limits: sign-in and public endpoints per address, and floods of new conversations. */

const NEW_CONVERSATIONS = 3;
const PUBLIC = 12;
const LOGIN = 4;
let kefu: TestKefu;
let url: string;
let siteToken: string;
let agent: TestAgent;

beforeAll(async () => {
  kefu = await createTestKefu({
    env: {
      // Behind a trusted proxy, so each test address is its own client.
      KEFU_TRUST_PROXY: 'true',
      KEFU_RATE_LIMIT_NEW_CONVERSATIONS: String(NEW_CONVERSATIONS),
      KEFU_RATE_LIMIT_PUBLIC: String(PUBLIC),
      KEFU_RATE_LIMIT_LOGIN: String(LOGIN),
    },
  });
  url = await listen(kefu);
  siteToken = (await seedSupportDesk(kefu)).siteToken;
  agent = await seedAgent(kefu, 'agent');
});
afterAll(() => kefu.close());

let n = 0;
const nextAddress = () => `198.51.100.${++n}`;

async function session(ip: string): Promise<string> {
  const r = await kefu.app.inject({
    method: 'POST',
    url: '/api/v1/widget/session',
    headers: { 'x-forwarded-for': ip },
    payload: { siteToken },
  });
  expect(r.statusCode, r.body).toBe(201);
  return (r.json() as { contactToken: string }).contactToken;
}

function send(ip: string, token: string, body: Record<string, unknown>) {
  return kefu.app.inject({
    method: 'POST',
    url: '/api/v1/customer/messages',
    headers: { 'x-forwarded-for': ip, authorization: `Bearer ${token}` },
    payload: body,
  });
}

describe('a flood of new widget conversations from one address', () => {
  it('is throttled over HTTP without hurting other addresses or open conversations', async () => {
    const flooder = nextAddress();
    const token = await session(flooder);
    const opened: { id: string; cmid: string }[] = [];
    for (let i = 0; i < NEW_CONVERSATIONS; i++) {
      const cmid = `flood-${i}-${randomUUID()}`;
      const r = await send(flooder, token, { clientMessageId: cmid, text: `new ${i}` });
      expect(r.statusCode, r.body).toBe(201);
      opened.push({
        id: (r.json() as { message: { conversationId: string } }).message.conversationId,
        cmid,
      });
    }
    expect(new Set(opened.map((o) => o.id)).size).toBe(NEW_CONVERSATIONS);
    // One more new conversation: 429 in the error format, with a message a person understands.
    const refused = await send(flooder, token, {
      clientMessageId: `flood-x-${randomUUID()}`,
      text: 'one too many',
    });
    expect(refused.statusCode).toBe(429);
    expect(errorOf(refused).code).toBe('request.rate_limited');
    expect(errorOf(refused).message).toMatch(/Try again in \d+ seconds/);
    // A new session from the same address does not get around it.
    const other = await session(flooder);
    expect(
      (await send(flooder, other, { clientMessageId: `flood-y-${randomUUID()}`, text: 'again' }))
        .statusCode,
    ).toBe(429);
    // The flooder can still write in the conversations it has, and a retry is still answered.
    const reply = await send(flooder, token, {
      clientMessageId: `reply-${randomUUID()}`,
      conversationId: opened[0]?.id,
      text: 'still here',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const retry = await send(flooder, token, { clientMessageId: opened[1]?.cmid, text: 'new 1' });
    expect(retry.statusCode, retry.body).toBe(200);
    // Another address is not affected.
    const neighbour = nextAddress();
    const fresh = await send(neighbour, await session(neighbour), {
      clientMessageId: `n-${randomUUID()}`,
      text: 'hello',
    });
    expect(fresh.statusCode, fresh.body).toBe(201);
  });

  it('is throttled on the socket too, counted together with HTTP', async () => {
    const flooder = nextAddress();
    const token = await session(flooder);
    const socket = io(`${url}/customer`, {
      transports: ['websocket'],
      auth: { token },
      extraHeaders: { 'x-forwarded-for': flooder },
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    try {
      // One over HTTP first: the socket shares the same count.
      expect(
        (await send(flooder, token, { clientMessageId: `h-${randomUUID()}`, text: 'http' }))
          .statusCode,
      ).toBe(201);
      const acks: TSendAck[] = [];
      for (let i = 0; i < NEW_CONVERSATIONS; i++)
        acks.push(
          (await socket.timeout(10_000).emitWithAck('message:send', {
            clientMessageId: `s-${i}-${randomUUID()}`,
            text: `socket ${i}`,
          })) as TSendAck,
        );
      expect(acks.slice(0, NEW_CONVERSATIONS - 1).every((a) => a.ok)).toBe(true);
      const last = acks[NEW_CONVERSATIONS - 1];
      expect(last?.ok).toBe(false);
      if (last && !last.ok) expect(last.error.code).toBe('request.rate_limited');
      expect(socket.connected).toBe(true);
    } finally {
      socket.disconnect();
    }
  });
});

describe('sign-in and public endpoints are limited per address', () => {
  it('sign-in: the address is slowed down, another address can still sign in', async () => {
    const attacker = nextAddress();
    const statuses: number[] = [];
    for (let i = 0; i <= LOGIN; i++) {
      const r = await kefu.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { 'x-forwarded-for': attacker },
        payload: { email: `nobody-${i}@kefu-test.example`, password: 'wrong-password' },
      });
      statuses.push(r.statusCode);
      if (r.statusCode === 429) expect(errorOf(r).code).toBe('request.rate_limited');
    }
    expect(statuses.slice(0, LOGIN).every((s) => s === 401)).toBe(true);
    expect(statuses[LOGIN]).toBe(429);
    const ok = await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-forwarded-for': nextAddress() },
      payload: { email: agent.email, password: agent.password },
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it('every route an anonymous caller may use is rate-limited per address', async () => {
    const doc = (await kefu.app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    // Probes and Telegram's own webhook (checked by its secret token) are not limited.
    const exempt = new Set([
      'GET /healthz',
      'GET /readyz',
      'POST /api/v1/channels/telegram/{inboxId}/webhook',
    ]);
    const checked: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        const label = `${method.toUpperCase()} ${path}`;
        const target = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const ip = nextAddress();
        const call = () =>
          kefu.app.inject({
            method: method.toUpperCase() as 'GET',
            url: target,
            headers: { 'x-forwarded-for': ip, 'content-type': 'application/json' },
            ...(method === 'get' || method === 'delete' ? {} : { payload: '{}' }),
          });
        const first = await call();
        // Agent routes turn anonymous callers away before any work is done.
        if (first.statusCode === 401 && errorOf(first).code === 'auth.unauthenticated') continue;
        if (exempt.has(label)) continue;
        // The API channel is server-to-server: a higher limit (routes.ts of channels/api).
        const max =
          path === '/api/v1/auth/login'
            ? LOGIN
            : path.startsWith('/api/v1/channels/api/')
              ? Math.max(PUBLIC * 10, 600)
              : PUBLIC;
        let last = first;
        for (let i = 1; i <= max; i++) last = await call();
        expect(last.statusCode, `${label}: ${last.body}`).toBe(429);
        checked.push(label);
      }
    }
    expect(checked).toContain('POST /api/v1/widget/session');
    expect(checked).toContain('POST /api/v1/auth/login');
    expect(checked.length).toBeGreaterThan(8);
  });
});
