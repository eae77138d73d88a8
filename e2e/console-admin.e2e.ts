import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newConsoleContext, screenshot } from './helpers/browser.ts';
import { dialog, navigation, signIn, visible } from './helpers/console.ts';
import { type KefuServer, startKefuServer } from './helpers/kefu-server.ts';

// An admin sets up the service: SLA targets, business hours, canned replies, the knowledge base
// in two languages, the official-channel registry and a webhook to the exchange's systems.
let server: KefuServer;
let browser: Browser;
let receiver: Server;
let receiverUrl: string;
const contexts: BrowserContext[] = [];

type Received = { headers: IncomingHttpHeaders; body: string };
const received: Received[] = [];

const SLUG = 'whitelist-a-withdrawal-address';
const TELEGRAM = 'DemoExchange_VIP_Desk';

/** The exchange's side of a webhook: records every POST and answers 204. */
function startReceiver(): Promise<Server> {
  const http = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.statusCode = 204;
      response.end();
    });
  });
  return new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(http)));
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
  server = await startKefuServer();
  browser = await launchChromium();
  receiver = await startReceiver();
  const address = receiver.address();
  if (!address || typeof address !== 'object') throw new Error('receiver has no port');
  receiverUrl = `http://127.0.0.1:${address.port}/kefu-events`;
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
});

