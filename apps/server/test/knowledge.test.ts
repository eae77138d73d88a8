import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKefu, seedAgent, type TestAgent, type TestKefu } from './helpers/test-kefu.ts';

let kefu: TestKefu;
let editor: TestAgent;
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
    body: response.json() as Record<string, unknown>,
    raw: response.body,
  };
}

const fixtures = [
  {
    slug: 'withdrawal-pending',
    locale: 'zh-CN',
    title: '提币一直处于审核中怎么办',
    summary: '提币审核通常在 30 分钟内完成。',
    body: '提币提交后会经过风控审核，通常 30 分钟内完成。若超过 2 小时仍在审核中，请联系在线客服并提供提币记录。',
    category: 'withdrawals',
    tags: ['提币', '审核'],
    intents: ['withdrawal.pending'],
    status: 'published',
  },
  {
    slug: 'withdrawal-pending',
    locale: 'en',
    title: 'My withdrawal is pending review',
    summary: 'Most withdrawals are reviewed within 30 minutes.',
    body: 'After you submit a withdrawal it goes through a risk review, usually within 30 minutes. If it is still under review after 2 hours, contact support.',
    category: 'withdrawals',
    tags: ['withdrawal', 'review'],
    intents: ['withdrawal.pending'],
    status: 'published',
  },
  {
    slug: 'reset-2fa',
    locale: 'zh-CN',
    title: '丢失手机后如何重置谷歌验证器',
    summary: '通过身份验证重置双重验证，重置后提币限制 24 小时。',
    body: '如果手机丢失，无法获取谷歌验证码，请在登录页点击“安全项丢失”，上传手持证件照完成身份验证。重置后 24 小时内不能提币。',
    category: 'security',
    tags: ['2fa', '谷歌验证器'],
    intents: ['account.2fa'],
    status: 'published',
  },
  {
    slug: 'deposit-not-credited',
    locale: 'en',
    title: 'My deposit has not arrived',
    summary: 'Check the TxID and the confirmations on the network.',
    body: 'Deposits are credited after the required confirmations: BTC 2, ETH 12, TRON 20. Find the TxID in your wallet and check it on a block explorer.',
    category: 'deposits',
    tags: ['deposit', 'txid', 'confirmations'],
    intents: ['deposit.not_credited'],
    status: 'published',
  },
  {
    slug: 'secret-draft',
    locale: 'en',
    title: 'Unreleased listing plan',
    summary: 'draft',
    body: 'This draft mentions withdrawals but must not be found.',
    category: 'support',
    tags: [],
    intents: [],
    status: 'draft',
  },
] as const;

beforeAll(async () => {
  kefu = await createTestKefu();
  editor = await seedAgent(kefu, 'supervisor');
  agent = await seedAgent(kefu, 'agent');
  for (const f of fixtures)
    expect((await api(editor, 'POST', '/api/v1/articles', f)).status).toBe(201);
});
afterAll(() => kefu.close());

const search = async (q: string, locale: 'zh-CN' | 'en') =>
  (await api(null, 'GET', `/api/v1/kb/search?q=${encodeURIComponent(q)}&locale=${locale}`)).body
    .hits as { slug: string; locale: string; fallback: boolean }[];

describe('knowledge base search', () => {
  it('finds Chinese articles through segmentation and synonyms (提现 ~ 提币, 谷歌验证 ~ 2FA)', async () => {
    expect((await search('我的提现一直在审核', 'zh-CN'))[0]?.slug).toBe('withdrawal-pending');
    expect((await search('手机丢了 谷歌验证码收不到', 'zh-CN'))[0]?.slug).toBe('reset-2fa');
    expect((await search('双重验证 重置', 'zh-CN'))[0]?.slug).toBe('reset-2fa');
  });

  it('finds English articles with stemming, synonyms and typos', async () => {
    expect((await search('withdrawals stuck under review', 'en'))[0]?.slug).toBe(
      'withdrawal-pending',
    );
    expect((await search('my deposti has not been credited', 'en'))[0]?.slug).toBe(
      'deposit-not-credited',
    );
    expect((await search('wd pending', 'en'))[0]?.slug).toBe('withdrawal-pending');
  });

  it('falls back to the other language when the asked one has nothing', async () => {
    const hits = await search('lost authenticator reset', 'en');
    expect(hits[0]).toMatchObject({ slug: 'reset-2fa', locale: 'zh-CN', fallback: true });
    const zh = await search('充值没到账', 'zh-CN');
    expect(zh[0]).toMatchObject({ slug: 'deposit-not-credited', fallback: true });
  });

  it('never shows drafts; publishing updates the index at once, unpublishing removes it', async () => {
    expect(
      (await search('unreleased listing plan', 'en')).some((h) => h.slug === 'secret-draft'),
    ).toBe(false);
    const list = (await api(editor, 'GET', '/api/v1/articles?status=draft')).body.articles as {
      id: string;
      slug: string;
    }[];
    const draft = list.find((a) => a.slug === 'secret-draft');
    expect(
      (await api(editor, 'PATCH', `/api/v1/articles/${draft?.id}`, { status: 'published' })).status,
    ).toBe(200);
    expect((await search('unreleased listing plan', 'en'))[0]?.slug).toBe('secret-draft');
    expect(
      (
        await api(editor, 'PATCH', `/api/v1/articles/${draft?.id}`, {
          status: 'draft',
          title: 'Renamed',
        })
      ).status,
    ).toBe(200);
    expect(
      (await search('unreleased listing plan', 'en')).some((h) => h.slug === 'secret-draft'),
    ).toBe(false);
    const revisions = (await api(agent, 'GET', `/api/v1/articles/${draft?.id}/revisions`)).body
      .revisions as unknown[];
    expect(revisions).toHaveLength(3);
    expect((await api(null, 'GET', '/api/v1/kb/articles/en/secret-draft')).status).toBe(404);
  });

  it('serves a published article with its translations, and counts feedback', async () => {
    const { status, body } = await api(null, 'GET', '/api/v1/kb/articles/en/withdrawal-pending');
    expect(status).toBe(200);
    expect(body.translations).toEqual([
      { locale: 'zh-CN', slug: 'withdrawal-pending', title: '提币一直处于审核中怎么办' },
    ]);
    const id = (body.article as { id: string }).id;
    expect(
      (await api(null, 'POST', `/api/v1/kb/articles/${id}/feedback`, { helpful: true })).status,
    ).toBe(200);
    expect(
      ((await api(agent, 'GET', `/api/v1/articles/${id}`)).body as { helpfulCount: number })
        .helpfulCount,
    ).toBe(1);
  });
});

