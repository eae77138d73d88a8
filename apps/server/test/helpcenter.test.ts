import type { AddressInfo } from 'node:net';
import { translate } from '@kefu/shared/i18n';
import { eq, inArray } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from '../src/contacts/schema.ts';
import { conversations, messages } from '../src/conversations/schema.ts';
import { seedDemoKnowledge } from '../src/demo/seed-knowledge.ts';
import { systemActor } from '../src/deps.ts';
import { loadHelpAssets } from '../src/helpcenter/assets.ts';
import { html } from '../src/helpcenter/html.ts';
import { linkHelpUrls } from '../src/helpcenter/pages/tickets.ts';
import { createInbox } from '../src/inboxes/inboxes.ts';
import { seedDemoOfficialChannels } from '../src/safety/official-channels.ts';
import { expectEventually } from './helpers/realtime.ts';
import { createTestKefu, seedAgent, type TestAgent, type TestKefu } from './helpers/test-kefu.ts';

type Mail = { to: string[]; text: string };

let smtp: SMTPServer;
const mails: Mail[] = [];
let kefu: TestKefu;
let editor: TestAgent;
let inboxId: string;

/** The decoded text of a single-part mail as nodemailer writes it. */
function mailText(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  if (/content-transfer-encoding:\s*base64/i.test(head))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head))
    return Buffer.from(
      body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => `%${hex}`),
      'utf8',
    )
      .toString('utf8')
      .replace(/%([0-9A-F]{2})/g, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
  return body;
}

async function page(url: string, headers: Record<string, string> = {}) {
  const response = await kefu.app.inject({
    method: 'GET',
    url,
    headers: { accept: 'text/html', ...headers },
  });
  return { status: response.statusCode, body: response.body, headers: response.headers, response };
}

async function postForm(
  url: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
  remoteAddress?: string,
) {
  const response = await kefu.app.inject({
    method: 'POST',
    url,
    headers: {
      accept: 'text/html',
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    },
    payload: new URLSearchParams(fields).toString(),
    ...(remoteAddress ? { remoteAddress } : {}),
  });
  return { status: response.statusCode, body: response.body, headers: response.headers, response };
}

