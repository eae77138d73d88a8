import { randomUUID } from 'node:crypto';
import type { TMessage, TSendAck } from '@kefu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
