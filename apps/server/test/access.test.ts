import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestKefu,
  errorOf,
  seedAgent,
  type TestAgent,
  type TestKefu,
} from './helpers/test-kefu.ts';

let kefu: TestKefu;
let admin: TestAgent;
let supervisor: TestAgent;
let agent: TestAgent;
let teamId: string;

beforeAll(async () => {
  kefu = await createTestKefu();
  admin = await seedAgent(kefu, 'admin');
  supervisor = await seedAgent(kefu, 'supervisor');
  agent = await seedAgent(kefu, 'agent');
  const team = await kefu.app.inject({
    method: 'POST',
    url: '/api/v1/teams',
    headers: { cookie: admin.cookie },
    payload: {
      name: `Team ${randomUUID().slice(0, 6)}`,
      languages: ['zh-CN'],
      timezone: 'Asia/Shanghai',
    },
  });
  teamId = team.json().id;
});
afterAll(() => kefu.close());

type Who = 'anonymous' | 'agent' | 'supervisor' | 'admin';
type Case = {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  body?: () => unknown;
  allowed: Who[];
};

const resolve = (path: string) => path.replace(':agent', agent.id).replace(':team', teamId);

/** Who may call what. Allowed callers get a non-401/403 status; the others exactly 401 or 403. */
const matrix: Case[] = [
  { method: 'GET', path: '/api/v1/auth/me', allowed: ['agent', 'supervisor', 'admin'] },
  { method: 'GET', path: '/api/v1/auth/sessions', allowed: ['agent', 'supervisor', 'admin'] },
  {
    method: 'PUT',
    path: '/api/v1/auth/availability',
    body: () => ({ availability: 'online' }),
    allowed: ['agent', 'supervisor', 'admin'],
  },
  { method: 'GET', path: '/api/v1/agents', allowed: ['agent', 'supervisor', 'admin'] },
  { method: 'GET', path: '/api/v1/agents/:agent', allowed: ['agent', 'supervisor', 'admin'] },
  {
    method: 'POST',
    path: '/api/v1/agents',
    body: () => ({
      email: `new-${randomUUID().slice(0, 8)}@kefu-test.example`,
      name: 'New',
      password: 'long-enough-password',
    }),
    allowed: ['admin'],
  },
  {
    method: 'PATCH',
    path: '/api/v1/agents/:agent',
    body: () => ({ capacity: 7 }),
    allowed: ['admin'],
  },
  { method: 'POST', path: '/api/v1/agents/:agent/unlock', allowed: ['supervisor', 'admin'] },
  { method: 'GET', path: '/api/v1/agents/:agent/sessions', allowed: ['admin'] },
  { method: 'GET', path: '/api/v1/teams', allowed: ['agent', 'supervisor', 'admin'] },
  { method: 'GET', path: '/api/v1/teams/:team', allowed: ['agent', 'supervisor', 'admin'] },
  {
    method: 'POST',
    path: '/api/v1/teams',
    body: () => ({ name: `T ${randomUUID().slice(0, 8)}` }),
    allowed: ['admin'],
  },
  {
    method: 'PATCH',
    path: '/api/v1/teams/:team',
    body: () => ({ description: 'changed' }),
    allowed: ['admin'],
  },
  { method: 'GET', path: '/api/v1/settings/security', allowed: ['admin'] },
  {
    method: 'PUT',
    path: '/api/v1/settings/security',
    body: () => ({ requireTwoFactor: false }),
    allowed: ['admin'],
  },
  { method: 'GET', path: '/api/v1/audit', allowed: ['supervisor', 'admin'] },
  { method: 'GET', path: '/healthz', allowed: ['anonymous', 'agent', 'supervisor', 'admin'] },
  { method: 'GET', path: '/readyz', allowed: ['anonymous', 'agent', 'supervisor', 'admin'] },
];

const callers: Who[] = ['anonymous', 'agent', 'supervisor', 'admin'];

