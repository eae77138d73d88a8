import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKefu, seedAgent, type TestAgent, type TestKefu } from './helpers/test-kefu.ts';

// The API pieces the console's administration screens need besides the existing CRUD routes.
let kefu: TestKefu;
let admin: TestAgent;
let supervisor: TestAgent;
let agent: TestAgent;

async function api(who: TestAgent | null, method: string, url: string, body?: unknown) {
  const response = await kefu.app.inject({
    method: method as 'GET',
    url,
    headers: who ? { cookie: who.cookie } : {},
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  return {
    status: response.statusCode,
    body: response.json() as Record<string, unknown> & {
      error?: { code: string; message: string };
    },
  };
}

beforeAll(async () => {
  kefu = await createTestKefu();
  admin = await seedAgent(kefu, 'admin');
  supervisor = await seedAgent(kefu, 'supervisor');
  agent = await seedAgent(kefu, 'agent');
});
afterAll(() => kefu.close());

describe("a team's business hours", () => {
  it('read back what was saved; always open until then', async () => {
    const created = await api(admin, 'POST', '/api/v1/teams', {
      name: `Hours ${Date.now()}`,
      timezone: 'Asia/Shanghai',
    });
    expect(created.status).toBe(201);
    const url = `/api/v1/teams/${created.body.id as string}/business-hours`;

    const before = await api(supervisor, 'GET', url);
    expect(before.status).toBe(200);
    expect(before.body.businessHours).toBeNull();
    expect(before.body.timezone).toBe('Asia/Shanghai');

    const hours = {
      weekly: [
        { day: 1, open: '09:00', close: '18:00' },
        { day: 6, open: '10:00', close: '16:00' },
      ],
      holidays: [{ date: '2027-02-06', name: 'Spring Festival 春节' }],
    };
    expect((await api(supervisor, 'PUT', url, { businessHours: hours })).status).toBe(403);
    expect((await api(admin, 'PUT', url, { businessHours: hours })).status).toBe(200);
    const after = await api(supervisor, 'GET', url);
    expect(after.body.businessHours).toEqual(hours);

    expect((await api(admin, 'PUT', url, { businessHours: null })).status).toBe(200);
    expect((await api(admin, 'GET', url)).body.businessHours).toBeNull();
  });

  it('agents may not read them; an unknown team is a 404 with a message', async () => {
    const teams = await api(admin, 'GET', '/api/v1/teams');
    const id = (teams.body.teams as { id: string }[])[0]?.id;
    expect((await api(agent, 'GET', `/api/v1/teams/${id}/business-hours`)).status).toBe(403);
    const missing = await api(
      admin,
      'GET',
      '/api/v1/teams/00000000-0000-4000-8000-000000000000/business-hours',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error?.message).toBeTruthy();
    expect((await api(admin, 'GET', '/api/v1/teams/nope/business-hours')).status).toBe(400);
  });
});

describe('finding articles by text', () => {
  beforeAll(async () => {
    const base = { category: 'withdrawal', status: 'draft' };
    for (const article of [
      {
        slug: 'whitelist-address',
        locale: 'en',
        title: 'Whitelist a withdrawal address',
        body: 'Open Security, then Address whitelist, and confirm by email.',
        tags: ['anti-phishing'],
      },
      {
        slug: 'whitelist-address',
        locale: 'zh-CN',
        title: '添加提币地址白名单',
        body: '打开安全中心，进入地址白名单，并通过邮件确认。',
        tags: [],
      },
      {
        slug: 'percent-fees',
        locale: 'en',
        title: 'Fees',
        body: 'A 0.1% trading fee applies.',
        tags: [],
      },
    ])
      expect((await api(admin, 'POST', '/api/v1/articles', { ...base, ...article })).status).toBe(
        201,
      );
  });

  const titles = async (query: string) => {
    const response = await api(agent, 'GET', `/api/v1/articles?${query}`);
    expect(response.status).toBe(200);
    return (response.body.articles as { title: string }[]).map((a) => a.title).sort();
  };

  it('by a phrase of the text, a tag or the title, in either language, with the other filters', async () => {
    expect(await titles('q=CONFIRM%20by%20email')).toEqual(['Whitelist a withdrawal address']);
    expect(await titles('q=anti-phishing')).toEqual(['Whitelist a withdrawal address']);
    expect(await titles(`q=${encodeURIComponent('地址白名单')}`)).toEqual(['添加提币地址白名单']);
    expect(await titles('q=whitelist-address&locale=zh-CN')).toEqual(['添加提币地址白名单']);
    expect(await titles('q=whitelist-address&status=published')).toEqual([]);
  });

  it('% and _ are searched for as characters, not patterns', async () => {
    expect(await titles('q=%25')).toEqual(['Fees']);
    expect(await titles('q=_')).toEqual([]);
  });

  it('a query longer than allowed is a 400 naming the field', async () => {
    const response = await api(agent, 'GET', `/api/v1/articles?q=${'a'.repeat(201)}`);
    expect(response.status).toBe(400);
    expect(response.body.error?.message).toMatch(/q/);
  });
});

describe('article preview', () => {
  it('renders Markdown as the help center does, without scripts', async () => {
    const response = await api(supervisor, 'POST', '/api/v1/articles/preview', {
      title: 'Fees <b>& limits</b>',
      body: '## Steps\n\n1. Open **Security**\n\n<script>alert(1)</script><a href="javascript:alert(1)">x</a>',
    });
    expect(response.status).toBe(200);
    const html = response.body.html as string;
    expect(html).toContain('<h1>Fees &lt;b&gt;&amp; limits&lt;/b&gt;</h1>');
    expect(html).toContain('<h2');
    expect(html).toContain('<strong>Security</strong>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('javascript:');
  });

  it('is for editors, and refuses a text that is too long', async () => {
    expect((await api(agent, 'POST', '/api/v1/articles/preview', { body: 'x' })).status).toBe(403);
    const long = await api(admin, 'POST', '/api/v1/articles/preview', {
      body: 'x'.repeat(100_001),
    });
    expect(long.status).toBe(400);
    const longTitle = await api(admin, 'POST', '/api/v1/articles/preview', {
      title: 'x'.repeat(201),
      body: 'x',
    });
    expect(longTitle.status).toBe(400);
    expect(longTitle.body.error?.message).toMatch(/title/);
  });
});

describe('canned response preview', () => {
  it('fills the variables from a sample conversation and names the unknown ones', async () => {
    const response = await api(agent, 'POST', '/api/v1/canned-responses/preview', {
      text: 'Hi {{customer.name}}, ticket #{{ticket.number}} is with {{agent.name}} at {{exchange.name}}. {{customer.nmae}}',
    });
    expect(response.status).toBe(200);
    expect(response.body.text).toBe(
      'Hi Alex Morgan, ticket #10042 is with Test agent at Demo Exchange. {{customer.nmae}}',
    );
    expect(response.body.unknown).toEqual(['customer.nmae']);
  });

  it('uses a Chinese sample customer for Chinese text', async () => {
    const response = await api(agent, 'POST', '/api/v1/canned-responses/preview', {
      text: '{{customer.name}}您好',
      locale: 'zh-CN',
    });
    expect(response.body.text).toBe('王小明您好');
    expect(response.body.unknown).toEqual([]);
  });

  it('an empty text is a 400 with a message', async () => {
    const response = await api(agent, 'POST', '/api/v1/canned-responses/preview', { text: '  ' });
    expect(response.status).toBe(400);
    expect(response.body.error?.message).toMatch(/empty/i);
  });
});
