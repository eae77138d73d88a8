import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newConsoleContext, screenshot } from './helpers/browser.ts';
import { dialog, signIn, visible } from './helpers/console.ts';
import { freePort, type KefuServer, REPO_ROOT, startKefuServer } from './helpers/kefu-server.ts';

// The customer-side extras: an admin publishes an incident in the console; the help center and
// an already open widget show it without a reload; the assistant answers a matching question
// with it first.

const INCIDENT_EN = 'ETH withdrawals delayed: network congestion';
const INCIDENT_ZH = 'ETH 提币延迟：网络拥堵';

/** The exchange's website (another origin, strict CSP) embedding the widget. */
function startHostSite(port: number, kefuUrl: string): Promise<Server> {
  const template = readFileSync(path.join(REPO_ROOT, 'e2e/fixtures/host.html'), 'utf8');
  const server = createServer((request, response) => {
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

let server: KefuServer;
let host: Server;
let hostUrl: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function phone(locale: string): Promise<Page> {
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
  await page.goto(hostUrl);
  return page;
}

beforeAll(async () => {
  const hostPort = await freePort();
  hostUrl = `http://127.0.0.1:${hostPort}`;
  server = await startKefuServer({ env: { KEFU_WIDGET_ORIGINS: hostUrl } });
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
});

describe('announcements and incidents', () => {
  let customer: Page;
  let customerZh: Page;
  let admin: Page;

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
