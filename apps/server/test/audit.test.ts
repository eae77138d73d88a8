import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKefu, seedAgent, type TestAgent, type TestKefu } from './helpers/test-kefu.ts';

let kefu: TestKefu;
let admin: TestAgent;

beforeAll(async () => {
  kefu = await createTestKefu();
  admin = await seedAgent(kefu, 'admin');
});
afterAll(() => kefu.close());

type Entry = {
  action: string;
  actorId: string | null;
  actorType: string;
  targetId: string | null;
  ip: string | null;
  data: Record<string, unknown>;
};

async function audit(query = ''): Promise<Entry[]> {
  const response = await kefu.app.inject({
    method: 'GET',
    url: `/api/v1/audit${query}`,
    headers: { cookie: admin.cookie },
  });
  expect(response.statusCode).toBe(200);
  return response.json().entries;
}

describe('audit log', () => {
  it('records sign-ins, failures and lockouts with who and from which IP', async () => {
    const agent = await seedAgent(kefu);
    await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: agent.email, password: 'wrong-password' },
      remoteAddress: '203.0.113.7',
    });
    const entries = await audit(`?targetId=${agent.id}`);
    const failed = entries.find((e) => e.action === 'auth.login_failed');
    expect(failed).toMatchObject({
      actorId: agent.id,
      ip: '203.0.113.7',
      data: { reason: 'wrong_password' },
    });
    expect(entries.some((e) => e.action === 'auth.login' && e.actorId === agent.id)).toBe(true);
    expect(entries.some((e) => e.action === 'agent.created')).toBe(true);
    // The password never reaches the log.
    expect(JSON.stringify(entries)).not.toContain('wrong-password');
  });

  it('records unknown-email attempts without an actor', async () => {
    await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'ghost@kefu-test.example', password: 'x' },
    });
    const entries = await audit('?action=auth.login_failed');
    expect(
      entries.some(
        (e) => e.actorType === 'anonymous' && e.data.email === 'ghost@kefu-test.example',
      ),
    ).toBe(true);
  });

  it('records admin actions with the admin as actor', async () => {
    const agent = await seedAgent(kefu);
    const headers = { cookie: admin.cookie };
    await kefu.app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${agent.id}`,
      headers,
      payload: { capacity: 9 },
    });
    await kefu.app.inject({
      method: 'POST',
      url: `/api/v1/agents/${agent.id}/reset-password`,
      headers,
      payload: {},
    });
    await kefu.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/security',
      headers,
      payload: { requireTwoFactor: false },
    });
    const mine = await audit(`?actorId=${admin.id}`);
    const actions = mine.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'agent.updated',
        'agent.password_reset',
        'settings.security_changed',
      ]),
    );
    expect(mine.find((e) => e.action === 'agent.updated')?.data).toEqual({
      changes: { capacity: 9 },
    });
  });

  it('pages with `before` and filters by time', async () => {
    const first = await audit('?limit=2');
    expect(first).toHaveLength(2);
    const page = await kefu.app.inject({
      method: 'GET',
      url: `/api/v1/audit?limit=2&before=${encodeURIComponent((first[1] as unknown as { at: string }).at)}`,
      headers: { cookie: admin.cookie },
    });
    const older = page.json().entries as { at: string }[];
    for (const e of older) expect(e.at < (first[1] as unknown as { at: string }).at).toBe(true);
    const future = await audit(
      `?since=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`,
    );
    expect(future).toHaveLength(0);
  });
});
