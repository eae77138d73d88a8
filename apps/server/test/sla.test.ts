import { randomUUID } from 'node:crypto';
import type { TSendAck } from '@kefu/shared';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../src/audit/schema.ts';
import { conversations } from '../src/conversations/schema.ts';
import {
  connect,
  customerSession,
  emitAck,
  expectEventually,
  listen,
  seedSupportDesk,
} from './helpers/realtime.ts';
import {
  createTestDatabase,
  createTestKefu,
  seedAgent,
  type TestDatabase,
  testClock,
} from './helpers/test-kefu.ts';

let database: TestDatabase | undefined;
afterAll(() => database?.drop());

describe('SLA timers', () => {
  it('a breach due while Kefu is down fires after the restart and escalates as configured', async () => {
    database = await createTestDatabase();
    const clock = testClock(new Date('2026-11-23T09:00:00Z'));
    // The database outlives the nodes: closing a node is a restart as far as timers go.
    const keep = { ...database, drop: async () => {} };
    const first = await createTestKefu({ clock, database: keep });
    const url = await listen(first);
    const desk = await seedSupportDesk(first);
    const supervisor = await seedAgent(first, 'supervisor');
    const policy = await fetch(`${url}/api/v1/sla-policies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: supervisor.cookie },
      body: JSON.stringify({
        name: 'Standard',
        businessHoursOnly: false,
        firstResponseMinutes: 5,
        resolutionMinutes: 240,
        warnBeforeMinutes: 1,
        breachActions: {
          raisePriority: true,
          reassignToTeamId: desk.teamL2,
          notifySupervisors: true,
        },
      }),
    });
    expect(policy.status).toBe(201);

    const session = await customerSession(url, desk.siteToken);
    const customer = await connect(url, '/customer', { token: session.contactToken });
    const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
      clientMessageId: `c-${randomUUID()}`,
      text: 'My BTC withdrawal is stuck',
    });
    if (!ack.ok) throw new Error(ack.error.message);
    const id = ack.message.conversationId;
    customer.socket.disconnect();

    const deadlines = await expectEventually(async () => {
      const [row] = await first.deps.db
        .select()
        .from(conversations)
        .where(eq(conversations.id, id));
      expect(row?.firstResponseDueAt?.toISOString()).toBe('2026-11-23T09:05:00.000Z');
      return row;
    });
    expect(deadlines?.resolutionDueAt?.toISOString()).toBe('2026-11-23T13:00:00.000Z');
    expect(deadlines?.priority).toBe('normal');
    await first.close();

    // Down through the warning and the due time.
    clock.advance(10 * 60_000);
    const second = await createTestKefu({ clock, database: keep, startJobs: false });
    const url2 = await listen(second);
    const supervisorSocket = await connect(url2, '/agent', { cookie: supervisor.cookie });
    try {
      second.deps.kickJobs();
      const after = await expectEventually(async () => {
        const [row] = await second.deps.db
          .select()
          .from(conversations)
          .where(eq(conversations.id, id));
        expect(row?.slaState.firstResponse).toBe('breached');
        return row;
      });
      expect(after?.priority).toBe('high');
      expect(after?.teamId).toBe(desk.teamL2);
      expect(after?.assigneeId).toBeNull();
      const audits = await second.deps.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.targetId, id));
      expect(audits.filter((a) => a.action === 'sla.breached')).toHaveLength(1);
      await expectEventually(() => {
        expect(
          supervisorSocket
            .of<{ kind: string; conversationId: string }>('notification')
            .some((n) => n.kind === 'sla_breach' && n.conversationId === id),
        ).toBe(true);
      });

      // Running the check again (a second node, a retry) does not breach twice.
      second.deps.kickJobs();
      const conversation = await fetch(`${url2}/api/v1/conversations/${id}`, {
        headers: { cookie: supervisor.cookie },
      });
      const body = (await conversation.json()) as {
        sla: { state: Record<string, string>; firstResponseDueAt: string };
      };
      expect(body.sla.state.firstResponse).toBe('breached');
      const again = await second.deps.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.targetId, id));
      expect(again.filter((a) => a.action === 'sla.breached')).toHaveLength(1);
    } finally {
      supervisorSocket.socket.disconnect();
      await second.close();
    }
  });

  it('an agent reply in time meets the first-response target', async () => {
    const clock = testClock(new Date('2026-11-23T09:00:00Z'));
    const kefu = await createTestKefu({ clock });
    try {
      const url = await listen(kefu);
      const desk = await seedSupportDesk(kefu);
      const admin = await seedAgent(kefu, 'admin');
      await fetch(`${url}/api/v1/sla-policies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: admin.cookie },
        body: JSON.stringify({
          name: 'Fast',
          businessHoursOnly: false,
          firstResponseMinutes: 5,
          warnBeforeMinutes: 1,
        }),
      });
      const session = await customerSession(url, desk.siteToken);
      const sent = await fetch(`${url}/api/v1/customer/messages`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${session.contactToken}`,
        },
        body: JSON.stringify({ clientMessageId: `c-${randomUUID()}`, text: 'How do I reset 2FA?' }),
      });
      const { message } = (await sent.json()) as { message: { conversationId: string } };
      await expectEventually(async () => {
        const [row] = await kefu.deps.db
          .select()
          .from(conversations)
          .where(eq(conversations.id, message.conversationId));
        expect(row?.firstResponseDueAt).not.toBeNull();
      });
      clock.advance(2 * 60_000);
      const reply = await fetch(`${url}/api/v1/conversations/${message.conversationId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: admin.cookie },
        body: JSON.stringify({ text: 'Here are the steps…' }),
      });
      expect(reply.status).toBe(201);
      await expectEventually(async () => {
        const [row] = await kefu.deps.db
          .select()
          .from(conversations)
          .where(eq(conversations.id, message.conversationId));
        expect(row?.firstResponseDueAt).toBeNull();
      });
      clock.advance(10 * 60_000);
      kefu.deps.kickJobs();
      await new Promise((r) => setTimeout(r, 300));
      const [row] = await kefu.deps.db
        .select()
        .from(conversations)
        .where(eq(conversations.id, message.conversationId));
      expect(row?.slaState.firstResponse).toBeUndefined();
      expect(row?.priority).toBe('normal');
    } finally {
      await kefu.close();
    }
  });
});
