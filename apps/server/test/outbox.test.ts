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
  // The outbox jobs are run by hand here: the node's own worker is stopped before it starts.
  kefu = await createTestKefu({ startJobs: false });
  await kefu.node.worker.stop();
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
});
afterAll(() => kefu.close());

/** A customer's conversation with one agent reply waiting in the outbox; its outbox row id. */
async function replyWaiting(): Promise<string> {
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
  return row?.id as string;
}

describe('the outbox job', () => {
  it('a delivery refused for good while it was being handed over stays failed', async () => {
    const outboxId = await replyWaiting();

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

  it('runs again after a crash before it was marked done: the message is not handed over twice', async () => {
    const outboxId = await replyWaiting();
    const handedOver: string[] = [];
    const handler = createOutboxHandler(
      kefu.deps,
      new Map([
        [
          'widget',
          async (delivery) => {
            handedOver.push(delivery.message.id);
            return 'sent' as const;
          },
        ],
      ]),
    );
    const job = { payload: { outboxId }, attempts: 1, maxAttempts: 12 };
    await handler(job);
    await handler({ ...job, attempts: 2 });
    expect(handedOver).toHaveLength(1);
    const [after] = await kefu.deps.db
      .select({ status: outbox.status, attempts: outbox.attempts })
      .from(outbox)
      .where(eq(outbox.id, outboxId));
    expect(after).toEqual({ status: 'sent', attempts: 1 });
  });
});
