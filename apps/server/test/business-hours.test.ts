import { randomUUID } from 'node:crypto';
import type { TMessage, TSendAck } from '@kefu/shared';
import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations } from '../src/conversations/schema.ts';
import { jobs } from '../src/jobs/schema.ts';
import { refuseWrites } from './helpers/faults.ts';
import {
  connect,
  customerSession,
  emitAck,
  expectEventually,
  listen,
  type SetupIds,
  seedSupportDesk,
} from './helpers/realtime.ts';
import {
  createTestKefu,
  seedAgent,
  type TestAgent,
  type TestKefu,
  testClock,
} from './helpers/test-kefu.ts';

// A Saturday in Shanghai: the English team works Monday to Friday only.
const clock = testClock(new Date('2026-11-28T03:00:00Z'));
let kefu: TestKefu;
let url: string;
let desk: SetupIds;
let admin: TestAgent;

beforeAll(async () => {
  kefu = await createTestKefu({ clock });
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  admin = await seedAgent(kefu, 'admin');
});
afterAll(() => kefu.close());

describe('business hours', () => {
  it('outside them the customer is told when a person will reply, and the ticket stays queued', async () => {
    const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' }));
    const bad = await fetch(`${url}/api/v1/teams/${desk.teamEn}/business-hours`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: admin.cookie },
      body: JSON.stringify({
        businessHours: { weekly: [{ day: 1, open: '18:00', close: '09:00' }], holidays: [] },
      }),
    });
    expect(bad.status).toBe(400);
    const set = await fetch(`${url}/api/v1/teams/${desk.teamEn}/business-hours`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: admin.cookie },
      body: JSON.stringify({
        businessHours: { weekly: weekdays, holidays: [{ date: '2026-11-30', name: 'Team day' }] },
      }),
    });
    expect(set.status).toBe(200);

    const session = await customerSession(url, desk.siteToken);
    const customer = await connect(url, '/customer', { token: session.contactToken });
    try {
      const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
        clientMessageId: `c-${randomUUID()}`,
        text: 'Hello, I need help with my KYC',
      });
      if (!ack.ok) throw new Error(ack.error.message);
      const notice = await expectEventually(() => {
        const m = customer.of<TMessage>('message:new').find((x) => x.kind === 'outside_hours');
        expect(m).toBeDefined();
        return m as TMessage;
      });
      // Monday 30 November is a holiday: the next opening is Tuesday 09:00 UTC.
      expect(notice.text).toMatch(/Dec 1, 2026/);
      expect(notice.text).toMatch(/9:00/);
      expect(notice.text).toContain(`#${ack.conversationNumber}`);
      const conv = (await (
        await fetch(`${url}/api/v1/conversations/${ack.message.conversationId}`, {
          headers: { cookie: admin.cookie },
        })
      ).json()) as {
        status: string;
        assigneeId: string | null;
      };
      expect(conv).toMatchObject({ status: 'open', assigneeId: null });
      // Told once, not at every message.
      await emitAck<TSendAck>(customer.socket, 'message:send', {
        clientMessageId: `c-${randomUUID()}`,
        conversationId: ack.message.conversationId,
        text: 'anyone?',
      });
      await new Promise((r) => setTimeout(r, 400));
      expect(
        customer.of<TMessage>('message:new').filter((x) => x.kind === 'outside_hours'),
      ).toHaveLength(1);
    } finally {
      customer.socket.disconnect();
    }
  });

  it('the notice and its mark commit together: a notice that could not be stored is sent at the next run', async () => {
    // The database refuses the notice for a while (a fault injected in the real database).
    const restore = await refuseWrites(kefu.deps.db, {
      table: 'messages',
      on: 'insert',
      when: "new.meta->>'kind' = 'outside_hours'",
      message: 'no room for the notice',
    });
    const session = await customerSession(url, desk.siteToken);
    const customer = await connect(url, '/customer', { token: session.contactToken });
    try {
      const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
        clientMessageId: `c-${randomUUID()}`,
        text: 'Hello, my deposit is missing',
      });
      if (!ack.ok) throw new Error(ack.error.message);
      await expectEventually(async () => {
        const failed = await kefu.deps.db
          .select({ id: jobs.id })
          .from(jobs)
          .where(
            and(eq(jobs.queue, 'routing.assign'), like(jobs.lastError, '%no room for the notice%')),
          );
        expect(failed.length).toBeGreaterThan(0);
      });
      const [row] = await kefu.deps.db
        .select({ fields: conversations.fields })
        .from(conversations)
        .where(eq(conversations.id, ack.message.conversationId));
      expect(row?.fields.outsideHoursNotified).toBeUndefined();
    } finally {
      await restore();
    }
    // The routing run is retried after its backoff.
    clock.advance(5000);
    kefu.deps.kickJobs();
    try {
      await expectEventually(
        () =>
          expect(
            customer.of<TMessage>('message:new').filter((x) => x.kind === 'outside_hours'),
          ).toHaveLength(1),
        15_000,
      );
    } finally {
      customer.socket.disconnect();
    }
  });
});