describe('access by role', () => {
  for (const c of matrix) {
    for (const who of callers) {
      const allowed = c.allowed.includes(who);
      it(`${c.method} ${c.path} as ${who}: ${allowed ? 'allowed' : 'denied'}`, async () => {
        const cookie = {
          anonymous: undefined,
          agent: agent.cookie,
          supervisor: supervisor.cookie,
          admin: admin.cookie,
        }[who];
        const response = await kefu.app.inject({
          method: c.method,
          url: resolve(c.path),
          headers: cookie ? { cookie } : {},
          ...(c.body ? { payload: c.body() as object } : {}),
        });
        if (allowed) {
          expect(response.statusCode, response.body).toBeLessThan(400);
        } else {
          expect(response.statusCode).toBe(who === 'anonymous' ? 401 : 403);
          expect(errorOf(response).code).toBe(
            who === 'anonymous' ? 'auth.unauthenticated' : 'auth.forbidden',
          );
        }
      });
    }
  }

  it('lets any site call the token-based customer endpoints, but not the cookie-based agent API', async () => {
    const preflight = (url: string) =>
      kefu.app.inject({
        method: 'OPTIONS',
        url,
        headers: {
          origin: 'https://www.exchange.example',
          'access-control-request-method': 'POST',
        },
      });
    const widget = await preflight('/api/v1/widget/session');
    expect(widget.headers['access-control-allow-origin']).toBe('https://www.exchange.example');
    expect(widget.headers['access-control-allow-credentials']).toBeUndefined();
    const agents = await preflight('/api/v1/agents');
    expect(agents.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('checks access before validating: an anonymous bad body gets 401, not 400', async () => {
    const response = await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      payload: { nonsense: true },
    });
    expect(response.statusCode).toBe(401);
  });

  it('an agent cannot demote or disable themselves', async () => {
    const response = await kefu.app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${admin.id}`,
      headers: { cookie: admin.cookie },
      payload: { role: 'agent' },
    });
    expect(response.statusCode).toBe(409);
    expect(errorOf(response).code).toBe('agent.cannot_change_self');
  });

  it('unknown ids are 404 with the error format', async () => {
    for (const url of [`/api/v1/agents/${randomUUID()}`, `/api/v1/teams/${randomUUID()}`]) {
      const response = await kefu.app.inject({
        method: 'GET',
        url,
        headers: { cookie: admin.cookie },
      });
      expect(response.statusCode).toBe(404);
      expect(errorOf(response).code).toMatch(/not_found$/);
    }
    const nowhere = await kefu.app.inject({
      method: 'GET',
      url: '/api/v1/nowhere',
      headers: { cookie: admin.cookie },
    });
    expect(nowhere.statusCode).toBe(404);
    expect(errorOf(nowhere).code).toBe('request.not_found');
  });

  it('assigns agents to teams and refuses unknown teams', async () => {
    const ok = await kefu.app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${agent.id}`,
      headers: { cookie: admin.cookie },
      payload: { teamIds: [teamId], languages: ['zh-CN', 'en'], skills: ['kyc'] },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().teamIds).toEqual([teamId]);
    const team = await kefu.app.inject({
      method: 'GET',
      url: `/api/v1/teams/${teamId}`,
      headers: { cookie: agent.cookie },
    });
    expect(team.json().memberIds).toContain(agent.id);
    const bad = await kefu.app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${agent.id}`,
      headers: { cookie: admin.cookie },
      payload: { teamIds: [randomUUID()] },
    });
    expect(bad.statusCode).toBe(404);
    expect(errorOf(bad).code).toBe('team.not_found');
  });

  it('refuses a duplicate agent email and a duplicate team name with 409', async () => {
    const dupAgent = await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/agents',
      headers: { cookie: admin.cookie },
      payload: { email: agent.email, name: 'Dup', password: 'long-enough-password' },
    });
    expect(dupAgent.statusCode).toBe(409);
    const name = (
      await kefu.app.inject({
        method: 'GET',
        url: `/api/v1/teams/${teamId}`,
        headers: { cookie: admin.cookie },
      })
    ).json().name;
    const dupTeam = await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: { cookie: admin.cookie },
      payload: { name },
    });
    expect(dupTeam.statusCode).toBe(409);
  });
});
