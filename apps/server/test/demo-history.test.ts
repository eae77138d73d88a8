import type { TReport } from '@kefu/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS, seedDemo } from '../src/demo/seed-demo.ts';
import { createTestKefu, loginCookie, type TestKefu, testClock } from './helpers/test-kefu.ts';

const clock = testClock(new Date('2026-06-15T00:30:00Z'));
let kefu: TestKefu;
let cookie: string;

async function get(path: string) {
  const response = await kefu.app.inject({ method: 'GET', url: path, headers: { cookie } });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

beforeAll(async () => {
  kefu = await createTestKefu({ clock, startJobs: false });
  expect(await seedDemo(kefu.deps)).toBe(true);
  const supervisor = DEMO_LOGINS.find((l) => l.role === 'supervisor');
  if (!supervisor) throw new Error('no demo supervisor');
  cookie = await loginCookie(kefu, supervisor.email, supervisor.password);
}, 120_000);
afterAll(() => kefu.close());

describe('the demo history', () => {
  it('gives a fresh install a month of figures in every report', async () => {
    const { status, body } = await get('/api/v1/reports?from=2026-05-16&to=2026-06-14&tz=UTC');
    expect(status).toBe(200);
    const report = body as unknown as TReport;
    expect(report.volume.total).toBeGreaterThan(300);
    expect(report.volume.byDay.every((d) => d.count > 0)).toBe(true);
    expect(report.volume.byChannel.map((c) => c.channel).sort()).toEqual([
      'email',
      'telegram',
      'widget',
    ]);
    expect(report.volume.byIntent.length).toBeGreaterThan(8);
    expect(report.responseTimes.firstResponse.medianSeconds).toBeGreaterThan(60);
    expect(report.responseTimes.resolution.p90Seconds).toBeGreaterThan(
      report.responseTimes.resolution.medianSeconds ?? 0,
    );
    const first = report.sla.find((s) => s.target === 'firstResponse');
    expect(first?.met).toBeGreaterThan(first?.breached ?? 0);
    expect(first?.breached).toBeGreaterThan(0);
    expect(report.csat.count).toBeGreaterThan(100);
    expect(report.csat.distribution.every((d) => d.count > 0)).toBe(true);
    expect(report.csat.trend.length).toBeGreaterThan(20);
    expect(report.assistant.resolved).toBeGreaterThan(0);
    expect(report.assistant.handoffReasons.length).toBeGreaterThan(1);
    expect(report.queue.count).toBeGreaterThan(100);
    expect(report.agents.map((a) => a.name).sort()).toEqual(
      ['李娜 Li Na', 'Sam Taylor', '陈伟 Chen Wei (L2)'].sort(),
    );
    expect(report.agents.every((a) => a.qualityScore !== null && a.reviews > 0)).toBe(true);

    // All of it settled: the live inbox starts empty, nothing waits for routing.
    const open = await get('/api/v1/conversations?view=all&status=open');
    expect(open.body.conversations).toEqual([]);
    const today = await get('/api/v1/reports?from=2026-06-15&to=2026-06-15&tz=UTC');
    expect((today.body as unknown as TReport).volume.total).toBe(0);

    // Nothing lies in the future: the live inbox, newest first, starts with what really happens.
    const [latest] = (
      (await kefu.deps.db.execute(sql`select greatest(
        (select max(updated_at) from conversations), (select max(resolved_at) from conversations),
        (select max(created_at) from messages)) as at`)) as unknown as { rows: { at: Date }[] }
    ).rows;
    expect(new Date(latest?.at ?? 0).getTime()).toBeLessThanOrEqual(clock.now().getTime());

    const queue = await get('/api/v1/reviews/queue');
    expect((queue.body.conversations as unknown[]).length).toBeGreaterThan(0);
    const reviews = await get('/api/v1/reviews');
    expect((reviews.body.reviews as unknown[]).length).toBeGreaterThan(5);
  });
});
