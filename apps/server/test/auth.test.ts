import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../src/auth/totp.ts';
import {
  createTestKefu,
  errorOf,
  loginCookie,
  seedAgent,
  type TestKefu,
  testClock,
} from './helpers/test-kefu.ts';

const clock = testClock(new Date('2026-11-23T08:00:00Z'));
let kefu: TestKefu;

beforeAll(async () => {
  kefu = await createTestKefu({
    clock,
    env: { KEFU_LOGIN_MAX_ATTEMPTS: '3', KEFU_LOGIN_LOCK_MINUTES: '15' },
  });
});
afterAll(() => kefu.close());

const login = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  kefu.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers });
const get = (url: string, cookie?: string) =>
  kefu.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
const post = (url: string, cookie: string, payload: Record<string, unknown> = {}) =>
  kefu.app.inject({ method: 'POST', url, headers: { cookie }, payload });

describe('sign-in', () => {
  it('signs in with the right password and sets an httpOnly SameSite session cookie', async () => {
    const agent = await seedAgent(kefu);
    const response = await login({ email: agent.email.toUpperCase(), password: agent.password });
    expect(response.statusCode).toBe(200);
    expect(response.json().agent.email).toBe(agent.email);
    const cookie = response.cookies.find((c) => c.name === 'kefu_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    const me = await get('/api/v1/auth/me', `kefu_session=${cookie?.value}`);
    expect(me.statusCode).toBe(200);
    expect(me.json().agent.id).toBe(agent.id);
  });

  it('refuses a wrong password and an unknown email with the same 401 message', async () => {
    const agent = await seedAgent(kefu);
    const wrong = await login({ email: agent.email, password: 'not-the-password' });
    const unknown = await login({
      email: 'nobody@kefu-test.example',
      password: 'whatever-password',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(errorOf(wrong).code).toBe('auth.invalid_credentials');
    expect(errorOf(wrong).message).toBe(errorOf(unknown).message);
    expect(wrong.cookies).toHaveLength(0);
  });

  it('answers in Chinese when asked', async () => {
    const response = await login(
      { email: 'nobody@kefu-test.example', password: 'x' },
      { 'accept-language': 'zh-CN,zh;q=0.9' },
    );
    expect(errorOf(response).message).toBe('邮箱或密码不正确。');
  });

  it('locks the account after repeated failures, even against the right password, until an admin unlocks it', async () => {
    const agent = await seedAgent(kefu);
    const admin = await seedAgent(kefu, 'admin');
    expect((await login({ email: agent.email, password: 'wrong-1' })).statusCode).toBe(401);
    expect((await login({ email: agent.email, password: 'wrong-2' })).statusCode).toBe(401);
    const third = await login({ email: agent.email, password: 'wrong-3' });
    expect(third.statusCode).toBe(423);
    expect(errorOf(third).code).toBe('auth.account_locked');
    expect(errorOf(third).message).toMatch(/locked until/);
    const right = await login({ email: agent.email, password: agent.password });
    expect(right.statusCode).toBe(423);

    const unlock = await post(`/api/v1/agents/${agent.id}/unlock`, admin.cookie);
    expect(unlock.statusCode).toBe(200);
    expect((await login({ email: agent.email, password: agent.password })).statusCode).toBe(200);
  });

  it('lets a lockout expire by itself', async () => {
    const agent = await seedAgent(kefu);
    for (const pw of ['a-wrong-1', 'a-wrong-2', 'a-wrong-3'])
      await login({ email: agent.email, password: pw });
    expect((await login({ email: agent.email, password: agent.password })).statusCode).toBe(423);
    clock.advance(16 * 60_000);
    expect((await login({ email: agent.email, password: agent.password })).statusCode).toBe(200);
  });

  it('resets the failure count after a successful sign-in', async () => {
    const agent = await seedAgent(kefu);
    await login({ email: agent.email, password: 'wrong-a' });
    await login({ email: agent.email, password: 'wrong-b' });
    expect((await login({ email: agent.email, password: agent.password })).statusCode).toBe(200);
    expect((await login({ email: agent.email, password: 'wrong-c' })).statusCode).toBe(401);
    expect((await login({ email: agent.email, password: 'wrong-d' })).statusCode).toBe(401);
  });

  it('refuses a disabled agent after the password check, and ends their sessions', async () => {
    const agent = await seedAgent(kefu);
    const admin = await seedAgent(kefu, 'admin');
    const disable = await kefu.app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${agent.id}`,
      headers: { cookie: admin.cookie },
      payload: { active: false },
    });
    expect(disable.statusCode).toBe(200);
    expect((await get('/api/v1/auth/me', agent.cookie)).statusCode).toBe(401);
    const response = await login({ email: agent.email, password: agent.password });
    expect(response.statusCode).toBe(403);
    expect(errorOf(response).code).toBe('auth.account_disabled');
  });
});

describe('two-factor authentication', () => {
  async function enrol(cookie: string) {
    const setup = await post('/api/v1/auth/2fa/setup', cookie);
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl, qrDataUrl } = setup.json();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Kefu:/);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const confirm = await post('/api/v1/auth/2fa/confirm', cookie, {
      code: await currentTotp(secret, clock.now()),
    });
    expect(confirm.statusCode).toBe(200);
    const { recoveryCodes } = confirm.json() as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    return { secret, recoveryCodes };
  }

  it('enrols with a code from the app, then asks for a code at sign-in', async () => {
    const agent = await seedAgent(kefu);
    const wrongConfirm = await post('/api/v1/auth/2fa/setup', agent.cookie).then(() =>
      post('/api/v1/auth/2fa/confirm', agent.cookie, { code: '000000' }),
    );
    expect(wrongConfirm.statusCode).toBe(401);
    const { secret } = await enrol(agent.cookie);

    const noCode = await login({ email: agent.email, password: agent.password });
    expect(noCode.statusCode).toBe(401);
    expect(errorOf(noCode).code).toBe('auth.totp_required');
    expect(noCode.cookies).toHaveLength(0);

    const badCode = await login({
      email: agent.email,
      password: agent.password,
      totpCode: '123456',
    });
    expect(errorOf(badCode).code).toBe('auth.totp_invalid');

    clock.advance(60_000);
    const code = await currentTotp(secret, clock.now());
    const ok = await login({ email: agent.email, password: agent.password, totpCode: code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().agent.twoFactorEnabled).toBe(true);

    // The same code cannot be used twice.
    const replay = await login({ email: agent.email, password: agent.password, totpCode: code });
    expect(errorOf(replay).code).toBe('auth.totp_invalid');

    // Not even twice at the same moment (someone who watched it typed races the agent).
    clock.advance(60_000);
    const next = await currentTotp(secret, clock.now());
    const both = await Promise.all(
      [1, 2].map(() => login({ email: agent.email, password: agent.password, totpCode: next })),
    );
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    expect(both.flatMap((r) => (r.statusCode === 401 ? [errorOf(r).code] : []))).toEqual([
      'auth.totp_invalid',
    ]);
  });

  it('accepts each recovery code once', async () => {
    const agent = await seedAgent(kefu);
    const { recoveryCodes } = await enrol(agent.cookie);
    const code = recoveryCodes[3] as string;
    const first = await login({
      email: agent.email,
      password: agent.password,
      recoveryCode: code.toUpperCase(),
    });
    expect(first.statusCode).toBe(200);
    const again = await login({ email: agent.email, password: agent.password, recoveryCode: code });
    expect(again.statusCode).toBe(401);
    expect(errorOf(again).code).toBe('auth.totp_invalid');
  });

  it('lets an admin clear a lost 2FA device, ending the sessions', async () => {
    const agent = await seedAgent(kefu);
    const admin = await seedAgent(kefu, 'admin');
    await enrol(agent.cookie);
    const reset = await post(`/api/v1/agents/${agent.id}/2fa/reset`, admin.cookie);
    expect(reset.statusCode).toBe(200);
    expect((await get('/api/v1/auth/me', agent.cookie)).statusCode).toBe(401);
    expect((await login({ email: agent.email, password: agent.password })).statusCode).toBe(200);
  });

  it('turns 2FA off with the password and a current code', async () => {
    const agent = await seedAgent(kefu);
    const { secret } = await enrol(agent.cookie);
    clock.advance(30_000);
    const code = await currentTotp(secret, clock.now());
    const off = await post('/api/v1/auth/2fa/disable', agent.cookie, {
      password: agent.password,
      code,
    });
    expect(off.statusCode).toBe(200);
    expect((await login({ email: agent.email, password: agent.password })).statusCode).toBe(200);
  });

  it('when 2FA is required, an agent without it may only enrol', async () => {
    const admin = await seedAgent(kefu, 'admin');
    const { secret: adminSecret } = await enrol(admin.cookie);
    void adminSecret;
    const agent = await seedAgent(kefu);
    const on = await kefu.app.inject({
      method: 'PUT',
      url: '/api/v1/settings/security',
      headers: { cookie: admin.cookie },
      payload: { requireTwoFactor: true },
    });
    expect(on.statusCode).toBe(200);
    try {
      const me = await get('/api/v1/auth/me', agent.cookie);
      expect(me.statusCode).toBe(200);
      expect(me.json().twoFactorEnrollmentRequired).toBe(true);
      const teams = await get('/api/v1/teams', agent.cookie);
      expect(teams.statusCode).toBe(403);
      expect(errorOf(teams).code).toBe('auth.two_factor_enrollment_required');
      await enrol(agent.cookie);
      expect((await get('/api/v1/teams', agent.cookie)).statusCode).toBe(200);
    } finally {
      await kefu.app.inject({
        method: 'PUT',
        url: '/api/v1/settings/security',
        headers: { cookie: admin.cookie },
        payload: { requireTwoFactor: false },
      });
    }
  });
});

describe('sessions', () => {
  it('lists my sessions and revokes one: its cookie stops working', async () => {
    const agent = await seedAgent(kefu);
    const second = await loginCookie(kefu, agent.email, agent.password);
    const list = await get('/api/v1/auth/sessions', agent.cookie);
    expect(list.statusCode).toBe(200);
    const sessions = list.json().sessions as { id: string; current: boolean }[];
    expect(sessions).toHaveLength(2);
    const other = sessions.find((s) => !s.current);
    expect(other).toBeDefined();
    const revoke = await kefu.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${other?.id}`,
      headers: { cookie: agent.cookie },
    });
    expect(revoke.statusCode).toBe(200);
    expect((await get('/api/v1/auth/me', second)).statusCode).toBe(401);
    expect((await get('/api/v1/auth/me', agent.cookie)).statusCode).toBe(200);
  });

  it("cannot revoke another agent's session (404, no leak)", async () => {
    const a = await seedAgent(kefu);
    const b = await seedAgent(kefu);
    const bSessions = (await get('/api/v1/auth/sessions', b.cookie)).json().sessions as {
      id: string;
    }[];
    const attempt = await kefu.app.inject({
      method: 'DELETE',
      url: `/api/v1/auth/sessions/${bSessions[0]?.id}`,
      headers: { cookie: a.cookie },
    });
    expect(attempt.statusCode).toBe(404);
    expect((await get('/api/v1/auth/me', b.cookie)).statusCode).toBe(200);
  });

  it('logout ends the session', async () => {
    const agent = await seedAgent(kefu);
    expect((await post('/api/v1/auth/logout', agent.cookie)).statusCode).toBe(200);
    expect((await get('/api/v1/auth/me', agent.cookie)).statusCode).toBe(401);
  });

  it('expires sessions after their lifetime', async () => {
    const agent = await seedAgent(kefu);
    clock.advance(13 * 3_600_000);
    expect((await get('/api/v1/auth/me', agent.cookie)).statusCode).toBe(401);
  });

  it('an admin ends all sessions of an agent; a password reset does too and gives a temporary password', async () => {
    const agent = await seedAgent(kefu);
    const admin = await seedAgent(kefu, 'admin');
    const end = await kefu.app.inject({
      method: 'DELETE',
      url: `/api/v1/agents/${agent.id}/sessions`,
      headers: { cookie: admin.cookie },
    });
    expect(end.json()).toEqual({ ended: 1 });
    expect((await get('/api/v1/auth/me', agent.cookie)).statusCode).toBe(401);

    const reset = await post(`/api/v1/agents/${agent.id}/reset-password`, admin.cookie, {});
    expect(reset.statusCode).toBe(200);
    const { temporaryPassword } = reset.json() as { temporaryPassword: string };
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);
    expect((await login({ email: agent.email, password: agent.password })).statusCode).toBe(401);
    expect((await login({ email: agent.email, password: temporaryPassword })).statusCode).toBe(200);
  });

  it('changing my password ends my other sessions but keeps this one', async () => {
    const agent = await seedAgent(kefu);
    const other = await loginCookie(kefu, agent.email, agent.password);
    const wrong = await post('/api/v1/auth/password', agent.cookie, {
      currentPassword: 'nope-nope-nope',
      newPassword: 'a-brand-new-password',
    });
    expect(wrong.statusCode).toBe(401);
    const short = await post('/api/v1/auth/password', agent.cookie, {
      currentPassword: agent.password,
      newPassword: 'short',
    });
    expect(short.statusCode).toBe(400);
    expect(errorOf(short).message).toMatch(/newPassword/);
    const ok = await post('/api/v1/auth/password', agent.cookie, {
      currentPassword: agent.password,
      newPassword: 'a-brand-new-password',
    });
    expect(ok.statusCode).toBe(200);
    expect((await get('/api/v1/auth/me', agent.cookie)).statusCode).toBe(200);
    expect((await get('/api/v1/auth/me', other)).statusCode).toBe(401);
    expect((await login({ email: agent.email, password: 'a-brand-new-password' })).statusCode).toBe(
      200,
    );
  });
});
