import { createHash } from 'node:crypto';
import { type TWebhookEvent, ZWebhookEvent } from '@kefu/shared';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { conversations, messages } from '../conversations/schema.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { jobs } from '../jobs/schema.ts';
import { webhookDeliveries, webhooks } from './schema.ts';

export const WEBHOOK_DISPATCH_QUEUE = 'webhooks.dispatch';
export const WEBHOOK_DELIVER_QUEUE = 'webhooks.deliver';
/** 1 + 7 retries with the worker's backoff (2 s, 4 s … ~4 min): about 8 minutes in all. */
export const WEBHOOK_MAX_ATTEMPTS = 8;

/** The `webhooks.dispatch` job payload: which change, on which conversation. */
const ZDispatchPayload = z.object({
  event: ZWebhookEvent,
  conversationId: z.uuid(),
  messageId: z.uuid().optional(),
  /** When the change happened (the job may run later). */
  at: z.iso.datetime({ offset: true }).optional(),
  /** What changed, for status and assignment events: `{ from, to }`. */
  change: z.object({ from: z.string().nullable(), to: z.string().nullable() }).optional(),
});
export type WebhookEventInput = z.input<typeof ZDispatchPayload>;

/**
 * Announces a change to the webhooks. Call it inside the transaction of the change, so the
 * event exists exactly when the change commits; the `webhooks.dispatch` job fans it out.
 * True when it was queued (an active webhook subscribes to the event).
 */
export async function enqueueWebhookEvent(tx: DbOrTx, input: WebhookEventInput): Promise<boolean> {
  const result = (await tx.execute(sql`
    ${insertWebhookEvents(sql`jsonb_array_elements(${JSON.stringify([input])}::jsonb) with ordinality`)}
    returning id`)) as unknown as { rows: unknown[] };
  return result.rows.length > 0;
}

/**
 * The insert that queues webhook events, for a caller's statement: `events` is a FROM item
 * whose rows are `(payload, n)`, the payload as `enqueueWebhookEvent` takes it and n its order.
 * Only events an active webhook subscribes to are queued: most messages of most desks have no
 * subscriber, and a dispatch job for them is a wasted claim, read and update. A webhook added
 * later hears of later changes, as before.
 */
export function insertWebhookEvents(events: SQL): SQL {
  return sql`
    insert into ${jobs} (queue, payload, run_at, max_attempts)
    select ${WEBHOOK_DISPATCH_QUEUE}, e.payload, ${new Date(0)}, 10
    from ${events} as e(payload, n)
    where exists (
      select 1 from ${webhooks}
      where ${webhooks.active} and ${webhooks.events} @> jsonb_build_array(e.payload->'event')
    )
    order by e.n`;
}

/** For the CSAT survey: call in the transaction that stores the score and comment. */
export async function enqueueCsatSubmittedWebhook(
  tx: DbOrTx,
  conversationId: string,
  at?: Date,
): Promise<void> {
  await enqueueWebhookEvent(tx, {
    event: 'csat.submitted',
    conversationId,
    ...(at ? { at: at.toISOString() } : {}),
  });
}

export type WebhookEnvelope = {
  id: string;
  event: TWebhookEvent | 'ping';
  createdAt: string;
  data: Record<string, unknown>;
};

/**
 * A delivery id derived from the dispatch job and the webhook: a dispatch job that runs twice
 * (a node died after committing) inserts nothing new. Formatted as a UUID (version 8).
 */
function deliveryIdFor(jobId: number, webhookId: string): string {
  const hex = createHash('sha256').update(`webhook-delivery:${jobId}:${webhookId}`).digest('hex');
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The `webhooks.dispatch` job: one delivery row and one `webhooks.deliver` job per active
 * webhook subscribed to the event. The data is what is stored, so message texts are already
 * masked; a private note is never sent.
 */
export async function dispatchWebhookEvent(
  deps: Pick<Deps, 'db' | 'clock' | 'logger' | 'kickJobs'>,
  job: { id: number; payload: Record<string, unknown> },
): Promise<void> {
  const parsed = ZDispatchPayload.safeParse(job.payload);
  if (!parsed.success) {
    deps.logger.warn({ jobId: job.id, err: parsed.error.message }, 'bad webhook event dropped');
    return;
  }
  const input = parsed.data;
  const subscribed = (
    await deps.db.select().from(webhooks).where(eq(webhooks.active, true))
  ).filter((hook) => hook.events.includes(input.event));
  if (subscribed.length === 0) return;

  const [conversation] = await deps.db
    .select()
    .from(conversations)
    .where(eq(conversations.id, input.conversationId));
  if (!conversation) return;
  const data: Record<string, unknown> = {
    conversation: {
      id: conversation.id,
      number: conversation.number,
      status: conversation.status,
      channel: conversation.channel,
      contactId: conversation.contactId,
      teamId: conversation.teamId,
      assigneeId: conversation.assigneeId,
      priority: conversation.priority,
    },
  };
  if (input.messageId) {
    const [message] = await deps.db
      .select()
      .from(messages)
      .where(and(eq(messages.id, input.messageId), eq(messages.conversationId, conversation.id)));
    // Only what the customer and the agent said to each other; never a note or an event.
    if (!message || message.private || !['contact', 'agent'].includes(message.senderType)) return;
    data.message = {
      id: message.id,
      senderType: message.senderType,
      text: message.text,
      createdAt: message.createdAt.toISOString(),
    };
  }
  if (input.change) data.change = input.change;
  if (input.event === 'csat.submitted')
    data.csat = { score: conversation.csatScore, comment: conversation.csatComment };

  const now = deps.clock.now();
  const createdAt = input.at ?? now.toISOString();
  let created = 0;
  await deps.db.transaction(async (tx) => {
    for (const hook of subscribed) {
      const id = deliveryIdFor(job.id, hook.id);
      const envelope: WebhookEnvelope = { id, event: input.event, createdAt, data };
      const inserted = await tx
        .insert(webhookDeliveries)
        .values({ id, webhookId: hook.id, event: input.event, payload: envelope, createdAt: now })
        .onConflictDoNothing()
        .returning({ id: webhookDeliveries.id });
      if (inserted.length === 0) continue;
      await enqueueJob(tx, {
        queue: WEBHOOK_DELIVER_QUEUE,
        payload: { deliveryId: id },
        maxAttempts: WEBHOOK_MAX_ATTEMPTS,
      });
      created++;
    }
  });
  if (created > 0) deps.kickJobs();
}
