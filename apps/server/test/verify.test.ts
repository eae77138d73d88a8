import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOfficialChannel } from '../src/safety/check-official-channel.ts';
import {
  DEMO_OFFICIAL_CHANNELS,
  findOfficialChannels,
  seedDemoOfficialChannels,
} from '../src/safety/official-channels.ts';
import {
  createTestKefu,
  errorOf,
  seedAgent,
  type TestAgent,
  type TestKefu,
} from './helpers/test-kefu.ts';

const PUBLIC_LIMIT = 50;

let kefu: TestKefu;
let admin: TestAgent;
let supervisor: TestAgent;
let agent: TestAgent;

async function api(
  who: TestAgent | null,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await kefu.app.inject({
    method,
    url,
    headers: { ...(who ? { cookie: who.cookie } : {}), ...headers },
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  return {
    status: response.statusCode,
    body: response.json(),
    headers: response.headers,
    response,
  };
}

type Channel = { id: string; kind: string; value: string; label: string; notes: string };
type Verify = {
  kind: string;
  normalized: string;
  verdict: string;
  matchedLabel?: string;
  matchedValue?: string;
  message: string;
  reasons: { code: string; message: string }[];
  notice: string;
};

const verify = async (value: string, language = 'en', extra: Record<string, unknown> = {}) => {
  const result = await api(
    null,
    'POST',
    '/api/v1/verify',
    { value, ...extra },
    { 'accept-language': language },
  );
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body as Verify;
};

beforeAll(async () => {
  kefu = await createTestKefu({ env: { KEFU_RATE_LIMIT_PUBLIC: String(PUBLIC_LIMIT) } });
  admin = await seedAgent(kefu, 'admin');
  supervisor = await seedAgent(kefu, 'supervisor');
  agent = await seedAgent(kefu, 'agent');
});

afterAll(async () => {
  await kefu?.close();
});

describe('official-channel registry', () => {
  const created: Record<string, Channel> = {};

  it('lets only admins change it, and admins and supervisors read it', async () => {
    const entry = { kind: 'domain', value: 'demo-exchange.example' };
    expect((await api(null, 'GET', '/api/v1/official-channels')).status).toBe(401);
    expect((await api(null, 'POST', '/api/v1/official-channels', entry)).status).toBe(401);
    expect((await api(agent, 'GET', '/api/v1/official-channels')).status).toBe(403);
    const forbidden = await api(agent, 'POST', '/api/v1/official-channels', entry);
    expect(forbidden.status).toBe(403);
    expect(errorOf(forbidden.response).code).toBe('auth.forbidden');
    expect((await api(supervisor, 'POST', '/api/v1/official-channels', entry)).status).toBe(403);
    expect((await api(supervisor, 'GET', '/api/v1/official-channels')).status).toBe(200);
    expect(
      (await api(null, 'DELETE', `/api/v1/official-channels/${crypto.randomUUID()}`)).status,
    ).toBe(401);
  });

  it('normalizes what the admin types, per kind', async () => {
    const inputs = [
      {
        kind: 'domain',
        value: 'https://www.Demo-Exchange.example/login',
        label: 'Website',
        expected: 'demo-exchange.example',
      },
      {
        kind: 'email',
        value: ' Support@Demo-Exchange.example ',
        label: 'Support email',
        expected: 'support@demo-exchange.example',
      },
      { kind: 'telegram', value: '@DemoExchange', label: 'Telegram', expected: 'demoexchange' },
      {
        kind: 'telegram',
        value: 'https://t.me/DemoExchangeCN',
        label: 'Telegram (中文)',
        expected: 'demoexchangecn',
      },
      {
        kind: 'x',
        value: 'https://x.com/DemoExchange',
        label: 'X (Twitter)',
        expected: 'demoexchange',
      },
      { kind: 'phone', value: '+65 6123-4567', label: 'Hotline', expected: '+6561234567' },
    ];
    for (const { expected, ...input } of inputs) {
      const result = await api(admin, 'POST', '/api/v1/official-channels', input);
      expect(result.status, JSON.stringify(result.body)).toBe(201);
      const channel = result.body as Channel;
      expect(channel).toMatchObject({
        kind: input.kind,
        value: expected,
        label: input.label,
        notes: '',
      });
      created[`${input.kind}:${expected}`] = channel;
    }
    const list = await api(supervisor, 'GET', '/api/v1/official-channels');
    const values = (list.body as { officialChannels: Channel[] }).officialChannels.map(
      (c) => `${c.kind}:${c.value}`,
    );
    expect(values).toEqual(expect.arrayContaining(Object.keys(created)));
  });

  it('refuses duplicates with 409, however they are written', async () => {
    for (const value of ['demo-exchange.example', 'http://shop.DEMO-EXCHANGE.example/']) {
      const duplicate = await api(admin, 'POST', '/api/v1/official-channels', {
        kind: 'domain',
        value,
      });
      expect(duplicate.status).toBe(409);
      expect(errorOf(duplicate.response).code).toBe('official_channel.duplicate');
    }
    const sameHandle = await api(admin, 'POST', '/api/v1/official-channels', {
      kind: 'telegram',
      value: 't.me/demoexchange',
    });
    expect(sameHandle.status).toBe(409);
    // The same handle on the other network is another channel.
    const phone = created['phone:+6561234567'];
    if (!phone) throw new Error('phone missing');
    const renamed = await api(admin, 'PATCH', `/api/v1/official-channels/${phone.id}`, {
      kind: 'telegram',
      value: '@DemoExchange',
    });
    expect(renamed.status).toBe(409);
  });

  it('refuses bad input with 400 and a message a person understands', async () => {
    const bad = [
      { kind: 'telegram', value: '@ab' },
      { kind: 'x', value: '@name.with.dots' },
      { kind: 'email', value: 'not-an-email' },
      { kind: 'domain', value: 'localhost' },
      { kind: 'domain', value: 'https://t.me/DemoExchange' },
      { kind: 'phone', value: 'call us' },
    ];
    for (const body of bad) {
      const result = await api(admin, 'POST', '/api/v1/official-channels', body);
      expect(result.status, JSON.stringify(body)).toBe(400);
      const error = errorOf(result.response);
      expect(error.code).toBe('official_channel.invalid_value');
      expect(error.message).toContain('Examples');
      expect(error.details).toMatchObject({ field: 'value', kind: body.kind });
    }
    const zh = await api(
      admin,
      'POST',
      '/api/v1/official-channels',
      { kind: 'telegram', value: '@ab' },
      { 'accept-language': 'zh-CN' },
    );
    expect(errorOf(zh.response).message).toContain('示例');
    for (const body of [
      { kind: 'website', value: 'demo-exchange.example' },
      { kind: 'domain', value: '' },
      { kind: 'domain' },
      { kind: 'domain', value: 'ok.example', extra: true },
      { kind: 'domain', value: 'a'.repeat(501) },
    ]) {
      const result = await api(admin, 'POST', '/api/v1/official-channels', body);
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(result.response).code).toBe('request.invalid');
    }
    const patch = await api(
      admin,
      'PATCH',
      `/api/v1/official-channels/${created['x:demoexchange']?.id}`,
      { value: 'https://t.me/x' },
    );
    expect(patch.status).toBe(400);
  });

  it('changes and removes entries, with an audit entry for each change', async () => {
    const phone = created['phone:+6561234567'];
    if (!phone) throw new Error('phone missing');
    const changed = await api(admin, 'PATCH', `/api/v1/official-channels/${phone.id}`, {
      value: '+65 6123 9999',
      notes: 'Weekdays 9–18 SGT',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      value: '+6561239999',
      notes: 'Weekdays 9–18 SGT',
      label: 'Hotline',
    });
    expect(
      (await api(supervisor, 'GET', `/api/v1/official-channels/${phone.id}`)).body,
    ).toMatchObject({ value: '+6561239999' });

    const removed = await api(admin, 'DELETE', `/api/v1/official-channels/${phone.id}`);
    expect(removed.status).toBe(200);
    const gone = await api(admin, 'GET', `/api/v1/official-channels/${phone.id}`);
    expect(gone.status).toBe(404);
    expect(errorOf(gone.response).code).toBe('official_channel.not_found');
    expect((await api(admin, 'DELETE', `/api/v1/official-channels/${phone.id}`)).status).toBe(404);
    expect(
      (await api(admin, 'PATCH', `/api/v1/official-channels/${phone.id}`, { label: 'x' })).status,
    ).toBe(404);

    const audit = await api(admin, 'GET', `/api/v1/audit?targetId=${phone.id}`);
    const entries = (
      audit.body as {
        entries: { action: string; actorId: string; data: Record<string, unknown> }[];
      }
    ).entries;
    expect(entries.map((e) => e.action).sort()).toEqual([
      'official_channel.created',
      'official_channel.deleted',
      'official_channel.updated',
    ]);
    expect(entries.every((e) => e.actorId === admin.id)).toBe(true);
    const update = entries.find((e) => e.action === 'official_channel.updated');
    expect(update?.data).toMatchObject({
      before: { value: '+6561234567' },
      after: { value: '+6561239999' },
    });
  });

  it('seeds the demo registry once, keeping what is there', async () => {
    await seedDemoOfficialChannels(kefu.deps);
    await seedDemoOfficialChannels(kefu.deps);
    const channels = await findOfficialChannels(kefu.deps);
    expect(channels.filter((c) => c.kind !== 'phone')).toHaveLength(DEMO_OFFICIAL_CHANNELS.length);
    expect(channels.some((c) => c.kind === 'phone')).toBe(false);
  });
});

describe('POST /api/v1/verify', () => {
  it('answers official, in English and Chinese', async () => {
    const en = await verify('https://support.demo-exchange.example/login');
    expect(en).toMatchObject({
      kind: 'domain',
      normalized: 'demo-exchange.example',
      verdict: 'official',
      matchedLabel: 'Website',
      matchedValue: 'demo-exchange.example',
    });
    expect(en.message).toContain('official Demo Exchange channel');
    expect(en.reasons).toEqual([
      {
        code: 'verify.reason.subdomain',
        message: expect.stringContaining('demo-exchange.example'),
      },
    ]);
    expect(en.notice).toMatch(/never ask.*password.*2FA.*private keys.*seed phrase/);
    expect(en.notice).toContain('fee');

    const zh = await verify('@DemoExchangeCN', 'zh-CN,zh;q=0.9');
    expect(zh).toMatchObject({
      kind: 'telegram',
      verdict: 'official',
      matchedValue: '@demoexchangecn',
    });
    expect(zh.message).toContain('官方渠道');
    expect(zh.reasons.map((r) => r.code)).toEqual([
      'verify.reason.registered',
      'verify.reason.only_on_telegram',
    ]);
    expect(zh.reasons[1]?.message).toContain('Telegram');
    expect(zh.notice).toContain('助记词');
    expect(zh.notice).toContain('私钥');

    expect((await verify('support@demo-exchange.example')).verdict).toBe('official');
    expect((await verify('x.com/DemoExchange')).verdict).toBe('official');
  });

  it('warns about look-alikes and says why', async () => {
    const en = await verify('https://demo-exchange-support.co/claim');
    expect(en).toMatchObject({
      kind: 'domain',
      verdict: 'lookalike',
      matchedValue: 'demo-exchange.example',
    });
    expect(en.message).toMatch(/NOT an official/);
    expect(en.reasons).toEqual([
      {
        code: 'verify.reason.contains_brand',
        message: expect.stringContaining('demo-exchange.example'),
      },
    ]);

    const zh = await verify('dеmо-ехсhаngе.example', 'zh-CN');
    expect(zh.verdict).toBe('lookalike');
    expect(zh.normalized).toMatch(/^xn--/);
    expect(zh.message).toContain('警告');
    expect(zh.reasons.map((r) => r.code)).toEqual([
      'verify.reason.punycode',
      'verify.reason.homoglyph',
    ]);
    expect(zh.reasons[1]?.message).toContain('西里尔字母');

    const handle = await verify('@DemoExchange_Help');
    expect(handle).toMatchObject({ verdict: 'lookalike', matchedValue: '@demoexchange' });
    expect((await verify('demo-exchange.co')).reasons[0]?.code).toBe('verify.reason.other_tld');
    expect((await verify('x.com/DemoExchangeCN')).reasons[0]?.code).toBe(
      'verify.reason.other_network',
    );
  });

  it('answers unknown for anything else, and takes the locale from the body too', async () => {
    const en = await verify('google.com');
    expect(en).toMatchObject({
      kind: 'domain',
      verdict: 'unknown',
      reasons: [{ code: 'verify.reason.not_registered' }],
    });
    expect(en.matchedLabel).toBeUndefined();
    expect(en.message).toContain('untrusted');
    const phone = await verify('+1 555 0100', 'en', { locale: 'zh-CN' });
    expect(phone).toMatchObject({ kind: 'phone', normalized: '+15550100', verdict: 'unknown' });
    expect(phone.message).toContain('不可信');
    expect((await verify('@randomuser')).verdict).toBe('unknown');
  });

  it('is what checkOfficialChannel answers (for the assistant)', async () => {
    const fromApi = await verify('t.me/DemoExchange', 'zh-CN');
    expect(await checkOfficialChannel(kefu.deps, 't.me/DemoExchange', 'zh-CN')).toEqual(fromApi);
  });

  it('refuses empty and oversized input', async () => {
    for (const body of [
      { value: '' },
      { value: '   ' },
      { value: 'x'.repeat(501) },
      {},
      { value: 'a.example', locale: 'fr' },
    ]) {
      const result = await api(null, 'POST', '/api/v1/verify', body);
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(result.response).code).toBe('request.invalid');
    }
  });

  it('is public but rate-limited per client', async () => {
    const first = await api(null, 'POST', '/api/v1/verify', { value: 'demo-exchange.example' });
    const second = await api(null, 'POST', '/api/v1/verify', { value: 'demo-exchange.example' });
    expect(first.headers['x-ratelimit-limit']).toBe(String(PUBLIC_LIMIT));
    expect(Number(second.headers['x-ratelimit-remaining'])).toBe(
      Number(first.headers['x-ratelimit-remaining']) - 1,
    );
  });
});
