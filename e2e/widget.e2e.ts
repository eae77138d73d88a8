import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot } from './helpers/browser.ts';
import { visible } from './helpers/console.ts';
import { freePort, type KefuServer, REPO_ROOT, startKefuServer } from './helpers/kefu-server.ts';

// The customer's journey in the embeddable widget, on a demo exchange page served from another
// origin (with a strict CSP), against a real `kefu start`. The steps build on each other.

const WIDGET_DIST = path.join(REPO_ROOT, 'apps/widget/dist');
const WIDGET_SOURCES = [
  'apps/widget/src',
  'apps/widget/vite.config.ts',
  'apps/widget/package.json',
  'packages/shared/src/i18n/widget',
].map((p) => path.join(REPO_ROOT, p));
const QUESTION = 'How do I reset my Google Authenticator?';

function newestChange(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target))
    newest = Math.max(newest, newestChange(path.join(target, entry)));
  return newest;
}

/** The server serves apps/widget/dist only if it exists at start: build it first when stale. */
function ensureWidgetBuilt(): void {
  const outputs = ['widget.js', 'app.js'].map((f) => path.join(WIDGET_DIST, f));
  if (outputs.every(existsSync)) {
    const built = Math.min(...outputs.map((f) => statSync(f).mtimeMs));
    if (WIDGET_SOURCES.every((source) => newestChange(source) <= built)) return;
  }
  const result = spawnSync('npm', ['run', 'build', '-w', '@kefu/widget'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`building the widget failed (exit ${result.status})`);
}

/** The exchange's website: another origin, a nonce-based CSP, and loud styles of its own. */
function startHostSite(port: number, kefuUrl: string): Promise<Server> {
  const template = readFileSync(path.join(REPO_ROOT, 'e2e/fixtures/host.html'), 'utf8');
  const server = createServer((request, response) => {
    if (request.url === '/favicon.ico') {
      response.writeHead(204).end();
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

/** An agent signed in through the API (cookie session), with a socket on /agent. */
class Agent {
  private cookie = '';
  session = '';
  id = '';
  name = '';
  socket: Socket | null = null;

  constructor(private readonly url: string) {}

  async login(email: string, password: string): Promise<void> {
    const response = await fetch(`${this.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const me = (await response.json()) as { agent: { id: string; name: string } };
    this.id = me.agent.id;
    this.name = me.agent.name;
    const cookies = response.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
    this.cookie = cookies.join('; ');
    const session = cookies.find((c) => c.startsWith('kefu_session='));
    this.session = decodeURIComponent(session?.slice('kefu_session='.length) ?? '');
  }

  async api<T>(method: string, pathname: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.url}${pathname}`, {
      method,
      headers: {
        cookie: this.cookie,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${text}`);
    return JSON.parse(text) as T;
  }

  connect(): Promise<Socket> {
    const socket = io(`${this.url}/agent`, {
      auth: { session: this.session },
      transports: ['websocket'],
      reconnection: false,
    });
    this.socket = socket;
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }
}

type Conversation = {
  id: string;
  number: number;
  status: string;
  assigneeId: string | null;
  csatScore: number | null;
  csatComment: string | null;
};
type Message = {
  seq: number;
  senderType: string;
  text: string;
  attachments: { name: string }[];
};

async function eventually<T>(
  fn: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${String(last ?? '')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

let server: KefuServer;
let host: Server;
let hostUrl: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
const agents: Agent[] = [];
/** Console errors, uncaught exceptions and the widget's own warnings, per page. */
const problems = new Map<Page, string[]>();

async function openHostPage(options: {
  viewport: { width: number; height: number };
  locale?: string;
  mobile?: boolean;
}): Promise<Page> {
  const context = await browser.newContext({
    viewport: options.viewport,
    locale: options.locale ?? 'en-US',
    timezoneId: 'Asia/Shanghai',
    ...(options.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  context.setDefaultTimeout(15_000);
  contexts.push(context);
  const page = await context.newPage();
  const list: string[] = [];
  problems.set(page, list);
  page.on('console', (message) => {
    if (message.type() === 'error' || message.text().includes('[Kefu]'))
      list.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => list.push(`pageerror: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) list.push(`HTTP ${response.status()} ${response.url()}`);
  });
  await page.goto(hostUrl);
  return page;
}

const launcher = (page: Page, name = /Open support chat/) => page.getByRole('button', { name });
const panel = (page: Page) => page.getByRole('dialog');
const composer = (page: Page) =>
  panel(page).getByRole('textbox', { name: /Your message|您的消息/ });

async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

/** The last message bubble of this sender in the widget. */
function lastFrom(page: Page, sender: 'contact' | 'agent' | 'assistant' | 'system'): Locator {
  return panel(page).locator(`li[data-sender="${sender}"]`).last();
}

beforeAll(async () => {
  ensureWidgetBuilt();
  const hostPort = await freePort();
  hostUrl = `http://127.0.0.1:${hostPort}`;
  // The exchange's origin may call the API from the browser (CORS).
  // The agent console is not opened here: its build (or a broken one) does not matter.
  server = await startKefuServer({ env: { KEFU_WIDGET_ORIGINS: hostUrl }, buildConsole: false });
  host = await startHostSite(hostPort, server.url);
  browser = await launchChromium();
});

afterAll(async () => {
  for (const agent of agents) agent.socket?.disconnect();
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  if (host) {
    host.closeAllConnections();
    await new Promise((resolve) => host.close(resolve));
  }
  await server?.stop();
});

describe('customer widget on an exchange page', () => {
  let page: Page;
  let conversation: Conversation;
  const sam = () => agents[0] as Agent;

  it('loads from widget.js without touching the host page or logging errors', async () => {
    // The size budget: every exchange page loads the loader; the app comes when idle.
    const gzipped = (file: string) => gzipSync(readFileSync(path.join(WIDGET_DIST, file))).length;
    expect(gzipped('widget.js')).toBeLessThanOrEqual(5 * 1024);
    expect(gzipped('app.js')).toBeLessThanOrEqual(60 * 1024);

    page = await openHostPage({ viewport: { width: 1280, height: 800 } });
    const hostButton = page.locator('#host-trade');
    const before = await hostButton.evaluate((el) => {
      const s = getComputedStyle(el);
      return [s.backgroundColor, s.borderStyle, s.fontFamily, s.padding].join('|');
    });
    await visible(launcher(page));
    // The widget lives in its own shadow root: the host's styles stay as they were…
    const after = await hostButton.evaluate((el) => {
      const s = getComputedStyle(el);
      return [s.backgroundColor, s.borderStyle, s.fontFamily, s.padding].join('|');
    });
    expect(after).toBe(before);
    expect(before).toContain('rgb(255, 105, 180)');
    // …and do not reach in (the host sets Comic Sans, uppercase and letter-spacing on *).
    const inside = await launcher(page).evaluate((el) => {
      const s = getComputedStyle(el);
      return {
        bg: s.backgroundColor,
        font: s.fontFamily,
        spacing: s.letterSpacing,
        border: s.borderStyle,
      };
    });
    expect(inside.bg).toBe('rgb(21, 87, 255)');
    expect(inside.font).not.toContain('Comic Sans');
    expect(inside.spacing).toBe('normal');
    expect(inside.border).toBe('none');
    // One host element, and window.Kefu is the loader's function.
    expect(await page.locator('kefu-widget').count()).toBe(1);
    expect(await page.evaluate(() => typeof (window as { Kefu?: unknown }).Kefu)).toBe('function');
    await screenshot(page, 'widget-01-launcher');
    expect(problems.get(page)).toEqual([]);
  });

  it('the host page opens it through Kefu("open"); Esc closes it and focus returns', async () => {
    await page.locator('#host-help').click();
    await visible(panel(page));
    await expect.poll(() => composer(page).evaluate((el) => el.matches(':focus'))).toBe(true);
    // Tab stays inside the open panel.
    for (let i = 0; i < 12; i++) await page.keyboard.press('Tab');
    const inPanel = await page.evaluate(() => {
      const root = document.querySelector('kefu-widget')?.shadowRoot;
      return Boolean(root?.activeElement?.closest('[role="dialog"]'));
    });
    expect(inPanel).toBe(true);
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'detached' });
    await expect.poll(() => launcher(page).evaluate((el) => el.matches(':focus'))).toBe(true);
    await page.keyboard.press('Enter');
    await visible(panel(page));
  });

  it('suggests articles while the customer types, and the assistant answers with a link', async () => {
    await composer(page).fill(QUESTION);
    const suggestions = panel(page).getByRole('navigation', { name: 'Articles that may help' });
    await visible(suggestions);
    const firstHref = await suggestions.getByRole('link').first().getAttribute('href');
    expect(firstHref).toMatch(new RegExp(`^${server.url}/help/en/articles/`));
    await screenshot(page, 'widget-02-suggestions');

    await composer(page).press('Enter');
    await expect.poll(() => composer(page).inputValue()).toBe('');
    const mine = lastFrom(page, 'contact');
    await visible(mine.getByText(QUESTION));
    await visible(mine.getByText(/Sent|Read/));
    const answer = lastFrom(page, 'assistant');
    await visible(answer, 20_000);
    const link = answer.getByRole('link').first();
    await visible(link);
    expect(await link.getAttribute('href')).toMatch(/\/help\/en\/articles\//);
    expect(await link.getAttribute('target')).toBe('_blank');
    const ticket = await visible(panel(page).getByTestId('ticket-number'));
    const number = Number(/#(\d+)/.exec((await ticket.textContent()) ?? '')?.[1]);
    expect(number).toBeGreaterThan(0);
    await screenshot(page, 'widget-03-assistant-answer');

    const agent = new Agent(server.url);
    agents.push(agent);
    await agent.login('sam.taylor@demo-exchange.example', 'kefu-demo-agent');
    conversation = await eventually(async () => {
      const { conversations } = await agent.api<{ conversations: Conversation[] }>(
        'GET',
        '/api/v1/conversations?view=all',
      );
      return conversations.find((c) => c.number === number);
    }, 'the conversation to be visible to the agent');
  });

  it('warns inline when the customer pastes a seed phrase, and stores it masked', async () => {
    await send(
      page,
      'My recovery words are: abandon ability able about above absent absorb abstract absurd abuse access accident',
    );
    const warning = panel(page).getByRole('alert').filter({ hasText: 'Security warning' });
    await visible(warning);
    await visible(lastFrom(page, 'contact').getByText(/REDACTED|removed/));
    const { messages } = await sam().api<{ messages: Message[] }>(
      'GET',
      `/api/v1/conversations/${conversation.id}/messages`,
    );
    expect(messages.map((m) => m.text).join('\n')).not.toContain('absurd abuse access');
    await screenshot(page, 'widget-04-secret-warning');
  });

  it('uploads a screenshot with progress and sends it; a wrong file type shows the API message', async () => {
    const input = panel(page).getByTestId('attach-input');
    // A 1×1 PNG, recognised by content.
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      'base64',
    );
    await input.setInputFiles({
      name: 'deposit-screenshot.png',
      mimeType: 'image/png',
      buffer: png,
    });
    await visible(panel(page).locator('.upload').getByText('deposit-screenshot.png'));
    await panel(page).locator('.upload svg').first().waitFor();
    await composer(page).fill('Here is my screenshot');
    await composer(page).press('Enter');
    await visible(
      lastFrom(page, 'contact').getByRole('button', { name: /deposit-screenshot\.png/ }),
    );
    const stored = await eventually(async () => {
      const { messages } = await sam().api<{ messages: Message[] }>(
        'GET',
        `/api/v1/conversations/${conversation.id}/messages`,
      );
      return messages.find((m) => m.attachments.some((a) => a.name === 'deposit-screenshot.png'));
    }, 'the attachment to be stored');
    expect(stored.text).toBe('Here is my screenshot');

    const textFile = path.join(tmpdir(), `kefu-notes-${Date.now()}.txt`);
    writeFileSync(textFile, 'not an image');
    await input.setInputFiles(textFile);
    const error = panel(page).locator('.upload.error');
    await visible(error);
    expect(await error.textContent()).toMatch(/cannot be attached|Allowed/);
    await error.getByRole('button', { name: /Remove/ }).click();
    await error.waitFor({ state: 'detached' });
    // That refusal is the one error response the browser may log here.
    const list = problems.get(page) ?? [];
    problems.set(
      page,
      list.filter((p) => !/\b415\b/.test(p)),
    );
  });

  it('"talk to a person" queues the customer and shows the position', async () => {
    await panel(page).getByRole('button', { name: 'Talk to a person' }).click();
    const queue = panel(page).getByTestId('queue');
    await visible(queue, 20_000);
    expect(await queue.textContent()).toMatch(/You are number \d+ in the queue/);
    await visible(panel(page).getByText('Waiting for a person', { exact: true }));
    await screenshot(page, 'widget-05-queue');
  });

  it('an agent comes online, is assigned, types and replies: the customer sees the verified name', async () => {
    const agent = sam();
    const socket = await agent.connect();
    const reads: number[] = [];
    socket.on('read', (event: { conversationId: string; seq: number; by: string }) => {
      if (event.conversationId === conversation.id && event.by === 'contact') reads.push(event.seq);
    });
    const typing: boolean[] = [];
    socket.on(
      'typing',
      (event: { conversationId: string; senderType: string; typing: boolean }) => {
        if (event.conversationId === conversation.id && event.senderType === 'contact')
          typing.push(event.typing);
      },
    );
    await agent.api('PUT', '/api/v1/auth/availability', { availability: 'online' });
    const assignee = panel(page).getByTestId('assignee');
    await visible(assignee, 20_000);
    expect(await assignee.textContent()).toBe(agent.name);
    await visible(panel(page).locator('header').getByText('Verified staff'));
    await expect.poll(() => panel(page).getByTestId('queue').count()).toBe(0);

    await new Promise<void>((resolve, reject) =>
      socket
        .timeout(5000)
        .emit('conversation:join', { conversationId: conversation.id }, (error: Error | null) =>
          error ? reject(error) : resolve(),
        ),
    );
    socket.emit('typing', { conversationId: conversation.id, typing: true });
    await visible(panel(page).getByText(`${agent.name} is typing…`));

    const reply =
      "Hi, I'm Sam from Demo Exchange support. I can help you reset your Google Authenticator.";
    await agent.api('POST', `/api/v1/conversations/${conversation.id}/messages`, { text: reply });
    const fromAgent = lastFrom(page, 'agent');
    await visible(fromAgent.getByText(reply));
    await visible(fromAgent.getByText(agent.name));
    await visible(fromAgent.getByText('Verified staff'));
    await expect
      .poll(() =>
        panel(page)
          .getByText(/is typing…/)
          .count(),
      )
      .toBe(0);
    // The panel is open and visible: the widget tells the agent what the customer has read.
    await expect.poll(() => reads.length, { timeout: 10_000 }).toBeGreaterThan(0);

    // The customer answers; the agent reads it and the customer sees "Read".
    await send(page, 'Thank you! I lost my phone.');
    const mine = panel(page)
      .locator('li[data-sender="contact"]')
      .filter({ hasText: 'Thank you! I lost my phone.' });
    await visible(mine.getByText('Sent'));
    const seq = Number(await mine.getAttribute('data-seq'));
    const readAck = await socket
      .timeout(5000)
      .emitWithAck('read', { conversationId: conversation.id, seq });
    expect(readAck, JSON.stringify(readAck)).toMatchObject({ ok: true });
    await visible(mine.getByText('Read'));
    // The agent saw the customer typing, and stop typing when the message went.
    expect(typing).toContain(true);
    await expect.poll(() => typing.at(-1)).toBe(false);
    await screenshot(page, 'widget-06-agent-reply');

    // With the panel closed, a reply shows as unread on the launcher.
    await panel(page).getByRole('button', { name: 'Close chat' }).first().click();
    await panel(page).waitFor({ state: 'detached' });
    await agent.api('POST', `/api/v1/conversations/${conversation.id}/messages`, {
      text: 'Do you still have your 16-character setup key?',
    });
    const unread = launcher(page, /Open support chat \(1 new\)/);
    await visible(unread);
    await visible(unread.getByText('1'));
    await unread.click();
    await visible(panel(page).getByText('Do you still have your 16-character setup key?'));
    const toggle = page.locator('button[aria-controls="kefu-panel"]');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    expect(await toggle.getAttribute('aria-label')).toBe('Close chat');
  });

  it('a returning visitor sees the history after a reload', async () => {
    await page.reload();
    await launcher(page).click();
    await visible(panel(page).getByText('Thank you! I lost my phone.'));
    await visible(panel(page).getByText(QUESTION));
    await visible(panel(page).getByTestId('assignee'));
    expect(problems.get(page)).toEqual([]);
  });

  it('a message written while offline is kept and sent on reconnect, once', async () => {
    const context = page.context();
    await context.setOffline(true);
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await visible(panel(page).getByText(/Reconnecting/), 20_000);
    await send(page, 'Are you still there?');
    await visible(
      panel(page)
        .locator('li[data-pending="true"]')
        .getByText(/Sending…|Not sent/),
    );
    await context.setOffline(false);
    await visible(lastFrom(page, 'contact').getByText('Are you still there?'), 30_000);
    await expect
      .poll(() => panel(page).locator('li[data-pending="true"]').count(), { timeout: 30_000 })
      .toBe(0);
    const { messages } = await sam().api<{ messages: Message[] }>(
      'GET',
      `/api/v1/conversations/${conversation.id}/messages`,
    );
    expect(messages.filter((m) => m.text === 'Are you still there?')).toHaveLength(1);
    // The offline period logged network errors of the browser; start the count afresh.
    problems.set(page, []);
  });

  it('the agent resolves and the customer rates the conversation', async () => {
    await sam().api('POST', `/api/v1/conversations/${conversation.id}/status`, {
      status: 'resolved',
    });
    const csat = panel(page).getByTestId('csat');
    await visible(csat, 20_000);
    await csat.getByRole('button', { name: /5 of 5/ }).click();
    await csat.getByRole('textbox', { name: 'Comment (optional)' }).fill('Quick and friendly');
    await screenshot(page, 'widget-07-csat');
    await csat.getByRole('button', { name: 'Send rating' }).click();
    await visible(panel(page).getByTestId('csat-done'));
    await visible(panel(page).getByText('Thank you for your rating!'));
    const rated = await eventually(async () => {
      const row = await sam().api<Conversation>('GET', `/api/v1/conversations/${conversation.id}`);
      return row.csatScore === 5 ? row : null;
    }, 'the rating to be stored');
    expect(rated.csatComment).toBe('Quick and friendly');
    await screenshot(page, 'widget-08-csat-done');
    expect(problems.get(page)).toEqual([]);
  });

  it('a Chinese browser gets Chinese; "talk to a person" works before any question', async () => {
    const visitor = await openHostPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    await launcher(visitor, /打开在线客服/).click();
    await visible(panel(visitor).getByRole('heading', { name: '在线客服' }));
    await panel(visitor).getByRole('button', { name: '转人工客服' }).click();
    // No conversation yet: the widget opens one with a message, then asks for a person.
    await visible(lastFrom(visitor, 'contact').getByText('我想转人工客服。'));
    await visible(panel(visitor).getByTestId('ticket-number'));
    await visible(panel(visitor).getByText('正在为您转接人工客服'), 20_000);
    await visible(
      panel(visitor)
        .getByTestId('queue')
        .getByText(/您当前排在第 \d+ 位/),
      20_000,
    );
    await visible(lastFrom(visitor, 'assistant').getByText(/#\d+/));
    await screenshot(visitor, 'widget-09-handoff-zh-CN');
    // The exchange switches the language from its own page.
    await visitor.evaluate(() =>
      (window as unknown as { Kefu: (...a: unknown[]) => void }).Kefu('setLocale', 'en'),
    );
    await visible(panel(visitor).getByRole('heading', { name: 'Support' }));
    expect(problems.get(visitor)).toEqual([]);
  });

  it('fills a phone screen and switches to Chinese', async () => {
    const phone = await openHostPage({
      viewport: { width: 360, height: 640 },
      locale: 'en-US',
      mobile: true,
    });
    await launcher(phone).click();
    await visible(panel(phone));
    // Once the opening animation has ended, the panel fills the screen.
    await expect
      .poll(async () => {
        const box = await panel(phone).boundingBox();
        return box && [box.x, box.y, box.width, box.height].map(Math.round);
      })
      .toEqual([0, 0, 360, 640]);
    await visible(panel(phone).getByRole('button', { name: 'Talk to a person' }));
    await screenshot(phone, 'widget-10-phone');

    await panel(phone)
      .getByRole('button', { name: /Switch to Chinese/ })
      .click();
    await visible(panel(phone).getByRole('heading', { name: '在线客服' }));
    await visible(panel(phone).getByRole('button', { name: '转人工客服' }));
    await composer(phone).fill('谷歌验证器丢了怎么办');
    await visible(panel(phone).getByRole('navigation', { name: '可能有帮助的文章' }));
    const href = await panel(phone)
      .getByRole('navigation', { name: '可能有帮助的文章' })
      .getByRole('link')
      .first()
      .getAttribute('href');
    expect(href).toContain('/help/zh-CN/articles/');
    await composer(phone).press('Enter');
    await visible(lastFrom(phone, 'assistant'), 20_000);
    await screenshot(phone, 'widget-11-phone-zh-CN');

    // The choice is remembered for this site.
    await phone.reload();
    await launcher(phone, /打开在线客服/).click();
    await visible(panel(phone).getByRole('heading', { name: '在线客服' }));
    await visible(panel(phone).getByText('谷歌验证器丢了怎么办'));
    await panel(phone).getByRole('button', { name: '关闭对话' }).click();
    await panel(phone).waitFor({ state: 'detached' });
    expect(problems.get(phone)).toEqual([]);
  });
});