async function api(method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) {
  const response = await kefu.app.inject({
    method,
    url,
    headers: { cookie: editor.cookie },
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

const nonceOf = (html: string) => {
  const match = /name="nonce" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no nonce in the form');
  return match[1];
};
const ticketNumberOf = (html: string) => {
  const match = /data-ticket-number>#(\d+)</.exec(html);
  if (!match?.[1]) throw new Error('no ticket number on the page');
  return Number(match[1]);
};
const uniqueEmail = (prefix: string) =>
  `${prefix}-${Math.random().toString(36).slice(2, 10)}@helpcenter-test.example`;

async function conversationsOf(email: string) {
  const people = await kefu.deps.db.select().from(contacts).where(eq(contacts.email, email));
  if (people.length === 0) return [];
  return kefu.deps.db
    .select()
    .from(conversations)
    .where(
      inArray(
        conversations.contactId,
        people.map((p) => p.id),
      ),
    );
}

async function contactForm(
  locale: 'en' | 'zh-CN',
  fields: { email: string; category: string; description: string },
  nonce?: string,
) {
  const form = await page(`/help/${locale}/contact`);
  expect(form.status).toBe(200);
  return postForm(`/help/${locale}/contact`, { ...fields, nonce: nonce ?? nonceOf(form.body) });
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = (session.envelope.rcptTo || []).map((r) => r.address);
        mails.push({ to, text: mailText(Buffer.concat(chunks).toString('utf8')) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const { port } = smtp.server.address() as AddressInfo;
  kefu = await createTestKefu({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
  await seedDemoKnowledge(kefu.deps);
  await seedDemoOfficialChannels(kefu.deps);
  inboxId = (
    await createInbox(kefu.deps, systemActor, {
      channel: 'widget',
      name: 'Demo Exchange website',
      publicToken: 'demo-exchange-site',
    })
  ).id;
  editor = await seedAgent(kefu, 'supervisor');
});
afterAll(async () => {
  await kefu.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('help center pages', () => {
  it('sends /help to the reader’s language', async () => {
    for (const [language, target] of [
      ['zh-CN,zh;q=0.9,en;q=0.8', '/help/zh-CN'],
      ['en-US,en;q=0.9', '/help/en'],
      ['fr-FR', '/help/en'],
    ] as const) {
      const response = await page('/help', { 'accept-language': language });
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe(target);
      expect(String(response.headers.vary)).toMatch(/accept-language/i);
    }
    // A locale in the wrong case is moved to the right one; a trailing slash too.
    expect((await page('/help/zh-cn')).headers.location).toBe('/help/zh-CN');
    expect((await page('/help/en/')).headers.location).toBe('/help/en');
  });

  it('home lists the categories with their articles, in both languages', async () => {
    const zh = await page('/help/zh-CN');
    expect(zh.status).toBe(200);
    expect(zh.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(zh.body).toContain('<html lang="zh-CN">');
    for (const name of [
      '账户',
      '账户安全',
      '身份认证 (KYC)',
      '充值',
      '提币',
      '费用',
      '交易',
      '法币与银行卡',
      '客服与帮助',
    ])
      expect(zh.body).toContain(`>${name}</a></h3>`);
    expect(zh.body).toMatch(
      /<a href="\/help\/zh-CN\/categories\/deposits">充值<\/a><\/h3>\n<ul><li><a href="\/help\/zh-CN\/articles\/[a-z0-9-]+">/,
    );
    expect(zh.body).toContain(
      '<link rel="alternate" hreflang="en" href="http://localhost:3000/help/en">',
    );
    expect(zh.body).toContain('<link rel="canonical" href="http://localhost:3000/help/zh-CN">');
    expect(zh.body).toContain('<meta name="description" content="');
    expect(zh.body).toContain('Demo Exchange');
    // The standing safety notice, with the way to Verify.
    expect(zh.body).toContain('绝不会向您索要密码、双重验证码、私钥或助记词');
    expect(zh.body).toContain('href="/help/zh-CN/verify"');
    expect(zh.body).toContain('action="/help/zh-CN/search"');
    // The language switch, and the empty announcements slot.
    expect(zh.body).toContain(
      '<a class="lang" href="/help/en" hreflang="en" lang="en">English</a>',
    );
    expect(zh.body).toContain('<!-- slot:announcements -->');

    const en = await page('/help/en');
    expect(en.status).toBe(200);
    expect(en.body).toContain('<html lang="en">');
    for (const name of [
      'Account',
      'Security',
      'Identity verification (KYC)',
      'Deposits',
      'Withdrawals',
      'Fees',
      'Trading',
      'Fiat and cards',
      'Support',
    ])
      expect(en.body).toContain(`>${name}</a></h3>`);
    expect(en.body).toMatch(
      /<a href="\/help\/en\/categories\/deposits">Deposits<\/a><\/h3>\n<ul><li><a href="\/help\/en\/articles\/[a-z0-9-]+">/,
    );
    expect(en.body).toContain(
      '<a href="/help/en/categories/deposits">All articles in Deposits →</a>',
    );
    expect(en.body).toContain(
      'never asks for your password, 2FA codes, private keys or seed phrase',
    );
    expect(en.body).toContain(
      '<a class="lang" href="/help/zh-CN" hreflang="zh-CN" lang="zh-CN">中文</a>',
    );
  });

  it('a category page lists all its articles', async () => {
    const response = await page('/help/en/categories/withdrawals');
    expect(response.status).toBe(200);
    expect(response.body).toContain('<h1>Withdrawals</h1>');
    expect(response.body).toContain('href="/help/en/articles/how-to-withdraw"');
    expect((await page('/help/en/categories/no-such-topic')).status).toBe(404);
  });

  it('renders an article sanitized, with breadcrumbs, hreflang, translation link and related articles', async () => {
    const body = [
      '# A heading written as h1',
      '',
      'Before <script>alert("xss")</script> after.',
      '',
      '<img src="x" onerror="alert(1)"> <iframe src="https://evil.example"></iframe>',
      '',
      '[official](https://www.demo-exchange.example/fees) [evil](https://evil.example/steal) [inside](/help/en/articles/how-to-withdraw) [js](javascript:alert(1))',
      '',
      '| Coin | Fee |',
      '|---|---|',
      '| BTC | 0.0002 |',
      '',
      '```',
      'const fee = 1 < 2;',
      '```',
    ].join('\n');
    const en = await api('POST', '/api/v1/articles', {
      slug: 'helpcenter-sanitize-test',
      locale: 'en',
      title: 'Fees <b>bold</b> & "quoted"',
      summary: 'How withdrawal fees work.',
      body,
      category: 'withdrawals',
      tags: ['withdrawal', 'fee'],
      intents: ['withdrawal.fee'],
      status: 'published',
    });
    expect(en.status, JSON.stringify(en.body)).toBe(201);
    const zh = await api('POST', '/api/v1/articles', {
      slug: 'helpcenter-sanitize-test',
      locale: 'zh-CN',
      title: '提币手续费说明',
      summary: '提币手续费如何计算。',
      body: '提币手续费按网络收取。<script>alert(2)</script>',
      category: 'withdrawals',
      tags: ['提币'],
      intents: ['withdrawal.fee'],
      status: 'published',
    });
    expect(zh.status).toBe(201);

    const response = await page('/help/en/articles/helpcenter-sanitize-test');
    expect(response.status).toBe(200);
    const html = response.body;
    const article = html.slice(html.indexOf('<article'), html.indexOf('</article>'));
    expect(article).not.toMatch(/<script/i);
    expect(article).not.toContain('alert("xss")');
    expect(article).not.toMatch(/onerror/i);
    expect(article).not.toMatch(/<iframe/i);
    expect(article).not.toMatch(/javascript:/i);
    expect(article).toContain('<h2>A heading written as h1</h2>');
    expect(article).toContain('<table>');
    expect(article).toContain('<td>BTC</td>');
    expect(article).toContain('const fee = 1 &lt; 2;');
    expect(article).toContain(
      '<a href="https://evil.example/steal" rel="noopener nofollow">evil</a>',
    );
    expect(article).toContain('<a href="/help/en/articles/how-to-withdraw">inside</a>');
    // The only scripts on the page are the help center's own file (CSP: script-src 'self').
    expect(html.match(/<script[^>]*>/g)).toEqual([
      expect.stringMatching(/^<script src="\/help\/assets\/help\.js\?v=[0-9a-f]+" defer>$/),
    ]);
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    // The title is text, not markup.
    expect(html).toContain('<h1>Fees &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;</h1>');
    expect(html).toContain(
      '<title>Fees &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; · Demo Exchange Help Center</title>',
    );
    // Breadcrumbs, languages, related articles, feedback.
    expect(html).toContain('<a href="/help/en/categories/withdrawals">Withdrawals</a>');
    expect(html).toContain(
      '<link rel="alternate" hreflang="zh-CN" href="http://localhost:3000/help/zh-CN/articles/helpcenter-sanitize-test">',
    );
    expect(html).toContain(
      '<link rel="canonical" href="http://localhost:3000/help/en/articles/helpcenter-sanitize-test">',
    );
    expect(html).toContain(
      '<a href="/help/zh-CN/articles/helpcenter-sanitize-test" hreflang="zh-CN" lang="zh-CN" rel="alternate">阅读中文版</a>',
    );
    expect(html).toContain('<meta name="description" content="How withdrawal fees work.">');
    expect(html).toMatch(
      /<h2 id="related-title">Related articles<\/h2>\n<ul><li><a href="\/help\/en\/articles\//,
    );
    expect(html).toContain('action="/help/en/articles/helpcenter-sanitize-test/feedback"');

    const chinese = await page('/help/zh-CN/articles/helpcenter-sanitize-test');
    expect(chinese.status).toBe(200);
    expect(chinese.body).toContain('<html lang="zh-CN">');
    expect(chinese.body).not.toContain('alert(2)');
    expect(chinese.body).toContain('<a href="/help/zh-CN/categories/withdrawals">提币</a>');
    expect(chinese.body).toContain(
      'hreflang="en" lang="en" rel="alternate">Read this in English</a>',
    );
  });

  it('records "was this helpful?" with or without JavaScript', async () => {
    const [row] = (await api('GET', '/api/v1/articles?locale=en&category=deposits').then(
      (r) => r.body.articles,
    )) as { id: string; slug: string; helpfulCount: number; notHelpfulCount: number }[];
    if (!row) throw new Error('no deposit article');
    const url = `/help/en/articles/${row.slug}`;
    const plain = await postForm(`${url}/feedback`, { helpful: 'yes' });
    expect(plain.status).toBe(303);
    expect(plain.headers.location).toBe(`${url}?feedback=yes#feedback`);
    const thanks = await page(`${url}?feedback=yes`);
    expect(thanks.body).toContain('<div class="thanks" data-feedback-answer="yes" role="status">');
    expect(thanks.body).not.toContain('data-feedback>');

    const viaScript = await postForm(
      `${url}/feedback`,
      { helpful: 'no' },
      { accept: 'application/json' },
    );
    expect(viaScript.status).toBe(200);
    expect(viaScript.response.json()).toEqual({ ok: true });
    const after = await api('GET', `/api/v1/articles/${row.id}`);
    expect(after.body.helpfulCount).toBe(row.helpfulCount + 1);
    expect(after.body.notHelpfulCount).toBe(row.notHelpfulCount + 1);
  });

  it('answers unknown articles, drafts and locales with a localized 404 page', async () => {
    const draft = await api('POST', '/api/v1/articles', {
      slug: 'helpcenter-draft',
      locale: 'en',
      title: 'Unreleased listing',
      body: 'Secret listing plan.',
      category: 'trading',
      status: 'draft',
    });
    expect(draft.status).toBe(201);
    for (const url of ['/help/en/articles/helpcenter-draft', '/help/en/articles/no-such-article']) {
      const response = await page(url);
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toContain('<html lang="en">');
      expect(response.body).toContain('Page not found');
      expect(response.body).not.toContain('Secret listing plan');
    }
    const zh = await page('/help/zh-CN/articles/no-such-article');
    expect(zh.status).toBe(404);
    expect(zh.body).toContain('页面不存在');
    // An unknown locale: the reader's language from Accept-Language.
    const fr = await page('/help/fr', { 'accept-language': 'zh-CN' });
    expect(fr.status).toBe(404);
    expect(fr.body).toContain('<html lang="zh-CN">');
    expect(fr.body).toContain('页面不存在');
    // Deeper unknown paths are help-center 404 pages too, never the console.
    const deep = await page('/help/en/not/a/page');
    expect(deep.status).toBe(404);
    expect(deep.body).toContain('Page not found');
  });

  it('searches in Chinese and English, marks the other-language fallback, and has empty states', async () => {
    const zh = await page(`/help/zh-CN/search?q=${encodeURIComponent('充值未到账')}`);
    expect(zh.status).toBe(200);
    expect(zh.body).toContain('“充值未到账”的搜索结果');
    expect(zh.body).toContain(
      '<a href="/help/zh-CN/articles/deposit-not-credited">充值未到账怎么办</a>',
    );

    const en = await page(`/help/en/search?q=${encodeURIComponent('reset 2FA authenticator')}`);
    expect(en.status).toBe(200);
    expect(en.body).toContain('href="/help/en/articles/reset-2fa"');

    const only = await api('POST', '/api/v1/articles', {
      slug: 'helpcenter-english-only',
      locale: 'en',
      title: 'Zorblax token migration',
      summary: 'The zorblax swap.',
      body: 'Zorblax holders receive the new token automatically.',
      category: 'trading',
      status: 'published',
    });
    expect(only.status).toBe(201);
    const fallback = await page('/help/zh-CN/search?q=zorblax');
    expect(fallback.body).toContain(
      '<li lang="en">\n<a href="/help/en/articles/helpcenter-english-only" hreflang="en">Zorblax token migration</a>',
    );
    expect(fallback.body).toContain('<span class="badge" lang="zh-CN">英文文章</span>');

    const empty = await page('/help/en/search');
    expect(empty.body).toContain('Type a few words about your question');
    const none = await page(`/help/en/search?q=${encodeURIComponent('qqqzzzxxx wwwvvv')}`);
    expect(none.body).toContain('No articles match “qqqzzzxxx wwwvvv”');
    expect(none.body).toContain('href="/help/en/contact?q=qqqzzzxxx%20wwwvvv"');
  });

  it('serves its small CSS and JS with long caching', async () => {
    const assets = loadHelpAssets();
    let total = 0;
    for (const [name, asset] of assets) {
      const response = await page(`/help/assets/${name}?v=${asset.version}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(asset.contentType);
      expect(response.headers['cache-control']).toContain('immutable');
      total += Buffer.byteLength(response.body);
      const again = await page(`/help/assets/${name}`, { 'if-none-match': `"${asset.version}"` });
      expect(again.status).toBe(304);
    }
    expect(total).toBeLessThan(10 * 1024);
    expect((await page('/help/assets/other.js')).status).toBe(404);
  });
});

describe('contact us', () => {
  it('creates exactly one ticket for a double submit and shows its number', async () => {
    const email = uniqueEmail('Double');
    const form = await page('/help/en/contact');
    const nonce = nonceOf(form.body);
    const fields = {
      email,
      category: 'deposits',
      description: 'My USDT deposit on TRC20 has not arrived after two hours.',
      nonce,
    };
    const first = await postForm('/help/en/contact', fields);
    expect(first.status).toBe(201);
    expect(first.body).toContain('We received your request');
    const number = ticketNumberOf(first.body);
    expect(first.body).toContain(`href="/help/en/tickets?number=${number}"`);

    const second = await postForm('/help/en/contact', fields);
    expect(second.status).toBe(200);
    expect(ticketNumberOf(second.body)).toBe(number);
    expect(second.body).toContain('You already sent this request');

    const list = await conversationsOf(email.toLowerCase());
    expect(list).toHaveLength(1);
    const [conversation] = list;
    expect(conversation?.number).toBe(number);
    expect(conversation?.inboxId).toBe(inboxId);
    expect(conversation?.channel).toBe('widget');
    expect(conversation?.subject).toBe(
      '[Deposits] My USDT deposit on TRC20 has not arrived after two hours.',
    );
    const stored = await kefu.deps.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversation?.id ?? ''));
    expect(stored.filter((m) => m.senderType === 'contact')).toHaveLength(1);
  });

  it('a new form is a new ticket; a seed phrase never reaches storage', async () => {
    const email = uniqueEmail('secret');
    const seed =
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
    const response = await contactForm('zh-CN', {
      email,
      category: 'security',
      description: `我的钱包助记词是 ${seed} 请帮我找回资产`,
    });
    expect(response.status).toBe(201);
    expect(response.body).toContain('<html lang="zh-CN">');
    expect(response.body).toContain('我们已收到您的请求');
    expect(response.body).toContain('class="notice warn" role="alert"');
    const [conversation] = await conversationsOf(email);
    expect(conversation?.subject).not.toContain('abandon');
    const stored = await kefu.deps.db
      .select()
      .from(messages)
      .where(eq(messages.conversationId, conversation?.id ?? ''));
    for (const m of stored) expect(m.text).not.toContain('abandon abandon');

    const again = await contactForm('zh-CN', {
      email,
      category: 'other',
      description: '另一个问题：如何修改手机号？',
    });
    expect(again.status).toBe(201);
    expect(await conversationsOf(email)).toHaveLength(2);
  });

  it('shows bad input inline in the page language (400, nothing created)', async () => {
    const form = await page('/help/zh-CN/contact');
    const nonce = nonceOf(form.body);
    const response = await postForm('/help/zh-CN/contact', {
      email: 'not-an-email',
      category: '',
      description: '短',
      nonce,
    });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<div class="errors" role="alert"');
    expect(response.body).toContain(
      '<p class="error" id="contact-email-error">请输入有效的邮箱地址，例如 name@example.com。</p>',
    );
    expect(response.body).toContain('请选择问题类型。');
    expect(response.body).toContain('请至少用 8 个字描述问题。');
    expect(response.body).toMatch(
      /id="contact-email"[^>]*value="not-an-email"[^>]*aria-describedby="contact-email-hint contact-email-error" aria-invalid="true"/,
    );
    expect(response.body).toContain('>短</textarea>');
    // The same form, so a corrected submit is still the one ticket.
    expect(nonceOf(response.body)).toBe(nonce);
    expect(await conversationsOf('not-an-email')).toHaveLength(0);

    const en = await postForm('/help/en/contact', {
      email: '',
      category: 'fees',
      description: 'What are the withdrawal fees for BTC?',
      nonce,
    });
    expect(en.status).toBe(400);
    expect(en.body).toContain('Enter your email address.');
  });

  it('refuses a forged or missing form nonce', async () => {
    const email = uniqueEmail('forged');
    for (const nonce of ['', 'made-up', 'AAAAAAAAAAAAAAAAAAAAAA.abc.AAAAAAAAAAAAAAAAAAAAAA']) {
      const response = await postForm('/help/en/contact', {
        email,
        category: 'account',
        description: 'I cannot log in to my account since yesterday.',
        nonce,
      });
      expect(response.status).toBe(400);
      expect(response.body).toContain('This form has expired');
      // A fresh, valid nonce to send it again.
      expect(nonceOf(response.body)).not.toBe(nonce);
    }
    expect(await conversationsOf(email)).toHaveLength(0);
  });

  it('answers too many posts with a 429 page', async () => {
    let last = await postForm('/help/en/verify', { value: '' }, {}, '10.9.8.7');
    for (let i = 0; i < 130 && last.status !== 429; i++)
      last = await postForm('/help/en/verify', { value: '' }, {}, '10.9.8.7');
    expect(last.status).toBe(429);
    expect(last.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(last.body).toContain('Too many requests');
  });
});

describe('verify', () => {
  const check = (locale: 'en' | 'zh-CN', value: string) =>
    postForm(`/help/${locale}/verify`, { value });

  it('lists the official channels', async () => {
    const response = await page('/help/en/verify');
    expect(response.status).toBe(200);
    expect(response.body).toContain('<code>support@demo-exchange.example</code>');
    expect(response.body).toContain('<code>@demoexchange</code>');
  });

  it('says official, look-alike or not official, with reasons and the notice', async () => {
    const official = await check('en', 'https://www.demo-exchange.example/login');
    expect(official.status).toBe(200);
    expect(official.body).toContain('class="verdict verdict-official"');
    expect(official.body).toContain('>Official</p>');
    expect(official.body).toContain(translate('en', 'verify.reason.registered'));
    expect(official.body).toContain('value="https://www.demo-exchange.example/login"');

    const lookalike = await check('en', 'demo-exchange-support.co');
    expect(lookalike.body).toContain('class="verdict verdict-lookalike"');
    expect(lookalike.body).toContain('Look-alike: not official');

    const unknown = await check('en', 'example.org');
    expect(unknown.body).toContain('class="verdict verdict-unknown"');
    expect(unknown.body).toContain('>Not official</p>');
    expect(unknown.body).toContain('never asks for your password');

    const zh = await check('zh-CN', '@DemoExchangeCN');
    expect(zh.body).toContain('class="verdict verdict-official"');
    expect(zh.body).toContain('>官方渠道</p>');

    const empty = await check('zh-CN', '  ');
    expect(empty.status).toBe(400);
    expect(empty.body).toContain('请粘贴要核实的链接、邮箱地址、账号或电话号码。');
  });
});

describe('html', () => {
  it('escapes every interpolated value unless it is html itself', () => {
    const name = '"><script>alert(1)</script>';
    const inner = html`<b>${'&'}</b>`;
    expect(
      html`<p title="${name}">${name}${inner}${[1, null, false, undefined, 'x']}</p>`.value,
    ).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;<b>&amp;</b>1x</p>',
    );
  });

  it('links only this help center’s URLs in ticket messages', () => {
    const text =
      'See http://localhost:3000/help/en/articles/find-txid. Not <b>https://evil.example/help/x</b>';
    expect(linkHelpUrls(text, 'http://localhost:3000').value).toBe(
      'See <a href="http://localhost:3000/help/en/articles/find-txid">http://localhost:3000/help/en/articles/find-txid</a>. Not &lt;b&gt;https://evil.example/help/x&lt;/b&gt;',
    );
  });
});

describe('ticket status', () => {
  const codeFrom = (mail: Mail) => {
    const match = mail.text.match(/^\s+(\d{6})\s*$/m);
    if (!match?.[1]) throw new Error(`no code in mail:\n${mail.text}`);
    return match[1];
  };
  const nextMailTo = (email: string, seen: number) =>
    expectEventually(() => {
      const list = mails.filter((m) => m.to.includes(email));
      expect(list.length).toBeGreaterThan(seen);
      return list[seen] as Mail;
    }, 10_000);

  it('number + email → mailed code → the ticket with public messages → a reply', async () => {
    const email = uniqueEmail('ticket');
    const created = await contactForm('en', {
      email,
      category: 'withdrawals',
      description: 'My BTC withdrawal has been pending for a day.',
    });
    const number = ticketNumberOf(created.body);
    const [conversation] = await conversationsOf(email);
    if (!conversation) throw new Error('no conversation');
    const answer = await api('POST', `/api/v1/conversations/${conversation.id}/messages`, {
      text: 'We are checking the withdrawal with our wallet team.',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const note = await api('POST', `/api/v1/conversations/${conversation.id}/messages`, {
      text: 'Internal: hot wallet is being rebalanced',
      private: true,
    });
    expect(note.status).toBe(201);

    // Without access, the ticket page sends the reader to the lookup form.
    const anonymous = await page(`/help/en/tickets/${number}`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe(`/help/en/tickets?number=${number}&state=expired`);
    const lookup = await page(anonymous.headers.location ?? '');
    expect(lookup.body).toContain(`name="number" value="${number}"`);
    expect(lookup.body).toContain('Your access to this ticket has ended');

    const bad = await postForm('/help/en/tickets', { number: 'abc', email });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('A ticket number has digits only, like 100123.');

    const started = await postForm('/help/en/tickets', {
      number: `#${number}`,
      email: email.toUpperCase(),
    });
    expect(started.status).toBe(200);
    expect(started.body).toContain('Check your email');
    expect(started.body).toContain(`If ticket #${number} belongs to ${email}`);
    const code = codeFrom(await nextMailTo(email, 0));

    const wrong = await postForm('/help/en/tickets/code', {
      number: String(number),
      email,
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toContain(translate('en', 'errors.ticket.code_invalid'));
    expect(wrong.headers['set-cookie']).toBeUndefined();

    const opened = await postForm('/help/en/tickets/code', {
      number: String(number),
      email,
      code: `${code.slice(0, 3)} ${code.slice(3)}`,
    });
    expect(opened.status).toBe(303);
    expect(opened.headers.location).toBe(`/help/en/tickets/${number}`);
    const cookie = opened.response.cookies.find((c) => c.name === 'kefu_help_ticket');
    expect(cookie).toMatchObject({ path: '/help', httpOnly: true, sameSite: 'Lax' });
    const withCookie = { cookie: `kefu_help_ticket=${cookie?.value}` };

    const view = await page(`/help/en/tickets/${number}`, withCookie);
    expect(view.status).toBe(200);
    expect(view.headers['cache-control']).toContain('no-store');
    expect(view.body).toContain(`<h1>Ticket #${number}</h1>`);
    expect(view.body).toContain('<span class="status status-open">Open</span>');
    expect(view.body).toContain('My BTC withdrawal has been pending for a day.');
    expect(view.body).toContain('We are checking the withdrawal with our wallet team.');
    expect(view.body).not.toContain('hot wallet is being rebalanced');
    expect(view.body.indexOf('My BTC withdrawal')).toBeLessThan(
      view.body.indexOf('We are checking'),
    );

    // Another ticket's page stays closed to this cookie.
    const other = await contactForm('en', {
      email: uniqueEmail('other'),
      category: 'fees',
      description: 'How much is the ETH withdrawal fee?',
    });
    const foreign = await page(`/help/en/tickets/${ticketNumberOf(other.body)}`, withCookie);
    expect(foreign.status).toBe(303);

    const nonce = nonceOf(view.body);
    const reply = { text: 'Thank you, here is the TxID I was given: none yet.', nonce };
    const sent = await postForm(`/help/en/tickets/${number}/reply`, reply, withCookie);
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`/help/en/tickets/${number}?sent=1#latest`);
    const twice = await postForm(`/help/en/tickets/${number}/reply`, reply, withCookie);
    expect(twice.status).toBe(303);
    const after = await page(`/help/en/tickets/${number}?sent=1`, withCookie);
    expect(after.body).toContain('Your reply was sent.');
    expect(after.body.split('here is the TxID I was given').length - 1).toBe(1);

    const empty = await postForm(
      `/help/en/tickets/${number}/reply`,
      { text: ' ', nonce },
      withCookie,
    );
    expect(empty.status).toBe(400);
    expect(empty.body).toContain('Write a reply first.');

    const left = await postForm('/help/en/tickets/leave', {}, withCookie);
    expect(left.status).toBe(303);
    expect(String(left.headers['set-cookie'])).toMatch(/kefu_help_ticket=;.*Path=\/help/);
  });
});
