import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newConsoleContext, screenshot } from './helpers/browser.ts';
import { dialog, signIn, visible } from './helpers/console.ts';
import { freePort, type KefuServer, REPO_ROOT, startKefuServer } from './helpers/kefu-server.ts';

// The customer-side extras: an admin publishes an incident in the console; the help center and
// an already open widget show it without a reload; the assistant answers a matching question
// with it first.

const INCIDENT_EN = 'ETH withdrawals delayed: network congestion';
const INCIDENT_ZH = 'ETH 提币延迟：网络拥堵';

/** What /embed serves: the embed code as the console's widget settings screen shows it. */
let embedSnippet = '';

/** The exchange's website (another origin, strict CSP) embedding the widget. */
function startHostSite(port: number, kefuUrl: string): Promise<Server> {
  const template = readFileSync(path.join(REPO_ROOT, 'e2e/fixtures/host.html'), 'utf8');
  const server = createServer((request, response) => {
    if (request.url === '/embed') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Exchange</title></head><body><h1>Exchange</h1>${embedSnippet}</body></html>`,
      );
      return;
    }
    if (request.url !== '/' && !request.url?.startsWith('/?')) {
      response.writeHead(404).end();
      return;
    }
    const nonce = randomBytes(16).toString('base64');
    const ws = kefuUrl.replace(/^http/, 'ws');
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': [
        "default-src 'self'",
        `script-src 'nonce-${nonce}' ${kefuUrl}`,
        `style-src 'self' 'nonce-${nonce}'`,
        `connect-src 'self' ${kefuUrl} ${ws}`,
        `img-src 'self' data: blob: ${kefuUrl}`,
      ].join('; '),
    });
    response.end(template.replaceAll('{{KEFU_URL}}', kefuUrl).replaceAll('{{NONCE}}', nonce));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

let smtp: SMTPServer;
const mails: { to: string[]; subject: string; text: string }[] = [];
let server: KefuServer;
let host: Server;
let hostUrl: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function phone(locale: string, url = hostUrl): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale,
    timezoneId: 'Asia/Shanghai',
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
  });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const to = (session.envelope.rcptTo || []).map((r) => r.address);
      simpleParser(stream)
        .then((parsed) => {
          mails.push({ to, subject: parsed.subject ?? '', text: parsed.text ?? '' });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const hostPort = await freePort();
  hostUrl = `http://127.0.0.1:${hostPort}`;
  server = await startKefuServer({
    env: { KEFU_WIDGET_ORIGINS: hostUrl, SMTP_URL: `smtp://127.0.0.1:${smtpPort}` },
  });
  host = await startHostSite(hostPort, server.url);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  if (host) {
    host.closeAllConnections();
    await new Promise((resolve) => host.close(resolve));
  }
  await server?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

let admin: Page;

describe('announcements and incidents', () => {
  let customer: Page;
  let customerZh: Page;

  it('an admin publishes an incident; an open widget shows it live', async () => {
    customer = await phone('en-US');
    await customer.getByRole('button', { name: /Open support chat/ }).click();
    const chat = await visible(customer.getByRole('dialog'));
    await visible(chat.getByRole('textbox', { name: 'Your message' }));
    customerZh = await phone('zh-CN');
    await customerZh.getByRole('button', { name: /打开在线客服/ }).click();
    await visible(customerZh.getByRole('dialog'));
    await expect(chat.getByTestId('announcement').count()).resolves.toBe(0);

    const context = await newConsoleContext(browser, server.url);
    contexts.push(context);
    admin = await context.newPage();
    const login = server.login('admin');
    await signIn(admin, login.email, login.password);
    await admin.getByRole('navigation').getByRole('link', { name: 'Announcements' }).click();
    await admin.waitForURL('**/admin/announcements');
    await admin.getByRole('button', { name: 'Publish announcement' }).click();
    const form = await dialog(admin, 'New announcement');
    // Both languages are required.
    await form.getByLabel('Banner (English)').fill(INCIDENT_EN);
    await form.getByRole('button', { name: 'Publish announcement' }).click();
    await visible(form.getByText('Write the banner in this language.'));
    await form.getByLabel('Banner (Chinese)').fill(INCIDENT_ZH);
    await form
      .getByLabel('Details (English, optional)')
      .fill('Your funds are safe; withdrawals go out as soon as the network clears.');
    await form
      .getByLabel('Details (Chinese, optional)')
      .fill('您的资产安全，网络恢复后提币将自动完成。');
    for (const [label, values] of [
      ['Intents (optional)', ['withdrawal.pending']],
      ['Keywords (optional)', ['withdraw', '提币']],
      ['Assets (optional)', ['ETH']],
    ] as const) {
      const input = form.getByLabel(label);
      for (const value of values) {
        await input.fill(value);
        await input.press('Enter');
      }
    }
    await screenshot(admin, 'announcements-publish-en');
    await form.getByRole('button', { name: 'Publish announcement' }).click();
    await form.waitFor({ state: 'hidden' });
    const row = await visible(
      admin.getByTestId('announcement-row').filter({ hasText: INCIDENT_EN }),
    );
    await visible(row.getByText('Active'));
    await screenshot(admin, 'announcements-list-en');

    // The open widgets got it without a reload, each in its customer's language.
    await visible(chat.getByTestId('announcement').filter({ hasText: INCIDENT_EN }));
    await screenshot(customer, 'widget-incident-phone-en');
    await visible(
      customerZh.getByRole('dialog').getByTestId('announcement').filter({ hasText: INCIDENT_ZH }),
    );
    await screenshot(customerZh, 'widget-incident-phone-zh-CN');
  });

  it('the help center shows it on every page, in the page language', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${server.url}/help/en`);
    await visible(page.getByRole('alert').filter({ hasText: INCIDENT_EN }));
    await screenshot(page, 'helpcenter-incident-en');
    await page.goto(`${server.url}/help/zh-CN/verify`);
    await visible(page.getByRole('alert').filter({ hasText: INCIDENT_ZH }));
    await screenshot(page, 'helpcenter-incident-zh-CN');
    await page.getByRole('alert').getByRole('link').click();
    await page.waitForURL('**/help/zh-CN/announcements*');
    await visible(page.getByText('您的资产安全'));
  });

  it('the assistant answers a matching question with the incident first', async () => {
    const chat = customer.getByRole('dialog');
    const input = chat.getByRole('textbox', { name: 'Your message' });
    await input.fill('my ETH withdrawal is stuck');
    await input.press('Enter');
    const reply = chat.locator('li[data-sender="assistant"]').last();
    await visible(reply.filter({ hasText: 'Your funds are safe' }), 20_000);
    const text = (await reply.locator('.bubble').first().textContent()) ?? '';
    expect(text.startsWith(INCIDENT_EN)).toBe(true);
    await screenshot(customer, 'widget-incident-answer-phone-en');
  });

  it('resolving it removes the banner from open widgets', async () => {
    const row = admin.getByTestId('announcement-row').filter({ hasText: INCIDENT_EN });
    await row.getByRole('button', { name: /Resolve/ }).click();
    const confirm = await dialog(admin, /Resolve/);
    await confirm.getByRole('button', { name: 'Resolve', exact: true }).click();
    await visible(row.getByText('Resolved'));
    await customer.getByRole('dialog').getByTestId('announcement').waitFor({ state: 'detached' });

    // The console page in Chinese.
    await admin.evaluate(() => localStorage.clear());
    const context = await newConsoleContext(browser, server.url, 'zh-CN');
    contexts.push(context);
    const zh = await context.newPage();
    const login = server.login('admin');
    await zh.goto('/sign-in');
    await zh.getByLabel(/邮箱|Email/).fill(login.email);
    await zh.getByLabel(/^密码|^Password/).fill(login.password);
    await zh.getByRole('button', { name: /^登录$|^Sign in$/ }).click();
    await zh.waitForURL('**/inbox');
    await zh.goto('/admin/announcements');
    await visible(zh.getByRole('heading', { name: '公告' }));
    await visible(zh.getByText('已解除'));
    await screenshot(zh, 'announcements-list-zh-CN');
  });
});

describe('widget settings, pre-chat form and transcript by email', () => {
  let chat: Page;
  const email = `lin-${Date.now()}@mail-test.example`;

  it('the settings screen shows a working snippet and a live preview of the real widget', async () => {
    await admin.goto('/admin/widget');
    await visible(admin.getByRole('heading', { name: 'Chat widget' }));
    const snippet = (await admin.getByTestId('embed-snippet').textContent()) ?? '';
    expect(snippet).toBe(
      `<script src="${server.url}/widget.js" data-site-token="demo-exchange-site" async></script>`,
    );
    // The pre-chat form: name, email and a topic, all required.
    for (const field of ['Name', 'Email', 'Topic']) {
      await admin
        .getByRole('radiogroup', { name: field, exact: true })
        .getByText('Required')
        .click();
    }
    for (const [id, en, zh] of [
      ['deposits', 'Deposits', '充值'],
      ['withdrawals', 'Withdrawals', '提币'],
    ] as const) {
      await admin.getByRole('button', { name: 'Add topic' }).click();
      const row = admin.getByTestId('topic-row').last();
      await row.getByLabel('Id').fill(id);
      await row.getByLabel('English').fill(en);
      await row.getByLabel('Chinese').fill(zh);
    }
    await admin.getByLabel('Greeting (English)').fill('Welcome to Demo Exchange support!');
    await admin.getByRole('button', { name: 'Save settings' }).click();
    await visible(admin.getByText('Widget settings saved.'));

    // The preview is the real widget, with the saved settings.
    const preview = admin.frameLocator('iframe[title="Widget preview"]');
    await visible(preview.getByRole('dialog').getByTestId('prechat'), 20_000);
    await visible(preview.getByText('Welcome to Demo Exchange support!'));
    await screenshot(admin, 'widget-settings-form-en');
    await admin.getByRole('heading', { name: 'Chat widget' }).scrollIntoViewIfNeeded();
    await screenshot(admin, 'widget-settings-en');
    await admin
      .getByRole('radiogroup', { name: 'Language', exact: true })
      .getByText('中文')
      .click();
    await visible(admin.getByRole('heading', { name: '聊天窗口' }));
    await visible(admin.getByTestId('embed-snippet'));
    await screenshot(admin, 'widget-settings-zh-CN');
    await admin.getByRole('radiogroup', { name: '语言', exact: true }).getByText('EN').click();
    await visible(admin.getByRole('heading', { name: 'Chat widget' }));

    // The snippet works on a page of the exchange's.
    embedSnippet = snippet;
    chat = await phone('zh-CN', `${hostUrl}/embed`);
    await chat.getByRole('button', { name: /打开在线客服/ }).click();
    await visible(chat.getByRole('dialog').getByTestId('prechat'));
  });

  it('the pre-chat form checks answers in the customer’s language, then the chat starts', async () => {
    const panel = chat.getByRole('dialog');
    const form = panel.getByTestId('prechat');
    await form.getByRole('button', { name: '开始咨询' }).click();
    await visible(form.getByText('请填写此项。'));
    await visible(form.getByText('请选择一个主题。'));
    await form.getByLabel(/您的姓名/).fill('林伟');
    await form.getByLabel(/您的邮箱/).fill('lin@');
    await form.getByRole('button', { name: '开始咨询' }).click();
    await visible(form.getByText('请输入有效的邮箱地址，例如 name@example.com。'));
    await screenshot(chat, 'widget-prechat-phone-zh-CN');
    await form.getByLabel(/您的邮箱/).fill(email);
    await form.getByLabel(/咨询主题/).selectOption('withdrawals');
    await form.getByRole('button', { name: '开始咨询' }).click();
    const composer = panel.getByRole('textbox', { name: '您的消息' });
    await visible(composer);
    await composer.fill('我的提币一直在审核中');
    await composer.press('Enter');
    await visible(panel.locator('li[data-sender="assistant"]'), 20_000);

    // Name and email are on the customer, the topic on the conversation.
    const cookieHeader = (await admin.context().cookies())
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const list = (await (
      await fetch(`${server.url}/api/v1/contacts?q=${encodeURIComponent(email)}`, {
        headers: { cookie: cookieHeader },
      })
    ).json()) as { contacts: { id: string; name: string }[] };
    expect(list.contacts[0]?.name).toBe('林伟');
    const profile = (await (
      await fetch(`${server.url}/api/v1/contacts/${list.contacts[0]?.id}`, {
        headers: { cookie: cookieHeader },
      })
    ).json()) as { conversations: { fields: Record<string, unknown> }[] };
    expect(profile.conversations[0]?.fields).toMatchObject({ preChat: { topic: 'withdrawals' } });

    // English visitors see the form in English.
    const en = await phone('en-US', `${hostUrl}/embed`);
    await en.getByRole('button', { name: /Open support chat/ }).click();
    const enForm = await visible(en.getByRole('dialog').getByTestId('prechat'));
    await visible(enForm.getByRole('button', { name: 'Start chat' }));
    await screenshot(en, 'widget-prechat-phone-en');
  });

  it('“email me this conversation” sends the transcript to the customer', async () => {
    const panel = chat.getByRole('dialog');
    await panel.getByRole('button', { name: '将对话发送到我的邮箱' }).click();
    const box = await visible(panel.getByTestId('transcript'));
    await box.getByRole('button', { name: '发送' }).click();
    await visible(panel.getByText(`已发送至 ${email}。`));
    await screenshot(chat, 'widget-transcript-phone-zh-CN');
    const deadline = Date.now() + 15_000;
    let mail: (typeof mails)[number] | undefined;
    while (!mail && Date.now() < deadline) {
      mail = mails.find((m) => m.to.includes(email) && m.subject.includes('对话记录'));
      if (!mail) await new Promise((r) => setTimeout(r, 250));
    }
    expect(mail?.subject).toContain('对话记录');
    expect(mail?.text).toContain('我的提币一直在审核中');
  });
});

describe('outside business hours', () => {
  /** The API as the signed-in admin of the console page. */
  async function adminApi<T>(method: string, pathname: string, body?: unknown): Promise<T> {
    const cookie = (await admin.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const response = await fetch(`${server.url}${pathname}`, {
      method,
      headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  it('the widget says when a person replies (local time) and takes an email; the reply is emailed', async () => {
    // Every team is off today (a holiday in its own time zone), and a support mailbox exists.
    const { teams } = await adminApi<{ teams: { id: string; timezone: string }[] }>(
      'GET',
      '/api/v1/teams',
    );
    const weekly = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '09:00', close: '18:00' }));
    for (const team of teams) {
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: team.timezone }).format(
        new Date(),
      );
      await adminApi('PUT', `/api/v1/teams/${team.id}/business-hours`, {
        businessHours: { weekly, holidays: [{ date: today, name: 'Team day' }] },
      });
    }
    // The demo has this mailbox; a Kefu without it gets one.
    const { channels } = await adminApi<{ channels: { address: string }[] }>(
      'GET',
      '/api/v1/channels/email',
    );
    if (!channels.some((c) => c.address === 'support@demo-exchange.example'))
      await adminApi('POST', '/api/v1/channels/email', {
        name: 'Support mailbox',
        address: 'support@demo-exchange.example',
        smtpInbound: true,
      });
    const [inbox] = (await adminApi<{ inboxes: { id: string }[] }>('GET', '/api/v1/widget-inboxes'))
      .inboxes;
    await adminApi('PATCH', `/api/v1/widget-inboxes/${inbox?.id}`, {
      preChat: { name: 'off', email: 'off', topic: 'off', topics: [] },
    });

    const page = await phone('en-US');
    await page.getByRole('button', { name: /Open support chat/ }).click();
    const panel = await visible(page.getByRole('dialog'));
    const composer = panel.getByRole('textbox', { name: 'Your message' });
    await composer.fill('I need help with my account verification');
    await composer.press('Enter');
    await visible(panel.locator('li[data-sender="assistant"]'), 20_000);
    await panel.getByRole('button', { name: 'Talk to a person' }).click();
    const away = await visible(panel.getByTestId('outside-hours'), 20_000);
    await visible(away.getByText(/A person will reply from .+ \(your time\)\./));
    const field = away.getByRole('textbox', { name: 'Your email' });
    await field.fill('me@');
    await away.getByRole('button', { name: 'Save' }).click();
    await visible(away.getByText('Enter a valid email address, like name@example.com.'));
    const email = `away-${Date.now()}@mail-test.example`;
    await field.fill(email);
    await away.getByRole('button', { name: 'Save' }).click();
    await visible(away.getByText(`Thanks! We will also email our reply to ${email}.`));
    await screenshot(page, 'widget-outside-hours-phone-en');

    // The customer leaves; the agent's reply reaches them by email.
    await page.context().close();
    const { contacts } = await adminApi<{ contacts: { id: string }[] }>(
      'GET',
      `/api/v1/contacts?q=${encodeURIComponent(email)}`,
    );
    const profile = await adminApi<{ conversations: { id: string; number: number }[] }>(
      'GET',
      `/api/v1/contacts/${contacts[0]?.id}`,
    );
    const conversation = profile.conversations[0];
    await adminApi('POST', `/api/v1/conversations/${conversation?.id}/messages`, {
      text: 'We checked your verification: it is approved.',
    });
    const deadline = Date.now() + 20_000;
    let mail: (typeof mails)[number] | undefined;
    while (!mail && Date.now() < deadline) {
      mail = mails.find(
        (m) => m.to.includes(email) && m.text.includes('We checked your verification'),
      );
      if (!mail) await new Promise((r) => setTimeout(r, 250));
    }
    expect(mail?.text).toContain('We checked your verification: it is approved.');
    expect(mail?.subject).toContain(`[#${conversation?.number}]`);
  });
});