describe('knowledge base editing', () => {
  it('only admins and supervisors write; slugs are unique per language; bad input is named', async () => {
    expect(
      (await api(agent, 'POST', '/api/v1/articles', { ...fixtures[3], slug: 'agent-try' })).status,
    ).toBe(403);
    expect((await api(editor, 'POST', '/api/v1/articles', fixtures[3])).status).toBe(409);
    const bad = await api(editor, 'POST', '/api/v1/articles', {
      ...fixtures[3],
      slug: 'Bad Slug!',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/slug/);
  });

  it('exports and re-imports CSV and Markdown; an invalid file imports nothing', async () => {
    const csv = await kefu.app.inject({
      method: 'GET',
      url: '/api/v1/articles/export?format=csv',
      headers: { cookie: editor.cookie },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const edited = csv.body.replace(
      'My withdrawal is pending review',
      'My withdrawal is still pending',
    );
    const imported = await api(editor, 'POST', '/api/v1/articles/import', {
      format: 'csv',
      content: edited,
    });
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ created: 0 });
    expect((await search('still pending', 'en'))[0]?.slug).toBe('withdrawal-pending');

    const md = (await api(editor, 'GET', '/api/v1/articles/export?format=markdown')).body.files as {
      path: string;
      content: string;
    }[];
    expect(md.some((f) => f.path === 'zh-CN/reset-2fa.md' && f.content.startsWith('---'))).toBe(
      true,
    );
    const newFile = {
      path: 'en/fee-schedule.md',
      content:
        '---\ntitle: Trading fee schedule\ncategory: fees\ntags: [fees, maker, taker]\nintents: [fees]\nstatus: published\n---\nMaker 0.1%, taker 0.1%.\n',
    };
    const broken = { path: 'en/broken.md', content: '---\ntitle: no category\n---\nbody' };
    const rejected = await api(editor, 'POST', '/api/v1/articles/import', {
      format: 'markdown',
      files: [newFile, broken],
    });
    expect(rejected.status).toBe(400);
    expect(JSON.stringify(rejected.body)).toMatch(/broken\.md: category/);
    expect(
      (await search('maker taker fee schedule', 'en')).some((h) => h.slug === 'fee-schedule'),
    ).toBe(false);
    const ok = await api(editor, 'POST', '/api/v1/articles/import', {
      format: 'markdown',
      files: [newFile],
    });
    expect(ok.body).toEqual({ created: 1, updated: 0 });
    expect((await search('maker taker fee schedule', 'en'))[0]?.slug).toBe('fee-schedule');

    // New articles are written together; the same slug twice in one import, or one that exists,
    // is an update, and the last version wins.
    const card = (body: string) => ({
      path: 'en/card-deposits.md',
      content: `---\ntitle: Card deposits\ncategory: deposits\nstatus: published\n---\n${body}\n`,
    });
    const mixed = await api(editor, 'POST', '/api/v1/articles/import', {
      format: 'markdown',
      files: [
        card('Card deposits arrive within minutes.'),
        card('Card deposits arrive within ten minutes, zebra.'),
        { ...newFile, content: newFile.content.replace('Maker 0.1%', 'Maker 0.08%') },
      ],
    });
    expect(mixed.body).toEqual({ created: 1, updated: 2 });
    expect((await search('zebra card deposits', 'en'))[0]?.slug).toBe('card-deposits');
    const audit = await api(editor, 'GET', '/api/v1/audit?action=article.created&limit=100');
    expect(
      (audit.body.entries as { data: { slug?: string } }[]).filter(
        (e) => e.data.slug === 'card-deposits',
      ),
    ).toHaveLength(1);
  });
});
