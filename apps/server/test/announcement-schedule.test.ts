import type { TAnnouncement, TPublicAnnouncement } from '@kefu/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { runAnnouncementBoundary } from '../src/announcements/boundaries.ts';
import { openDatabase } from '../src/db/client.ts';
import { jobs } from '../src/jobs/schema.ts';
import type { DomainEvent } from '../src/lib/events.ts';
import {
  connect,
  customerSession,
  expectEventually,
  listen,
  seedSupportDesk,
} from './helpers/realtime.ts';
import {
  createTestDatabase,
  createTestKefu,
  seedAgent,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  type TestDatabase,
  type TestKefu,
  testClock,
} from './helpers/test-kefu.ts';

type Changed = { announcements: TPublicAnnouncement[] };

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function publish(url: string, cookie: string, body: Record<string, unknown>) {
  const response = await fetch(`${url}/api/v1/announcements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ severity: 'info', ...body }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as TAnnouncement;
}

async function widget(url: string, siteToken: string) {
  const session = await customerSession(url, siteToken);
  const customer = await connect(url, '/customer', { token: session.contactToken });
  cleanups.push(async () => {
    customer.socket.disconnect();
  });
  const shows = (id: string) =>
    customer
      .of<Changed>('announcements:changed')
      .some((e) => e.announcements.some((a) => a.id === id));
  const lastShows = (id: string) =>
    customer
      .of<Changed>('announcements:changed')
      .at(-1)
      ?.announcements.some((a) => a.id === id);
  return { ...customer, shows, lastShows };
}

async function pendingTimers(kefu: TestKefu, id: string) {
  return kefu.deps.db
    .select({ key: jobs.singletonKey, runAt: jobs.runAt })
    .from(jobs)
    .where(and(eq(jobs.queue, 'announcements.boundary'), eq(jobs.status, 'pending')))
    .then((rows) => rows.filter((r) => r.key?.endsWith(id)));
}

/** Lets the worker run what is due at the clock's time, and any push it makes arrive. */
async function tick(...nodes: TestKefu[]) {
  for (const node of nodes) await node.node.worker.drain();
  await new Promise((resolve) => setTimeout(resolve, 200));
}

/** A node on a clock set to `start`, with an admin and one open widget. */
async function deskWithWidget(start: string) {
  const clock = testClock(new Date(start));
  const kefu = await createTestKefu({ clock });
  cleanups.push(() => kefu.close());
  const url = await listen(kefu);
  const desk = await seedSupportDesk(kefu);
  const admin = await seedAgent(kefu, 'admin');
  const customer = await widget(url, desk.siteToken);
  return { clock, kefu, url, admin, customer };
}

describe('scheduled announcements', () => {
  it('open widgets get a scheduled announcement when it starts and lose it when it ends', async () => {
    const { clock, kefu, url, admin, customer } = await deskWithWidget('2026-12-01T08:00:00Z');

    const scheduled = await publish(url, admin.cookie, {
      text: { en: 'Wallet maintenance now', 'zh-CN': '钱包维护中' },
      startsAt: '2026-12-01T08:30:00Z',
      endsAt: '2026-12-01T09:30:00Z',
    });
    expect(scheduled.state).toBe('scheduled');
    // The write itself pushes the list, without the announcement that has not started.
    await expectEventually(() =>
      expect(customer.of<Changed>('announcements:changed').length).toBeGreaterThan(0),
    );
    expect(customer.shows(scheduled.id)).toBe(false);
    const timers = await pendingTimers(kefu, scheduled.id);
    expect(timers.map((t) => t.runAt.toISOString()).sort()).toEqual([
      '2026-12-01T08:30:00.000Z',
      '2026-12-01T09:30:00.000Z',
    ]);

    // A minute early: nothing yet.
    clock.set(new Date('2026-12-01T08:29:00Z'));
    await tick(kefu);
    expect(customer.shows(scheduled.id)).toBe(false);

    clock.set(new Date('2026-12-01T08:30:00Z'));
    kefu.deps.kickJobs();
    const started = await expectEventually(() => {
      const event = customer
        .of<Changed>('announcements:changed')
        .find((e) => e.announcements.some((a) => a.id === scheduled.id));
      expect(event).toBeDefined();
      return event;
    });
    expect(started?.announcements.find((a) => a.id === scheduled.id)?.text['zh-CN']).toBe(
      '钱包维护中',
    );

    clock.set(new Date('2026-12-01T09:30:00Z'));
    kefu.deps.kickJobs();
    await expectEventually(() => expect(customer.lastShows(scheduled.id)).toBe(false));
    expect(await pendingTimers(kefu, scheduled.id)).toEqual([]);
  });

  it('moving the start moves the push; a timer outrun by an edit or a resolve does nothing', async () => {
    const { clock, kefu, url, admin, customer } = await deskWithWidget('2026-12-02T08:00:00Z');
    const published: DomainEvent[] = [];
    const unsubscribe = kefu.node.subscribe((e) => published.push(e));
    cleanups.push(async () => unsubscribe());

    const a = await publish(url, admin.cookie, {
      text: { en: 'Listing DEMO token', 'zh-CN': '上线 DEMO 代币' },
      startsAt: '2026-12-02T09:00:00Z',
    });
    const moved = await fetch(`${url}/api/v1/announcements/${a.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie: admin.cookie },
      body: JSON.stringify({ startsAt: '2026-12-02T10:00:00Z' }),
    });
    expect(moved.status).toBe(200);
    expect((await pendingTimers(kefu, a.id)).map((t) => t.runAt.toISOString())).toEqual([
      '2026-12-02T10:00:00.000Z',
    ]);

    // The old start passes quietly (the publish and the edit pushed once each).
    await expectEventually(() =>
      expect(customer.of<Changed>('announcements:changed')).toHaveLength(2),
    );
    const before = 2;
    clock.set(new Date('2026-12-02T09:00:00Z'));
    await tick(kefu);
    expect(customer.of<Changed>('announcements:changed').length).toBe(before);

    clock.set(new Date('2026-12-02T10:00:00Z'));
    kefu.deps.kickJobs();
    await expectEventually(() => expect(customer.lastShows(a.id)).toBe(true));

    // A timer for a time the announcement no longer has, or for a resolved one, pushes nothing.
    const timer = (at: string) => ({ payload: { announcementId: a.id, edge: 'start', at } });
    let count = published.length;
    expect(await runAnnouncementBoundary(kefu.deps, timer('2026-12-02T09:00:00.000Z'))).toBe(false);
    expect(published.length).toBe(count);
    const resolved = await fetch(`${url}/api/v1/announcements/${a.id}/resolve`, {
      method: 'POST',
      headers: { cookie: admin.cookie },
    });
    expect(resolved.status).toBe(200);
    count = published.length;
    expect(await runAnnouncementBoundary(kefu.deps, timer('2026-12-02T10:00:00.000Z'))).toBe(false);
    expect(published.length).toBe(count);
  });

  it('a start due while Kefu is down reaches the widgets of the restarted node', async () => {
    const database: TestDatabase = await createTestDatabase();
    cleanups.push(() => database.drop());
    const keep = { ...database, drop: async () => {} };
    const clock = testClock(new Date('2026-12-03T08:00:00Z'));
    const first = await createTestKefu({ clock, database: keep });
    const url1 = await listen(first);
    const desk = await seedSupportDesk(first);
    const admin = await seedAgent(first, 'admin');
    const a = await publish(url1, admin.cookie, {
      text: { en: 'Deposits paused for the upgrade', 'zh-CN': '升级期间暂停充值' },
      startsAt: '2026-12-03T08:10:00Z',
    });
    await first.close();

    clock.set(new Date('2026-12-03T08:20:00Z'));
    const second = await createTestKefu({ clock, database: keep, startJobs: false });
    cleanups.push(() => second.close());
    const url2 = await listen(second);
    const customer = await widget(url2, desk.siteToken);
    second.deps.kickJobs();
    await expectEventually(() => expect(customer.shows(a.id)).toBe(true));
  });
});

