import { readFileSync } from 'node:fs';
import type { TQualityReview, TReport } from '@kefu/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newConsoleContext, screenshot } from './helpers/browser.ts';
import { signIn, visible } from './helpers/console.ts';
import { type KefuServer, startKefuServer } from './helpers/kefu-server.ts';

// A supervisor's month in review on a fresh install: the demo history fills the reports page
// with charts, a shorter period and a CSV export work, a low rating gets its quality review,
// and the inbox finds a Chinese conversation by a phrase.
let server: KefuServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const LIN = { email: 'lin.supervisor@demo-exchange.example', password: 'kefu-demo-supervisor' };

async function newPage(locale = 'en-US'): Promise<Page> {
  const context = await newConsoleContext(browser, server.url, locale);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  return page;
}

async function apiGet<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(`${server.url}/api/v1${path}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as T;
}

const reportResponse = (page: Page, match: (url: URL) => boolean) =>
  page.waitForResponse((r) => {
    const url = new URL(r.url());
    return url.pathname === '/api/v1/reports' && match(url);
  });

beforeAll(async () => {
  // The demo seeds a month of history at start; the machines running this are often busy.
  server = await startKefuServer({ timeoutMs: 240_000 });
  browser = await launchChromium();
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.stop();
});

describe('reports, quality reviews and inbox search', () => {
  it('shows the demo month in charts, changes the period and downloads CSV', async () => {
    const page = await newPage();
    await signIn(page, LIN.email, LIN.password);
    const first = reportResponse(page, (url) => url.searchParams.get('tz') === 'Asia/Shanghai');
    await page.getByRole('navigation').getByRole('link', { name: 'Reports' }).click();
    await page.waitForURL('**/reports');
    const month = (await (await first).json()) as TReport;
    expect(month.volume.total).toBeGreaterThan(300);

    // The figures on screen are the API's, and the charts are drawn.
    await visible(
      page.locator('[data-stat="Conversations"]', { hasText: String(month.volume.total) }),
    );
    await visible(page.getByTestId('chart-volume').locator('.recharts-bar-rectangle'));
    // One bar per day of the period (recharts draws an empty one for a day without conversations).
    expect(await page.getByTestId('chart-volume').locator('.recharts-bar-rectangle').count()).toBe(
      month.volume.byDay.length,
    );
    for (const chart of [
      'chart-channel',
      'chart-hour',
      'chart-intent',
      'chart-times',
      'chart-sla',
      'chart-csat',
    ])
      await visible(page.getByTestId(chart).locator('.recharts-surface'));
    await visible(
      page
        .getByTestId('chart-channel')
        .getByText(`Website: ${month.volume.byChannel.find((c) => c.channel === 'widget')?.count}`),
    );
    await visible(page.getByTestId('agents').getByRole('cell', { name: '李娜 Li Na' }));
    await screenshot(page, 'reports-01-month-en', { fullPage: true });
    await screenshot(page, 'reports-01-month-en-viewport');

    // Seven days instead of thirty: fewer conversations, the page follows.
    const week = reportResponse(page, (url) => {
      const from = url.searchParams.get('from');
      const to = url.searchParams.get('to');
      return Boolean(from && to) && Date.parse(`${to}`) - Date.parse(`${from}`) === 6 * 86_400_000;
    });
    await page.getByText('7 days', { exact: true }).click();
    const weekReport = (await (await week).json()) as TReport;
    expect(weekReport.volume.total).toBeLessThan(month.volume.total);
    expect(weekReport.volume.byDay).toHaveLength(7);
    await visible(
      page.locator('[data-stat="Conversations"]', { hasText: String(weekReport.volume.total) }),
    );
    expect(new URL(page.url()).searchParams.get('preset')).toBe('7');

    // The volume report as CSV, with the BOM Excel needs for Chinese.
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download volume as CSV' }).click();
    const file = await (await download).path();
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('dimension,value,conversations');
    expect(lines.filter((l) => l.startsWith('day,'))).toHaveLength(7);

    // The agents CSV has the Chinese names.
    const agentsCsv = await page.request.get(
      `${server.url}/api/v1/reports/agents/csv?from=${weekReport.range.from}&to=${weekReport.range.to}`,
    );
    expect(agentsCsv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(await agentsCsv.text()).toContain('李娜 Li Na');

    await page.getByRole('button', { name: 'Switch to dark mode' }).click();
    await visible(page.getByTestId('chart-sla').locator('.recharts-surface'));
    await screenshot(page, 'reports-02-week-dark', { fullPage: true });
    await page.getByRole('button', { name: 'Switch to light mode' }).click();
  });

  it('is not offered to agents', async () => {
    const page = await newPage();
    await signIn(page, 'sam.taylor@demo-exchange.example', 'kefu-demo-agent');
    const nav = page.getByRole('navigation');
    await visible(nav.getByRole('link', { name: 'Inbox' }));
    expect(await nav.getByRole('link', { name: 'Reports' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Quality' }).count()).toBe(0);
    await page.goto('/reports');
    await visible(page.getByRole('heading', { name: 'Not available for your role' }));
    const api = await page.request.get(`${server.url}/api/v1/reports`);
    expect(api.status()).toBe(403);
  });

  it('shows the reports in Chinese', async () => {
    const page = await newPage('zh-CN');
    // A Chinese browser gets the console in Chinese, sign-in included.
    await page.goto('/sign-in');
    await page.getByLabel('邮箱').fill(LIN.email);
    await page.getByLabel(/^密码/).fill(LIN.password);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL('**/inbox');
    await page.goto('/reports');
    await visible(page.getByRole('heading', { name: '报表' }));
    await visible(page.getByTestId('chart-volume').locator('.recharts-bar-rectangle'));
    await visible(page.getByText('按渠道'));
    await screenshot(page, 'reports-03-month-zh-CN', { fullPage: true });
    await page.getByRole('button', { name: '切换到深色模式' }).click();
    await screenshot(page, 'reports-04-month-zh-CN-dark');
  });

  it('a supervisor completes a quality review from the queue', async () => {
    const page = await newPage();
    await signIn(page, LIN.email, LIN.password);
    await page.getByRole('navigation').getByRole('link', { name: 'Quality' }).click();
    await page.waitForURL('**/quality');
    const queue = page.getByRole('table', { name: 'Waiting for review' });
    const row = queue.locator('tbody tr').first();
    await visible(row);
    const number = await row.getAttribute('data-number');
    const before = await queue.locator('tbody tr').count();
    await row.getByRole('button', { name: 'Review' }).click();
    const modal = page.getByRole('dialog', { name: `Review ticket #${number}` });
    await visible(modal);
    const save = modal.getByRole('button', { name: 'Save review' });
    expect(await save.isDisabled()).toBe(true);
    const scores = { responseSpeed: 2, attitude: 4, resolution: 3, followUp: 2, accuracy: 4 };
    for (const [criterion, score] of Object.entries(scores))
      await modal
        .locator(`[data-criterion="${criterion}"]`)
        .getByText(String(score), { exact: true })
        .click();
    await modal.getByLabel('Comment').fill('Late first reply; explain the network fee up front.');
    await screenshot(page, 'reports-05-quality-review-form');
    await save.click();
    await visible(page.getByText('Review saved. The conversation left the queue.'));
    await expect.poll(() => queue.locator(`tbody tr[data-number="${number}"]`).count()).toBe(0);
    expect(await queue.locator('tbody tr').count()).toBe(before - 1);
    const history = page.getByRole('table', { name: 'Reviews' });
    await visible(history.getByRole('link', { name: `#${number}` }));

    const { reviews } = await apiGet<{ reviews: TQualityReview[] }>(page, '/reviews?limit=5');
    const saved = reviews.find((r) => String(r.conversationNumber) === number);
    expect(saved?.scores).toEqual(scores);
    expect(saved?.score).toBe(3);
    expect(saved?.reviewerName).toBe('林主管 Lin');
    await screenshot(page, 'reports-06-quality-page', { fullPage: true });
  });

  it('inbox search finds conversations by a Chinese phrase', async () => {
    const page = await newPage();
    await signIn(page, LIN.email, LIN.password);
    await page.goto('/inbox?view=all');
    const search = page.getByRole('textbox', { name: 'Search conversations' });
    await search.fill('提币');
    await page.waitForURL(/q=%E6%8F%90%E5%B8%81/);
    const { conversations } = await apiGet<{ conversations: { number: number }[] }>(
      page,
      '/conversations?view=all&q=%E6%8F%90%E5%B8%81&limit=50',
    );
    expect(conversations.length).toBeGreaterThan(0);
    const rows = page.locator('[data-row-index]');
    await expect.poll(() => rows.count()).toBe(conversations.length);
    await visible(rows.first().getByText(`#${conversations[0]?.number}`));
    await visible(page.getByText(/提币/).first());
    await screenshot(page, 'reports-07-inbox-search-zh');

    // A phrase nobody wrote: an explained empty result.
    await search.fill('完全不存在的词组 xyzzy');
    await visible(page.getByTestId('no-matches'));
  });
});