describe('console administration', () => {
  let admin: Page;

  beforeAll(async () => {
    const { email, password } = server.login('admin');
    admin = await newPage();
    await signIn(admin, email, password);
  });

  it('the navigation groups the new screens', async () => {
    const nav = navigation(admin);
    for (const name of [
      'SLA policies',
      'Business hours',
      'Canned responses',
      'Knowledge base',
      'Assistant settings',
      'Official channels',
      'Webhooks',
    ])
      await visible(nav.getByRole('link', { name }));
  });

  it('an admin creates an SLA policy and sees it listed', async () => {
    await navigation(admin).getByRole('link', { name: 'SLA policies' }).click();
    await visible(admin.getByRole('heading', { name: 'SLA policies' }));
    await admin.getByRole('button', { name: 'New policy' }).click();
    const form = await dialog(admin, 'New SLA policy');
    await form.getByLabel('Name').fill('VIP urgent (e2e)');
    await form.getByRole('combobox', { name: 'Priority' }).click();
    await admin.getByRole('option', { name: 'Urgent' }).click();
    await form.getByLabel('Minimum VIP level').fill('3');
    await form.getByLabel('First response').fill('15');
    await form.getByLabel('Resolution').fill('240');
    await form.getByText('Calendar time (24/7)').click();
    await form.getByLabel('Notify supervisors').uncheck();
    await screenshot(admin, 'admin-sla-form');
    await form.getByRole('button', { name: 'Create' }).click();
    await visible(admin.getByText('SLA policy VIP urgent (e2e) created'));
    const row = admin.getByRole('row').filter({ hasText: 'VIP urgent (e2e)' });
    await visible(row);
    await visible(row.getByText('Urgent · VIP 3+'));
    await visible(row.getByText('15 min'));
    await visible(row.getByText('4 h'));
    await visible(row.getByText('Calendar time'));
    expect(await row.getByText('notify supervisors').count()).toBe(0);
    await screenshot(admin, 'admin-sla');

    const stored = await admin.evaluate(async () => {
      const response = await fetch('/api/v1/sla-policies');
      return (await response.json()) as { policies: { name: string; vipMin: number | null }[] };
    });
    expect(stored.policies.find((p) => p.name === 'VIP urgent (e2e)')?.vipMin).toBe(3);
  });

  it('an admin deletes that SLA policy after confirming', async () => {
    const row = admin.getByRole('row').filter({ hasText: 'VIP urgent (e2e)' });
    await row.getByRole('button', { name: 'Delete VIP urgent (e2e)' }).click();
    const confirm = await dialog(admin, 'Delete this SLA policy?');
    await screenshot(admin, 'admin-sla-delete');
    await confirm.getByRole('button', { name: 'Delete VIP urgent (e2e)' }).click();
    await visible(admin.getByText('SLA policy VIP urgent (e2e) deleted'));
    expect(await row.count()).toBe(0);
    const stored = await admin.evaluate(async () => {
      const response = await fetch('/api/v1/sla-policies');
      return (await response.json()) as { policies: { name: string }[] };
    });
    expect(stored.policies.some((p) => p.name === 'VIP urgent (e2e)')).toBe(false);
  });

  it('an article in English and its Chinese translation, side by side, are published to the help center', async () => {
    await navigation(admin).getByRole('link', { name: 'Knowledge base' }).click();
    await visible(admin.getByRole('heading', { name: 'Knowledge base' }));
    await visible(admin.getByRole('table', { name: 'Knowledge base' }));
    await screenshot(admin, 'admin-kb-list');
    await admin.getByRole('link', { name: 'New article' }).click();
    await admin.waitForURL('**/knowledge/new');

    const en = admin.locator('[data-locale="en"]');
    await en.getByLabel('Title').fill('Whitelist a withdrawal address');
    expect(await en.getByLabel('Slug').inputValue()).toBe(SLUG);
    await en.getByLabel('Category').fill('withdrawal');
    await en.getByLabel('Tags').fill('whitelist');
    await en.getByLabel('Tags').press('Enter');
    await en.getByLabel('Summary').fill('Only send withdrawals to addresses you approved.');
    await en
      .getByLabel('Text (Markdown)')
      .fill(
        '## Steps\n\n1. Open **Security** → *Address whitelist*.\n2. Add the address and confirm by email.\n\n<script>alert(1)</script>',
      );
    const preview = en.getByTestId('article-preview');
    await visible(preview.getByRole('heading', { name: 'Steps' }));
    await visible(preview.locator('strong', { hasText: 'Security' }));
    expect(await preview.locator('script').count()).toBe(0);
    await screenshot(admin, 'admin-kb-new');
    await en.getByRole('button', { name: 'Publish' }).click();
    await visible(admin.getByText('Article published'));
    await admin.waitForURL(/\/knowledge\/[0-9a-f-]{36}$/);

    // The Chinese translation is written next to the original and shares its slug.
    const zh = admin.locator('[data-locale="zh-CN"]');
    await visible(zh.getByRole('heading', { name: 'Translation: 中文 (Chinese)' }));
    expect(await zh.getByLabel('Slug').inputValue()).toBe(SLUG);
    expect(await zh.getByLabel('Category').inputValue()).toBe('withdrawal');
    await zh.getByLabel('Title').fill('添加提币地址白名单');
    await zh.getByLabel('Text (Markdown)').fill('## 步骤\n\n1. 打开 **安全中心** → *地址白名单*。');
    await zh.getByRole('tab', { name: 'Preview' }).click();
    await visible(zh.getByTestId('article-preview').getByRole('heading', { name: '步骤' }));
    await zh.getByRole('tab', { name: 'Write' }).click();
    await screenshot(admin, 'admin-kb-translation');
    await zh.getByRole('button', { name: 'Publish' }).click();
    await visible(admin.getByText('Article published'));
    await visible(zh.getByText('Published'));
    await visible(en.getByRole('link', { name: 'View in the help center' }));
    await screenshot(admin, 'admin-kb-side-by-side');

    // Revisions: one per save.
    await en.getByRole('button', { name: 'Revision history' }).click();
    await visible(en.getByRole('button', { name: 'Restore this text' }));

    const help = await newPage();
    await help.goto(`/help/en/articles/${SLUG}`);
    await visible(help.getByRole('heading', { name: 'Whitelist a withdrawal address' }));
    await visible(help.locator('strong', { hasText: 'Security' }));
    await help.goto(`/help/zh-CN/articles/${SLUG}`);
    await visible(help.getByRole('heading', { name: '添加提币地址白名单' }));
    await visible(help.locator(`a[hreflang="en"][href$="/${SLUG}"]`));

    // The list finds it by a word of its text, and shows the translation exists.
    await admin.goto('/knowledge');
    await admin.getByLabel('Search titles, texts and tags').fill('confirm by email');
    const row = admin.getByRole('row').filter({ hasText: 'Whitelist a withdrawal address' });
    await visible(row);
    await visible(row.getByText('zh-CN'));
    await expect.poll(() => admin.getByRole('row').count(), { timeout: 10_000 }).toBe(2);
  });

  it("an admin edits a team's business hours and holidays", async () => {
    await navigation(admin).getByRole('link', { name: 'Business hours' }).click();
    await visible(admin.getByRole('heading', { name: 'Business hours' }));
    const alwaysOpen = admin.getByLabel('Always open (24/7)');
    if (await alwaysOpen.isChecked()) await alwaysOpen.click();
    const saturday = admin.getByRole('checkbox', { name: 'Saturday' });
    if (!(await saturday.isChecked())) await saturday.check();
    await admin.getByLabel('Saturday Opens').fill('10:00');
    await admin.getByLabel('Saturday Closes').fill('16:00');
    await admin.getByRole('button', { name: 'Add holiday' }).click();
    await admin.getByLabel('Date').last().fill('2027-02-06');
    await admin.getByLabel('Name').last().fill('Spring Festival 春节');
    await screenshot(admin, 'admin-business-hours');
    await admin.getByRole('button', { name: 'Save' }).click();
    await visible(admin.getByText(/^Business hours of .+ saved$/));

    await admin.reload();
    await visible(admin.getByRole('heading', { name: 'Business hours' }));
    expect(await admin.getByLabel('Saturday Opens').inputValue()).toBe('10:00');
    expect(await admin.getByLabel('Saturday Closes').inputValue()).toBe('16:00');
    const names = await admin
      .getByLabel('Name')
      .evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    expect(names).toContain('Spring Festival 春节');
  });

  it('an admin creates a canned response and previews its variables', async () => {
    await navigation(admin).getByRole('link', { name: 'Canned responses' }).click();
    await visible(admin.getByRole('heading', { name: 'Canned responses' }));
    await admin.getByRole('button', { name: 'New canned response' }).click();
    const form = await dialog(admin, 'New canned response');
    await form.getByLabel('Shortcut').fill('whitelist');
    await form.getByLabel('Title').fill('Address whitelist');
    const text = form.getByLabel('Text in English');
    await text.fill('Hi ');
    await form.getByRole('button', { name: /customer\.name/ }).click();
    await text.pressSequentially(', ticket #');
    await form.getByRole('button', { name: /ticket\.number/ }).click();
    await text.pressSequentially(' is with {{agent.name}}. {{customer.nmae}}');
    expect(await text.inputValue()).toBe(
      'Hi {{customer.name}}, ticket #{{ticket.number}} is with {{agent.name}}. {{customer.nmae}}',
    );
    await visible(form.getByText('Hi Alex Morgan, ticket #10042 is with'));
    await visible(form.getByText('Not a variable (typo?): {{customer.nmae}}'));
    await text.fill('Hi {{customer.name}}, add the address under Security → Address whitelist.');
    await form
      .getByLabel('Text in Chinese')
      .fill('{{customer.name}}您好，请在安全中心添加地址白名单。');
    await visible(form.getByText('王小明您好，请在安全中心添加地址白名单。'));
    await screenshot(admin, 'admin-canned-form');
    await form.getByRole('button', { name: 'Create' }).click();
    await visible(admin.getByText('/whitelist created'));
    const row = admin.getByRole('row').filter({ hasText: '/whitelist' });
    await visible(row.getByText('Address whitelist', { exact: true }));
    await screenshot(admin, 'admin-canned');
  });

  it('an admin adds an official channel, and Verify on the help center calls it official', async () => {
    const help = await newPage();
    await help.goto('/help/en/verify');
    const check = async () => {
      await help
        .getByLabel('Link, email, @handle or phone number')
        .fill(`https://t.me/${TELEGRAM}`);
      await help.getByRole('button', { name: 'Check' }).click();
      return (await (await visible(help.locator('.verdict-label'))).first().textContent())?.trim();
    };
    expect(await check()).not.toBe('Official');

    await navigation(admin).getByRole('link', { name: 'Official channels' }).click();
    await visible(admin.getByRole('heading', { name: 'Official channels' }));
    await admin.getByRole('button', { name: 'Add channel' }).click();
    const form = await dialog(admin, 'Add an official channel');
    await form.getByRole('combobox', { name: 'Kind' }).click();
    await admin.getByRole('option', { name: 'Telegram' }).click();
    await form.getByLabel('Value').fill(`@${TELEGRAM}`);
    await form.getByLabel('Label shown to customers').fill('Telegram VIP desk');
    await screenshot(admin, 'admin-official-form');
    await form.getByRole('button', { name: 'Create' }).click();
    const value = TELEGRAM.toLowerCase();
    await visible(admin.getByText(`${value} added`));
    await visible(admin.getByRole('row').filter({ hasText: value }).getByText('Telegram VIP desk'));
    await screenshot(admin, 'admin-official-channels');

    expect(await check()).toBe('Official');
    await visible(help.getByText('Telegram VIP desk'));
    await screenshot(help, 'admin-official-verify');
  });

  it('an admin edits that official channel; the form shows what is registered', async () => {
    const value = TELEGRAM.toLowerCase();
    const row = admin.getByRole('row').filter({ hasText: value });
    await row.getByRole('button', { name: `Edit ${value}` }).click();
    const form = await dialog(admin, `Edit ${value}`);
    expect(await form.getByLabel('Value').inputValue()).toBe(value);
    expect(await form.getByLabel('Label shown to customers').inputValue()).toBe(
      'Telegram VIP desk',
    );
    await form.getByLabel('Label shown to customers').fill('Telegram VIP desk (24/7)');
    await form.getByLabel('Notes for the team').fill('Run by the VIP team');
    await screenshot(admin, 'admin-official-edit');
    await form.getByRole('button', { name: 'Save' }).click();
    await visible(admin.getByText(`${value} saved`));
    await visible(row.getByText('Telegram VIP desk (24/7)'));
    await visible(row.getByText('Run by the VIP team'));

    // The registry the Verify check answers from has the new label.
    const help = await newPage();
    await help.goto('/help/en/verify');
    await help.getByLabel('Link, email, @handle or phone number').fill(`@${TELEGRAM}`);
    await help.getByRole('button', { name: 'Check' }).click();
    await visible(help.getByText('Telegram VIP desk (24/7)'));
  });

  it('an admin edits an announcement; customers see the new banner', async () => {
    await admin.goto('/admin/announcements');
    await visible(admin.getByRole('heading', { name: 'Announcements' }));
    await admin.getByRole('button', { name: 'Publish announcement' }).click();
    const create = await dialog(admin, 'New announcement');
    await create.getByLabel('Banner (English)').fill('Wallet maintenance (e2e)');
    await create.getByLabel('Banner (Chinese)').fill('钱包维护（e2e）');
    await create.getByLabel('End (optional)').fill('2031-05-01T10:00');
    await create.getByRole('button', { name: 'Publish announcement' }).click();
    await create.waitFor({ state: 'hidden' });
    const row = await visible(
      admin.getByTestId('announcement-row').filter({ hasText: 'Wallet maintenance (e2e)' }),
    );

    await row.getByRole('button', { name: 'Edit “Wallet maintenance (e2e)”' }).click();
    const form = await dialog(admin, 'Edit “Wallet maintenance (e2e)”');
    expect(await form.getByLabel('Banner (Chinese)').inputValue()).toBe('钱包维护（e2e）');
    expect(await form.getByLabel('End (optional)').inputValue()).toBe('2031-05-01T10:00');
    await form.getByLabel('Banner (English)').fill('Wallet maintenance extended (e2e)');
    await form.getByLabel('End (optional)').fill('2031-05-02T18:30');
    await form.getByText('Notice', { exact: true }).click();
    await screenshot(admin, 'admin-announcement-edit');
    await form.getByRole('button', { name: 'Save' }).click();
    await visible(admin.getByText('Announcement saved.'));
    const edited = admin
      .getByTestId('announcement-row')
      .filter({ hasText: 'Wallet maintenance extended (e2e)' });
    await visible(edited.getByText('Notice'));
    await visible(edited.getByText(/until May 2, 2031/));
    expect(await admin.getByText('Wallet maintenance (e2e)', { exact: true }).count()).toBe(0);

    const shown = await admin.evaluate(async () => {
      const response = await fetch('/api/v1/widget/announcements');
      return (await response.json()) as {
        announcements: { text: { en: string }; severity: string; endsAt: string | null }[];
      };
    });
    const banner = shown.announcements.find((a) => a.text.en.includes('(e2e)'));
    expect(banner?.text.en).toBe('Wallet maintenance extended (e2e)');
    expect(banner?.severity).toBe('info');
    // The console runs in Asia/Shanghai (UTC+8).
    expect(banner?.endsAt).toBe('2031-05-02T10:30:00.000Z');
  });

  it('an admin creates a webhook, sees its secret once, and a test delivery in its log', async () => {
    await navigation(admin).getByRole('link', { name: 'Webhooks' }).click();
    await visible(admin.getByRole('heading', { name: 'Webhooks' }));
    await admin.getByRole('button', { name: 'New webhook' }).click();
    const form = await dialog(admin, 'New webhook');
    await form.getByLabel('URL').fill('ftp://nope');
    await form.getByRole('button', { name: 'Create' }).click();
    await visible(form.getByText('Enter an http:// or https:// URL'));
    await form.getByLabel('URL').fill(receiverUrl);
    await form.getByLabel(/^New message/).check();
    await screenshot(admin, 'admin-webhook-form');
    await form.getByRole('button', { name: 'Create' }).click();
    const shown = await dialog(admin, 'Webhook signing secret');
    const secret = ((await shown.getByTestId('webhook-secret').textContent()) ?? '').trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    await screenshot(admin, 'admin-webhook-secret');
    await shown.getByRole('button', { name: 'Done' }).click();

    const row = admin.getByRole('row').filter({ hasText: receiverUrl });
    await visible(row);
    await row.getByRole('button', { name: `Send a test ping to ${receiverUrl}` }).click();
    await visible(admin.getByText('Test delivered (HTTP 204)'));
    const log = await dialog(admin, `Deliveries to ${receiverUrl}`);
    const delivery = log.getByRole('row').filter({ hasText: 'ping' });
    await visible(delivery.getByText('Delivered'));
    await visible(delivery.getByText('HTTP 204'));
    await screenshot(admin, 'admin-webhook-log');

    // The receiver got a ping signed with the secret the admin was shown.
    const ping = received.find((r) => r.headers['x-kefu-event'] === 'ping');
    expect(ping).toBeDefined();
    const timestamp = String(ping?.headers['x-kefu-timestamp']);
    const expected = createHmac('sha256', secret)
      .update(`${timestamp}.${ping?.body}`)
      .digest('hex');
    expect(ping?.headers['x-kefu-signature']).toBe(`sha256=${expected}`);
    await admin.keyboard.press('Escape');

    // Paused webhooks are switched back on from the list.
    await row.getByRole('switch').click();
    await visible(admin.getByText('Webhook paused'));
    await visible(row.getByText('Paused'));
  });

  it('an admin sets the LLM; its key is never shown again', async () => {
    await navigation(admin).getByRole('link', { name: 'Assistant settings' }).click();
    await visible(admin.getByRole('heading', { name: 'Generated answers (LLM)' }));
    await admin.getByLabel('API URL').fill('https://llm.exchange.example/v1');
    await admin.getByLabel('Model').fill('support-model');
    await admin.getByLabel('API key').fill('sk-e2e-secret');
    await admin.getByLabel('Generate answers with an LLM').check();
    await admin.getByRole('button', { name: 'Save' }).last().click();
    await visible(admin.getByText('LLM settings saved'));
    await visible(admin.getByText('A key is stored. Type a new one to replace it.'));
    expect(await admin.getByLabel('API key').inputValue()).toBe('');
    await screenshot(admin, 'admin-assistant');
    await admin.reload();
    expect(await admin.getByLabel('Model').inputValue()).toBe('support-model');
    expect(await admin.content()).not.toContain('sk-e2e-secret');
  });

  it('the screens in Chinese and in dark mode', async () => {
    await admin.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
    const screens: [string, string, string][] = [
      ['/admin/sla', 'SLA 策略', 'sla'],
      ['/admin/business-hours', '工作时间', 'business-hours'],
      ['/admin/canned-responses', '快捷回复', 'canned'],
      ['/knowledge', '知识库', 'kb-list'],
      ['/admin/assistant', '智能助手', 'assistant'],
      ['/admin/official-channels', '官方渠道', 'official-channels'],
      ['/admin/webhooks', 'Webhook', 'webhooks'],
    ];
    for (const [path, heading, name] of screens) {
      await admin.goto(path);
      await visible(admin.getByRole('heading', { name: heading, exact: true }));
      await screenshot(admin, `admin-${name}-zh-CN`);
    }
    await admin.goto('/knowledge');
    await admin.getByRole('link', { name: 'Whitelist a withdrawal address' }).click();
    await visible(admin.getByRole('heading', { name: '译文：中文' }));
    await screenshot(admin, 'admin-kb-side-by-side-zh-CN');

    await admin.getByRole('radiogroup', { name: '语言' }).getByText('EN').click();
    await admin.getByRole('button', { name: 'Switch to dark mode' }).click();
    for (const [path, , name] of screens) {
      await admin.goto(path);
      await visible(admin.getByRole('main'));
      await admin.waitForLoadState('networkidle');
      await screenshot(admin, `admin-${name}-dark`);
    }
    await admin.goto('/admin/canned-responses');
    await admin.getByRole('button', { name: 'Edit /whitelist' }).click();
    await visible(admin.getByTestId('canned-preview'));
    await screenshot(admin, 'admin-canned-form-dark');
    await admin.keyboard.press('Escape');
    await admin.getByRole('button', { name: 'Switch to light mode' }).click();
  });

  it('an agent reads the knowledge base but sees no administration', async () => {
    const agent = await newPage();
    await signIn(agent, 'li.na@demo-exchange.example', 'kefu-demo-agent');
    const nav = navigation(agent);
    await visible(nav.getByRole('link', { name: 'Knowledge base' }));
    expect(await nav.getByRole('link', { name: 'SLA policies' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Webhooks' }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Knowledge base' }).click();
    await visible(
      agent.getByText('You can read the knowledge base; admins and supervisors edit it.'),
    );
    expect(await agent.getByRole('link', { name: 'New article' }).count()).toBe(0);
    await agent.goto('/admin/webhooks');
    await visible(agent.getByRole('heading', { name: 'Not available for your role' }));
  });
});