describe.runIf(TEST_DATABASE_URL && TEST_REDIS_URL)('scheduled announcements in a cluster', () => {
  it('the node that runs the timer pushes to the widgets of every node, once', async () => {
    const shared = await createTestDatabase();
    const env = { REDIS_URL: TEST_REDIS_URL as string };
    const clock = testClock(new Date('2026-12-04T08:00:00Z'));
    const a = await createTestKefu({ env, database: shared, clock });
    cleanups.push(() => a.close());
    const second = await openDatabase({ kind: 'postgres', url: shared.url as string, poolSize: 5 });
    const b = await createTestKefu({
      env,
      clock,
      database: { database: second, drop: () => second.close() },
    });
    cleanups.push(() => b.close());
    const urlA = await listen(a);
    const urlB = await listen(b);
    const desk = await seedSupportDesk(a);
    const admin = await seedAgent(a, 'admin');
    const onA = await widget(urlA, desk.siteToken);
    const onB = await widget(urlB, desk.siteToken);

    const scheduled = await publish(urlA, admin.cookie, {
      text: { en: 'Trading halted for the upgrade', 'zh-CN': '升级期间暂停交易' },
      startsAt: '2026-12-04T08:05:00Z',
    });
    clock.set(new Date('2026-12-04T08:05:00Z'));
    a.deps.kickJobs();
    b.deps.kickJobs();
    await expectEventually(() => {
      expect(onA.shows(scheduled.id)).toBe(true);
      expect(onB.shows(scheduled.id)).toBe(true);
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const customer of [onA, onB]) {
      const pushes = customer
        .of<Changed>('announcements:changed')
        .filter((e) => e.announcements.some((x) => x.id === scheduled.id));
      expect(pushes).toHaveLength(1);
    }
  });
});
