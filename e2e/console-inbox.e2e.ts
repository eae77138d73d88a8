import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newConsoleContext, screenshot } from './helpers/browser.ts';
import { dialog, hidden, signIn, visible } from './helpers/console.ts';
import { type KefuServer, startKefuServer } from './helpers/kefu-server.ts';

// The agent's first workplace journey: a customer asks for a person, the conversation arrives
// live in the agent's inbox, the agent answers with a canned response, leaves a note for an L2
// colleague, escalates; the admin resolves. The customer's side is checked through its API.
let server: KefuServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

const SAM = { email: 'sam.taylor@demo-exchange.example', password: 'kefu-demo-agent' };
const CHEN = { email: 'chen.wei@demo-exchange.example', password: 'kefu-demo-agent' };
const FIRST_MESSAGE = 'I want a human, my USDT withdrawal is stuck';
const SEED_MESSAGE =
  'My wallet words are abandon ability able about above absent absorb abstract absurd abuse access accident, TxID 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060';
const NOTE = 'Checked the TxID: the withdrawal is stuck on chain. L2 please look';
const ESCALATION_REASON = 'Withdrawal stuck on chain for 2 hours: needs a node check';

async function newPage(locale = 'en-US'): Promise<Page> {
  const context = await newConsoleContext(browser, server.url, locale);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    // An uncaught exception in the console is a bug whatever the test checks.
    throw error;
  });
  return page;
}

