import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newConsoleContext, screenshot } from './helpers/browser.ts';
import { navigation, signIn, visible } from './helpers/console.ts';
import { freePort, type KefuServer, startKefuServer } from './helpers/kefu-server.ts';

// An admin connects a mailbox and a Telegram bot in the console and sees how each is doing.
let server: KefuServer;
let browser: Browser;
let botApi: Server;
let botApiRoot: string;
const botCalls: string[] = [];
const contexts: BrowserContext[] = [];

const BOT_TOKEN = `7001234567:AAH${randomUUID().replaceAll('-', '')}`;
// The demo already receives mail for support@; this mailbox is a second desk.
const MAILBOX = 'vip-desk@demo-exchange.example';
const DKIM_PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

/** The Telegram Bot API, as far as connecting a polling bot needs it, on loopback. */
function startBotApi(): Promise<Server> {
  const api = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const method = /^\/bot[^/]+\/(\w+)/.exec(request.url ?? '')?.[1] ?? '';
      botCalls.push(method);
      const reply = (result: unknown) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ ok: true, result }));
      };
      if (method === 'getMe')
        return reply({
          id: 7001234567,
          is_bot: true,
          first_name: 'Support',
          username: 'demo_exchange_help_bot',
        });
      // A long poll that finds nothing, kept short.
      if (method === 'getUpdates') return void setTimeout(() => reply([]), 200);
      return reply(true);
    });
  });
  return new Promise((resolve) => api.listen(0, '127.0.0.1', () => resolve(api)));
}

