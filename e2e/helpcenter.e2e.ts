import { createServer, type Server } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newConsoleContext, screenshot } from './helpers/browser.ts';
import { visible } from './helpers/console.ts';
import { type KefuServer, startKefuServer } from './helpers/kefu-server.ts';

// The public help center of the demo exchange, as a customer uses it: on a desktop browser
// and on a phone, in Chinese and in English.
let server: KefuServer;
let browser: Browser;
let smtp: Server;
const contexts: BrowserContext[] = [];
/** Console errors (a CSP violation shows up here) and uncaught exceptions, per page. */
const problems: string[] = [];

function watch(page: Page): Page {
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return page;
}

type Mail = { to: string[]; text: string };
const mails: Mail[] = [];

/** The body of a single-part mail, decoded (nodemailer writes base64 or quoted-printable). */
function decodeMail(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  if (/content-transfer-encoding:\s*base64/i.test(head))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head))
    return body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
  return body;
}

/** Just enough SMTP to receive the one-time codes Kefu mails (no TLS, no auth). */
function startSmtpSink(): Promise<Server> {
  const sink = createServer((socket) => {
    let buffer = '';
    let data: string[] | null = null;
    let to: string[] = [];
    socket.setEncoding('utf8');
    socket.write('220 e2e-smtp ready\r\n');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line === '.') {
            mails.push({ to, text: decodeMail(data.join('\r\n')) });
            data = null;
            to = [];
            socket.write('250 queued\r\n');
          } else data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const command = line.slice(0, 4).toUpperCase();
        if (command === 'EHLO' || command === 'HELO') socket.write('250 e2e-smtp\r\n');
        else if (command === 'RCPT') {
          to.push(/<([^>]*)>/.exec(line)?.[1]?.toLowerCase() ?? '');
          socket.write('250 ok\r\n');
        } else if (command === 'DATA') {
          data = [];
          socket.write('354 go ahead\r\n');
        } else if (command === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => sink.listen(0, '127.0.0.1', () => resolve(sink)));
}

async function desktopPage(locale = 'en-US'): Promise<Page> {
  const context = await newConsoleContext(browser, server.url, locale);
  contexts.push(context);
  return watch(await context.newPage());
}

/** A mid-range phone: 390×844 CSS pixels at 2×, touch. */
async function phonePage(locale: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: server.url,
    locale,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  return watch(await context.newPage());
}

beforeAll(async () => {
  smtp = await startSmtpSink();
  const address = smtp.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server = await startKefuServer({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  await new Promise((resolve) => smtp?.close(resolve));
});

describe('help center', () => {
  it('opens in the reader’s language and finds a Chinese article', async () => {
    const page = await desktopPage('zh-CN');
    await page.goto('/help');
    await page.waitForURL('**/help/zh-CN');
    await visible(page.getByRole('heading', { level: 1, name: '有什么可以帮您？' }));
    await visible(page.getByRole('link', { name: '充值', exact: true }));
    await screenshot(page, 'help-home-zh', { fullPage: true });

    await page.getByRole('searchbox', { name: '搜索帮助中心' }).fill('充值未到账');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/help\/zh-CN\/search\?q=/);
    const result = page.getByRole('link', { name: '充值未到账怎么办' });
    await visible(result);
    await screenshot(page, 'help-search-zh');
    await result.first().click();
    await page.waitForURL('**/help/zh-CN/articles/deposit-not-credited');
    await visible(page.getByRole('heading', { level: 1, name: '充值未到账怎么办' }));
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  });

  it('finds an English article', async () => {
    const page = await desktopPage('en-US');
    await page.goto('/help');
    await page.waitForURL('**/help/en');
    await screenshot(page, 'help-home-en', { fullPage: true });
    await page.getByRole('searchbox', { name: 'Search the help center' }).fill('reset 2FA');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/help\/en\/search\?q=/);
    const result = page.getByRole('link', { name: /2FA/ }).first();
    await visible(result);
    await screenshot(page, 'help-search-en');
    const href = await result.getAttribute('href');
    expect(href).toMatch(/^\/help\/en\/articles\//);
  });

  it('contact us: suggests articles while typing, then shows the ticket number', async () => {
    const page = await desktopPage('en-US');
    await page.goto('/help/en/contact');
    await visible(page.getByRole('heading', { level: 1, name: 'Contact us' }));
    await page
      .getByLabel('Describe the problem')
      .pressSequentially('My USDT deposit has not arrived, the txid shows confirmed', {
        delay: 15,
      });
    const suggestions = page.locator('#suggestions');
    await visible(
      suggestions.getByRole('heading', { name: 'These articles may answer your question' }),
    );
    await visible(suggestions.getByRole('link').first());
    expect(await suggestions.getByRole('link').count()).toBeGreaterThan(0);
    await page.getByLabel('Topic').selectOption('deposits');
    await page.getByLabel('Your email').fill(`e2e-${Date.now()}@customer-e2e.example`);
    await screenshot(page, 'help-contact-suggestions', { fullPage: true });
    // A double click still sends the form once.
    await page.getByRole('button', { name: 'Send' }).dblclick();
    await visible(page.getByRole('heading', { level: 1, name: 'We received your request' }));
    const number = await page.locator('[data-ticket-number]').textContent();
    expect(number).toMatch(/^#\d{6,}$/);
    await visible(page.getByRole('link', { name: 'Follow this ticket' }));
    await screenshot(page, 'help-contact-sent');
  });

  it('contact us: bad input is shown inline, in Chinese', async () => {
    const page = await desktopPage('zh-CN');
    await page.goto('/help/zh-CN/contact');
    await page.getByLabel('问题描述').fill('提币一直在审核中，已经超过两个小时了');
    await page.getByLabel('您的邮箱').fill('not-an-email');
    await page.getByRole('button', { name: '提交' }).click();
    await visible(page.getByText('请输入有效的邮箱地址，例如 name@example.com。').first());
    await visible(page.getByText('请选择问题类型。').first());
    expect(await page.getByLabel('您的邮箱').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'help-contact-errors-zh', { fullPage: true });
  });

  it('verify: official, look-alike and not official', async () => {
    const page = await desktopPage('en-US');
    await page.goto('/help/en/verify');
    const input = page.getByLabel('Link, email, @handle or phone number');
    const verdictOf = async (value: string) => {
      await input.fill(value);
      await page.getByRole('button', { name: 'Check' }).click();
      const verdict = page.locator('.verdict-label');
      await visible(verdict);
      return (await verdict.textContent())?.trim();
    };
    expect(await verdictOf('https://www.demo-exchange.example/login')).toBe('Official');
    await screenshot(page, 'help-verify-official');
    expect(await verdictOf('demo-exchange-support.co')).toBe('Look-alike: not official');
    await visible(page.getByText('Warning: this is NOT an official Demo Exchange channel.'));
    await screenshot(page, 'help-verify-lookalike');
    expect(await verdictOf('example.org')).toBe('Not official');
    await screenshot(page, 'help-verify-unknown');

    const zh = await phonePage('zh-CN');
    await zh.goto('/help/zh-CN/verify');
    await zh.getByLabel('链接、邮箱、@账号或电话号码').fill('demo-exchange-support.co');
    await zh.getByRole('button', { name: '验证' }).click();
    await visible(zh.getByText('仿冒：非官方'));
    await screenshot(zh, 'help-verify-lookalike-phone-zh', { fullPage: true });
  });

  it('an article on a phone, in Chinese and English; feedback without a reload', async () => {
    const page = await phonePage('zh-CN');
    await page.goto('/help/zh-CN/articles/deposit-not-credited');
    await visible(page.getByRole('heading', { level: 1, name: '充值未到账怎么办' }));
    // Nothing is wider than the phone: no sideways scrolling of the page.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'help-article-phone-zh');
    await screenshot(page, 'help-article-phone-zh-full', { fullPage: true });
    const url = page.url();
    await page.getByRole('button', { name: '有帮助', exact: true }).click();
    await visible(page.getByText('感谢您的反馈。'));
    expect(page.url()).toBe(url);

    await page.getByRole('link', { name: 'Read this in English' }).click();
    await page.waitForURL('**/help/en/articles/deposit-not-credited');
    await visible(page.getByRole('heading', { level: 1, name: 'My deposit has not arrived' }));
    await screenshot(page, 'help-article-phone-en');
  });

  it('ticket status: number and email, the mailed code, the ticket, a reply', async () => {
    const email = `ticket-${Date.now()}@customer-e2e.example`;
    const page = await phonePage('en-US');
    await page.goto('/help/en/contact');
    await page
      .getByLabel('Describe the problem')
      .fill('My BTC withdrawal has been pending since yesterday.');
    await page.getByLabel('Topic').selectOption('withdrawals');
    await page.getByLabel('Your email').fill(email);
    await page.getByRole('button', { name: 'Send' }).click();
    const number = ((await page.locator('[data-ticket-number]').textContent()) ?? '').slice(1);

    // An agent answers from the console's API.
    const admin = server.login('admin');
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin.email, password: admin.password }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const list = (await (
      await fetch(`${server.url}/api/v1/conversations?limit=200`, { headers: { cookie } })
    ).json()) as { conversations: { id: string; number: number }[] };
    const conversation = list.conversations.find((c) => String(c.number) === number);
    expect(conversation, JSON.stringify(list).slice(0, 300)).toBeDefined();
    const answered = await fetch(
      `${server.url}/api/v1/conversations/${conversation?.id}/messages`,
      {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'We are checking your withdrawal with the wallet team.' }),
      },
    );
    expect(answered.status).toBe(201);

    await page.getByRole('link', { name: 'Follow this ticket' }).click();
    await page.waitForURL(`**/help/en/tickets?number=${number}`);
    expect(await page.getByLabel('Ticket number').inputValue()).toBe(number);
    await page.getByLabel('Your email').fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Check your email' }));
    const deadline = Date.now() + 15_000;
    // The agent's answer is mailed to the customer too (no chat open): the code is in its own mail.
    const codeOf = (text: string) => /^\s+(\d{6})\s*$/m.exec(text)?.[1];
    const mailTo = () => mails.find((m) => m.to.includes(email) && codeOf(m.text) !== undefined);
    while (!mailTo() && Date.now() < deadline) await page.waitForTimeout(200);
    const mail = mailTo();
    const code = codeOf(mail?.text ?? '');
    expect(code, mails.map((m) => m.text).join('\n---\n') || 'no mail').toBeDefined();
    await page.getByLabel('6-digit code').fill(code ?? '');
    await page.getByRole('button', { name: 'Open the ticket' }).click();
    await page.waitForURL(`**/help/en/tickets/${number}`);
    await visible(page.getByRole('heading', { level: 1, name: `Ticket #${number}` }));
    await visible(page.getByText('We are checking your withdrawal with the wallet team.'));

    await page.getByLabel('Your reply').fill('Thank you. The amount is 0.5 BTC.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await visible(page.getByText('Your reply was sent.'));
    await visible(page.getByText('Thank you. The amount is 0.5 BTC.'));
    await screenshot(page, 'help-ticket-phone-en', { fullPage: true });
  });

  it('unknown help pages are help-center 404 pages, not the console', async () => {
    const page = await desktopPage('zh-CN');
    const response = await page.goto('/help/zh-CN/articles/no-such-article');
    expect(response?.status()).toBe(404);
    await visible(page.getByRole('heading', { level: 1, name: '页面不存在' }));
  });

  it('no page broke its content security policy or threw', () => {
    // The 400 and 404 answers above are meant; Chromium logs every 4xx page load.
    const meant = /Failed to load resource: the server responded with a status of 40[04]/;
    expect(problems.filter((p) => !meant.test(p))).toEqual([]);
  });
});