async function call<T>(
  path: string,
  init: { method?: string; body?: unknown; token?: string; cookie?: string } = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.cookie) headers.cookie = init.cookie;
  const response = await fetch(`${server.url}/api/v1${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : null) as T,
    headers: response.headers,
  };
}

/** Signs in through the API and returns the session cookie (for setup the UI does not cover). */
async function apiSession(email: string, password: string): Promise<string> {
  const login = await call('/auth/login', { body: { email, password } });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('kefu_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0] ?? '';
}

type CustomerMessage = { text: string; private: boolean; senderType: string };

const customer = {
  async start(): Promise<string> {
    const session = await call<{ contactToken: string }>('/widget/session', {
      body: { siteToken: 'demo-exchange-site', locale: 'en' },
    });
    expect(session.status).toBe(201);
    return session.body.contactToken;
  },
  async say(
    token: string,
    text: string,
    conversationId?: string,
  ): Promise<{ conversationId: string; number: number }> {
    const sent = await call<{ message: { conversationId: string }; conversationNumber: number }>(
      '/customer/messages',
      {
        token,
        body: {
          clientMessageId: `e2e-${randomUUID()}`,
          text,
          locale: 'en',
          ...(conversationId ? { conversationId } : {}),
        },
      },
    );
    expect(sent.status).toBe(201);
    return {
      conversationId: sent.body.message.conversationId,
      number: sent.body.conversationNumber,
    };
  },
  async messages(token: string, conversationId: string): Promise<CustomerMessage[]> {
    const list = await call<{ messages: CustomerMessage[] }>(
      `/customer/conversations/${conversationId}/messages`,
      { token },
    );
    expect(list.status).toBe(200);
    return list.body.messages;
  },
};

beforeAll(async () => {
  server = await startKefuServer();
  browser = await launchChromium();
  // An SLA policy, so the inbox and the workspace show deadlines (the demo has none).
  const admin = server.login('admin');
  const cookie = await apiSession(admin.email, admin.password);
  const policy = await call('/sla-policies', {
    cookie,
    body: {
      name: 'Standard (e2e)',
      businessHoursOnly: false,
      firstResponseMinutes: 30,
      nextResponseMinutes: 60,
      resolutionMinutes: 24 * 60,
    },
  });
  expect(policy.status).toBe(201);
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('agent console: inbox and conversation workspace', () => {
  let sam: Page;
  let chen: Page;
  let admin: Page;
  let token: string;
  let conversationId: string;
  let ticket: number;

  it('a new conversation arrives live in the inbox of the online agent', async () => {
    sam = await newPage();
    await signIn(sam, SAM.email, SAM.password);
    await sam.getByRole('radiogroup', { name: 'Availability' }).getByText('Online').click();
    await visible(sam.getByRole('heading', { name: 'Conversations arrive here' }));
    await visible(sam.locator('[data-testid="live-indicator"][data-live="true"]'));
    const url = sam.url();

    // The customer asks for a person: the assistant hands over, routing assigns Sam.
    token = await customer.start();
    ({ conversationId, number: ticket } = await customer.say(token, FIRST_MESSAGE));
    await customer.say(token, SEED_MESSAGE, conversationId);

    const row = sam.locator(`tr[data-conversation-id="${conversationId}"]`);
    await visible(row, 20_000);
    expect(sam.url()).toBe(url); // no reload, no navigation: the socket brought it
    await visible(row.getByText(`#${ticket}`));
    await visible(row.getByText(FIRST_MESSAGE));
    await visible(row.getByText('Sam Taylor'));
    await visible(row.getByText('Human'));
    await visible(row.getByTestId('sla-badge'));
    await visible(sam.getByTestId('count-mine').getByText('1'));
    // The assignment rang the bell.
    await visible(sam.getByRole('button', { name: '1 unread notifications' }));
    await screenshot(sam, 'inbox-01-new-conversation');
  });

  it('the agent opens it: timeline, masked secret, customer panel and copilot', async () => {
    await sam.locator(`tr[data-conversation-id="${conversationId}"]`).click();
    await sam.waitForURL(`**/conversations/${conversationId}`);
    const timeline = await visible(sam.getByTestId('timeline'));
    await visible(timeline.getByTestId('timeline-contact').getByText(FIRST_MESSAGE));
    // The seed phrase was masked before storage and is shown as a badge, not the raw token.
    await visible(timeline.getByText('[seed phrase removed]'));
    expect(await timeline.getByText('[REDACTED:seed_phrase]').count()).toBe(0);
    await visible(timeline.getByTestId('timeline-system-note'));
    await visible(sam.getByTestId('customer-card').getByText('Exchange UID'));
    await visible(sam.getByTestId('collected-fields').getByText('USDT'));
    await visible(sam.getByRole('heading', { name: 'Previous tickets' }));
    await visible(sam.getByTestId('workspace').getByTestId('sla-badge').first());
    await screenshot(sam, 'inbox-02-workspace');
  });

  it('replies with a canned response picked with /', async () => {
    const input = sam.getByRole('textbox', { name: 'Reply' });
    await input.click();
    await input.pressSequentially('/withdr');
    const option = sam.getByRole('option', { name: /withdrawal-review/ });
    await visible(option);
    await screenshot(sam, 'inbox-03-canned');
    await input.press('Enter');
    // Rendered for this conversation: the ticket number is filled in.
    await expect
      .poll(() => input.inputValue())
      .toContain(`We will update you in ticket #${ticket}.`);
    expect(await input.inputValue()).not.toContain('/withdr');
    await input.press('Enter');
    const reply = sam
      .getByTestId('timeline-reply')
      .filter({ hasText: 'reviewed by our risk team' });
    await visible(reply);
    await visible(reply.locator('[data-testid="delivery-state"]:not([data-state="sending"])'));
    await expect.poll(() => input.inputValue()).toBe('');

    // The copilot's suggestion goes into the reply box with "Use".
    const suggestion = (await sam.getByTestId('suggested-reply').textContent()) ?? '';
    expect(suggestion.length).toBeGreaterThan(10);
    await sam.getByRole('button', { name: 'Use', exact: true }).click();
    await expect.poll(() => input.inputValue()).toBe(suggestion);
    await input.fill('');

    // An article from the knowledge base: its title and link are inserted.
    await sam.getByRole('button', { name: 'Insert a help-center article' }).click();
    await sam.getByLabel('Search the knowledge base').fill('withdraw');
    const hit = sam.getByRole('list', { name: 'Articles' }).getByRole('listitem').first();
    await visible(hit);
    const title = ((await hit.locator('p').first().textContent()) ?? '').trim();
    await hit.click();
    await expect
      .poll(() => input.inputValue())
      .toContain(`${title}\n${server.url}/help/en/articles/`);
    await input.fill('');
  });

  it('leaves a note that mentions an L2 agent, who is notified', async () => {
    chen = await newPage();
    await signIn(chen, CHEN.email, CHEN.password);
    await visible(chen.locator('[data-testid="live-indicator"][data-live="true"]'));

    await sam.getByRole('tab', { name: 'Note' }).click();
    const input = sam.getByRole('textbox', { name: 'Note' });
    await input.click();
    await input.pressSequentially(`${NOTE} @chen`);
    await visible(sam.getByRole('option', { name: /Chen Wei/ }));
    await input.press('Enter');
    await expect.poll(() => input.inputValue()).toBe(`${NOTE} @chen.wei `);
    await input.pressSequentially('thanks');
    await input.press('Enter');
    const note = sam.getByTestId('timeline-note').filter({ hasText: NOTE });
    await visible(note);
    await visible(note.getByText('@chen.wei'));

    await visible(chen.getByRole('button', { name: '1 unread notifications' }));
    await chen.getByTestId('alert-bell').click();
    await visible(chen.getByRole('listitem').getByText(`You were mentioned in #${ticket}`));
    await screenshot(chen, 'inbox-04-mention-bell');
  });

  it('escalates to L2 with a reason; the L1 agent no longer sees it', async () => {
    await sam.getByRole('button', { name: 'Escalate to L2' }).click();
    const modal = await dialog(sam, `Escalate #${ticket} to L2`);
    await modal.getByRole('button', { name: 'Escalate' }).click();
    await visible(modal.getByText('Say why (at least 3 characters)'));
    await modal.getByLabel('Reason').fill(ESCALATION_REASON);
    await modal.getByRole('button', { name: 'Escalate' }).click();
    await sam.waitForURL('**/inbox');
    await visible(sam.getByText(`#${ticket} escalated to L2 Technical; it left your inbox.`));
    await hidden(sam.locator(`tr[data-conversation-id="${conversationId}"]`));
  });

  it('the admin finds it in All, sees the escalation and resolves it with e', async () => {
    admin = await newPage();
    const login = server.login('admin');
    await signIn(admin, login.email, login.password);
    await admin.getByRole('tab', { name: /^All/ }).click();
    const row = admin.locator(`tr[data-conversation-id="${conversationId}"]`);
    await visible(row);
    await visible(row.getByText('L2', { exact: true }));
    await visible(row.getByText('Unassigned'));
    await screenshot(admin, 'inbox-05-admin-all');
    await row.click();
    await admin.waitForURL(`**/conversations/${conversationId}`);
    const timeline = await visible(admin.getByTestId('timeline'));
    await visible(timeline.getByText(`Escalated to L2: ${ESCALATION_REASON}`));
    await visible(timeline.getByTestId('timeline-note').getByText(NOTE));

    // Presence: the L2 agent opens it too and starts a reply; the admin sees both.
    await chen.goto(`/conversations/${conversationId}`);
    await visible(admin.getByTestId('presence').getByText('Also here: 陈伟 Chen Wei (L2)'));
    await chen.getByRole('textbox', { name: 'Reply' }).pressSequentially('Looking');
    await visible(admin.getByTestId('presence').getByText('陈伟 Chen Wei (L2) typing a reply…'));
    await chen.getByRole('textbox', { name: 'Reply' }).fill('');

    // ? lists the keyboard shortcuts.
    await admin.locator('body').press('?');
    const help = await dialog(admin, 'Keyboard shortcuts');
    await visible(help.getByText('Write a note'));
    await admin.keyboard.press('Escape');
    await hidden(admin.getByRole('dialog'));

    // Priority and labels, from the panel.
    await admin.getByRole('combobox', { name: 'Priority' }).click();
    await admin.getByRole('option', { name: 'High' }).click();
    await admin.getByRole('combobox', { name: 'Labels' }).fill('withdrawal');
    await admin.getByRole('combobox', { name: 'Labels' }).press('Enter');
    await visible(admin.getByTestId('workspace').locator('header').getByText('High'));
    await visible(timeline.getByText('Priority or labels changed').first());
    await admin.locator('body').click({ position: { x: 5, y: 700 } });

    // Keyboard: e resolves (outside the reply box).
    await admin.keyboard.press('e');
    await visible(admin.getByText(`#${ticket}: Resolved.`));
    await visible(timeline.locator('[data-event="status_resolved"]').getByText('Resolved'));
    await visible(admin.getByRole('button', { name: 'Reopen' }));
    // The other agent's open workspace follows without reloading.
    await visible(chen.getByRole('button', { name: 'Reopen' }));
    await screenshot(admin, 'inbox-06-workspace-resolved');

    // Dark mode, then Chinese.
    await admin.getByRole('button', { name: 'Switch to dark mode' }).click();
    await expect
      .poll(() => admin.locator('html').getAttribute('data-mantine-color-scheme'))
      .toBe('dark');
    await admin.mouse.move(600, 400); // away from the toggle's tooltip
    await admin.waitForTimeout(400); // the colours' transition
    await screenshot(admin, 'inbox-07-workspace-dark');
    await admin.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
    await visible(admin.getByRole('button', { name: '重新打开' }));
    await visible(timeline.getByText(`已升级到二线：${ESCALATION_REASON}`));
    await visible(timeline.getByText('[助记词已移除]'));
    await admin.getByRole('button', { name: '切换到浅色模式' }).click();
    await admin.mouse.move(600, 400); // away from the toggle's tooltip
    await screenshot(admin, 'inbox-08-workspace-zh-CN');
    await admin.getByRole('link', { name: '返回收件箱' }).click();
    await admin.getByRole('tab', { name: /^全部/ }).click();
    await admin.getByRole('combobox', { name: '状态' }).click();
    await admin.getByRole('option', { name: '全部状态' }).click();
    await visible(
      admin.locator(`tr[data-conversation-id="${conversationId}"]`).getByText('已解决'),
    );
    await screenshot(admin, 'inbox-09-inbox-zh-CN');
    await admin.getByRole('radiogroup', { name: '语言' }).getByText('EN').click();
  });

  it('the customer received the reply and not the note', async () => {
    const messages = await customer.messages(token, conversationId);
    const texts = messages.map((m) => m.text).join('\n---\n');
    expect(texts).toContain('reviewed by our risk team');
    expect(texts).toContain(`#${ticket}`);
    expect(texts).not.toContain(NOTE);
    expect(texts).not.toContain('@chen.wei');
    expect(messages.every((m) => !m.private)).toBe(true);
  });

  it('the admin merges a second ticket of the same customer into the first by its number', async () => {
    const second = await customer.say(token, 'I want a human: a second question about my deposit');
    expect(second.conversationId).not.toBe(conversationId);
    await admin.goto(`/conversations/${second.conversationId}`);
    await visible(admin.getByTestId('previous-tickets').getByText(`#${ticket}`));
    await admin.getByRole('button', { name: 'More actions' }).click();
    await admin.getByRole('menuitem', { name: 'Merge into another ticket…' }).click();
    const modal = await dialog(admin, `Merge #${second.number} into another ticket`);
    await modal.getByLabel('Ticket number or ID').fill('999999');
    await modal.getByRole('button', { name: 'Merge' }).click();
    await visible(modal.getByText('No ticket of this customer has this number or ID.'));
    await modal.getByLabel('Ticket number or ID').fill(`#${ticket}`);
    await modal.getByRole('button', { name: 'Merge' }).click();
    await admin.waitForURL(`**/conversations/${conversationId}`);
    await visible(admin.getByText(`Merged into #${ticket}.`));
    const timeline = admin.getByTestId('timeline');
    await visible(timeline.getByText('a second question about my deposit'));
    await visible(timeline.locator('[data-event="merged"]'));
  });
});