async function newPage(locale = 'en-US'): Promise<Page> {
  const context = await newConsoleContext(browser, server.url, locale);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

beforeAll(async () => {
  botApi = await startBotApi();
  botApiRoot = `http://127.0.0.1:${(botApi.address() as AddressInfo).port}`;
  server = await startKefuServer({ env: { KEFU_IMAP_POLL_SECONDS: '1' } });
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  await new Promise<void>((resolve) => botApi?.close(() => resolve()));
});

describe('console: channels administration', () => {
  let page: Page;

  it('an admin finds Channels in the navigation', async () => {
    page = await newPage();
    const admin = server.login('admin');
    await signIn(page, admin.email, admin.password);
    await navigation(page).getByRole('link', { name: 'Channels', exact: true }).click();
    await page.waitForURL('**/admin/channels');
    await visible(page.getByRole('heading', { name: 'Channels', level: 2 }));
    await visible(page.getByRole('region', { name: 'Email' }));
    await visible(page.getByRole('region', { name: 'Telegram' }));
  });

  it('creates a mailbox with IMAP, its own SMTP server and DKIM, and sees the IMAP error', async () => {
    // Nothing listens on this port: the mailbox's IMAP status must turn to an error.
    const closedPort = await freePort();
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByRole('menuitem', { name: 'Email mailbox' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Add a mailbox' }));
    await dialog.getByLabel(/^Name/).fill('Support mailbox');
    await dialog.getByLabel('Address customers write to').fill(MAILBOX);
    await dialog.getByLabel('Fetch from an IMAP mailbox').check({ force: true });
    await dialog.getByLabel(/^IMAP server/).fill('127.0.0.1');
    await dialog.getByLabel('Port').first().fill(String(closedPort));
    await dialog.getByLabel('User name').first().fill('support');
    await dialog
      .getByLabel(/^Password/)
      .first()
      .fill('imap-password-1');
    await dialog.getByLabel('TLS from the start (port 993)').uncheck({ force: true });
    await dialog.getByLabel("Send through this mailbox's own SMTP server").check({ force: true });
    await dialog.getByLabel(/^SMTP server/).fill('smtp.demo-exchange.example');
    await dialog.getByLabel('Sign outgoing mail with DKIM').check({ force: true });
    await dialog.getByLabel(/^Selector/).fill('kefu2026');
    await dialog.getByLabel(/^Private key \(PEM\)/).fill(DKIM_PEM);
    await screenshot(page, 'console-channels-email-form');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await visible(page.getByText(`Mailbox ${MAILBOX} added.`));

    const email = page.getByRole('region', { name: 'Email' });
    const row = email.getByRole('row').filter({ hasText: MAILBOX });
    await visible(row);
    await visible(row.getByText('IMAP 127.0.0.1'));
    await visible(row.getByText('smtp.demo-exchange.example:587'));
    await visible(row.getByText('kefu2026', { exact: true }));
    // The watcher tries the mailbox within a second; the screen refreshes on reload.
    await expect
      .poll(
        async () => {
          await page.reload();
          await visible(row.getByText('IMAP', { exact: true }));
          return row.getByText('Error', { exact: true }).count();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toBeGreaterThan(0);
    await visible(row.getByText(/ECONNREFUSED|connect/i));
    await screenshot(page, 'console-channels-email-status');
  });

  it('editing the mailbox shows the DKIM record to publish and keeps the secrets write-only', async () => {
    await page.getByRole('button', { name: 'Edit Support mailbox' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Edit Support mailbox' }));
    const record = await visible(dialog.getByTestId('dkim-dns-record'));
    expect(await record.textContent()).toMatch(/^v=DKIM1; k=rsa; p=/);
    await visible(
      dialog.getByText('Publish this TXT record at kefu2026._domainkey.demo-exchange.example'),
    );
    expect(await dialog.getByLabel(/^Private key \(PEM\)/).inputValue()).toBe('');
    expect(
      await dialog
        .getByLabel(/^Password/)
        .first()
        .inputValue(),
    ).toBe('');
    await screenshot(page, 'console-channels-email-edit');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await visible(page.getByText('Mailbox saved.'));
  });

  it('connects a Telegram bot by long polling and sees it connected', async () => {
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByRole('menuitem', { name: 'Telegram bot' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Connect a Telegram bot' }));
    await dialog.getByLabel(/^Name/).fill('Telegram support');
    await dialog.getByLabel(/^Bot token from @BotFather/).fill(BOT_TOKEN);
    await dialog.getByLabel(/^Bot API server/).fill(botApiRoot);
    await dialog.getByRole('button', { name: 'Connect' }).click();
    await visible(page.getByText('Bot @demo_exchange_help_bot connected.'));
    const telegram = page.getByRole('region', { name: 'Telegram' });
    const row = telegram.getByRole('row').filter({ hasText: 'Telegram support' });
    await visible(row.getByText('@demo_exchange_help_bot'));
    await visible(row.getByText('Long polling'));
    await visible(row.getByText('Connected'));
    expect(botCalls).toContain('getMe');
    await expect.poll(() => botCalls.includes('getUpdates'), { timeout: 20_000 }).toBe(true);
    // The closing dialog holds what was typed until its exit transition ends.
    await dialog.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(BOT_TOKEN.split(':')[1]);
    await screenshot(page, 'console-channels-list');
  });

  it('an API channel shows its token once', async () => {
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByRole('menuitem', { name: 'API channel' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Add an API channel' }));
    await dialog.getByLabel(/^Name/).fill('Mobile app');
    await dialog.getByLabel(/^Webhook URL/).fill('https://app.demo-exchange.example/kefu/webhook');
    await dialog.getByRole('button', { name: 'Create' }).click();
    const shown = await visible(page.getByRole('dialog', { name: 'Save these now' }));
    const token = (await shown.getByTestId('api-token').textContent()) ?? '';
    expect(token).toMatch(/^kefu_api_/);
    await screenshot(page, 'console-channels-api-created');
    await shown.getByRole('button', { name: 'I have saved them' }).click();
    const row = page
      .getByRole('region', { name: 'API' })
      .getByRole('row')
      .filter({ hasText: 'Mobile app' });
    await visible(row);
    await page.reload();
    expect(await page.content()).not.toContain(token);
  });

  it('switches the bot to webhook mode without showing its token', async () => {
    await page.getByRole('button', { name: 'Edit Telegram support' }).click();
    const dialog = await visible(page.getByRole('dialog', { name: 'Edit Telegram support' }));
    expect(await dialog.getByLabel(/^Bot token from @BotFather/).inputValue()).toBe('');
    await dialog.getByRole('radiogroup').getByText('Webhook', { exact: true }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await visible(page.getByText('Bot saved.'));
    const row = page
      .getByRole('region', { name: 'Telegram' })
      .getByRole('row')
      .filter({ hasText: 'Telegram support' });
    await visible(row.getByText('/api/v1/channels/telegram/', { exact: false }));
    expect(botCalls).toContain('setWebhook');
    await screenshot(page, 'console-channels-list-webhook');
  });

  it('each table fits the screen at 1280×720, with no sideways scrolling', async () => {
    await page.reload();
    await visible(page.getByRole('region', { name: 'Telegram' }).getByText('Connected'));
    for (const name of ['Email', 'Telegram', 'API']) {
      const region = page.getByRole('region', { name });
      const widths = await region.evaluate((section) => {
        const style = getComputedStyle(section);
        const inner =
          section.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return { inner, table: section.querySelector('table')?.scrollWidth ?? 0 };
      });
      expect(widths.table, `${name} table width`).toBeGreaterThan(0);
      expect(widths.table, `${name} table width`).toBeLessThanOrEqual(widths.inner);
    }
    const telegram = page.getByRole('region', { name: 'Telegram' });
    await telegram.scrollIntoViewIfNeeded();
    await screenshot(page, 'console-channels-telegram-1280');
  });

  it('reads the same screen in Chinese', async () => {
    const zh = page;
    await zh.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
    await visible(zh.getByRole('heading', { name: '渠道', level: 2 }));
    await visible(zh.getByText('已连接'));
    await visible(zh.getByText('出错').first());
    await screenshot(zh, 'console-channels-list-zh-CN');
  });
});
