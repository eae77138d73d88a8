import { randomUUID } from 'node:crypto';
import type { TSendAck } from '@kefu/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../src/conversations/schema.ts';
import type { DomainEvent } from '../src/lib/events.ts';
import {
  createOutboxHandler,
  markDeliveryFailed,
  sendAgentMessage,
} from '../src/pipeline/send-outbound.ts';
import {
  connect,
  customerSession,
  emitAck,
  listen,
  type SetupIds,
  seedSupportDesk,
} from './helpers/realtime.ts';
import { createTestKefu, seedAgent, type TestKefu } from './helpers/test-kefu.ts';

let kefu: TestKefu;
let url: string;
let desk: SetupIds;

beforeAll(async () => {
  // The jobs are run by hand here.
  kefu = await createTestKefu({ startJobs: false });
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
});
afterAll(() => kefu.close());

describe('the outbox job', () => {
  it('a delivery refused for good while it was being handed over stays failed', async () => {
    const session = await customerSession(url, desk.siteToken);
    const customer = await connect(url, '/customer', { token: session.contactToken });
    const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
      clientMessageId: `c-${randomUUID()}`,
      text: 'My account is locked',
    });
    customer.socket.disconnect();
    if (!ack.ok) throw new Error(ack.error.message);
    const agent = await seedAgent(kefu, 'admin');
    const reply = await sendAgentMessage(
      kefu.deps,
      { id: agent.id, role: agent.role, name: 'Test admin' },
      ack.message.conversationId,
      { text: 'We unlocked it, please sign in again.', private: false },
    );
    const [row] = await kefu.deps.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(eq(outbox.messageId, reply.message.id));
    const outboxId = row?.id as string;

    // The channel hands the message over, and before the handover is recorded the receiving
    // side refuses it for good (as a mail job on another node can).
    const events: DomainEvent[] = [];
    const unsubscribe = kefu.node.subscribe((event) => events.push(event));
    const handler = createOutboxHandler(
      kefu.deps,
      new Map([
        [
          'widget',
          async (delivery) => {
            await markDeliveryFailed(kefu.deps, delivery.outboxId);
            return 'sent' as const;
          },
        ],
      ]),
    );
    await handler({ payload: { outboxId }, attempts: 1, maxAttempts: 12 });
    unsubscribe();

    const [after] = await kefu.deps.db
      .select({ status: outbox.status })
      .from(outbox)
      .where(eq(outbox.id, outboxId));
    expect(after?.status).toBe('failed');
    const told = events.flatMap((e) => (e.type === 'delivery.changed' ? [e.status] : []));
    expect(told).toEqual(['failed']);
  });
});
