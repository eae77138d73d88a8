import type { TMessage } from '@kefu/shared';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { claimAttachments } from '../attachments/claim-attachments.ts';
import { agents } from '../auth/schema.ts';
import type { AgentRow } from '../auth/sessions.ts';
import {
  type ConversationRow,
  getConversationRow,
  getVisibleConversation,
  lockConversationRow,
  toMessage,
} from '../conversations/queries.ts';
import { conversations, messages, outbox } from '../conversations/schema.ts';
import type { Tx } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { AppError } from '../lib/app-error.ts';
import type { DomainEvent } from '../lib/events.ts';
import { scheduleSlaUpdate } from '../sla/timers.ts';
import { enqueueWebhookEvent } from '../webhooks/dispatch-event.ts';
import { audienceOf, nextSeq } from './accept-inbound.ts';
import { normalizeText } from './normalize.ts';

export type OutboundResult = {
  message: TMessage;
  conversation: ConversationRow;
  duplicate: boolean;
};

/** Agent names or emails after @ in a note: `@Li Na` does not parse, `@li.na` or `@li.na@demo…` does. */
function mentionedHandles(text: string): string[] {
  return [...text.matchAll(/(?:^|\s)@([\w.+-]+(?:@[\w.-]+)?)/g)].map((m) =>
    (m[1] ?? '').toLowerCase(),
  );
}

async function resolveMentions(tx: Tx, text: string): Promise<string[]> {
  const handles = mentionedHandles(text);
  if (handles.length === 0) return [];
  const rows = await tx
    .select({ id: agents.id, email: agents.email })
    .from(agents)
    .where(eq(agents.active, true));
  return rows
    .filter((a) => handles.some((h) => a.email === h || a.email.split('@')[0] === h))
    .map((a) => a.id);
}

/** Writes a message and, unless private, its outbox row, in one transaction. */
async function writeOutbound(
  tx: Tx,
  deps: Deps,
  conversation: ConversationRow,
  input: {
    senderType: 'agent' | 'assistant' | 'system';
    senderId: string | null;
    text: string;
    private: boolean;
    idempotencyKey: string | null;
    clientMessageId?: string | null;
    meta?: Record<string, unknown>;
    mentions?: string[];
  },
): Promise<{ message: typeof messages.$inferSelect; conversation: ConversationRow }> {
  const now = deps.clock.now();
  const isAgentReply = input.senderType === 'agent' && !input.private;
  const updated = await nextSeq(tx, conversation.id, {
    updatedAt: now,
    ...(input.private ? {} : { lastMessageAt: now }),
    ...(isAgentReply
      ? {
          lastAgentReplyAt: now,
          firstAgentReplyAt: conversation.firstAgentReplyAt ?? now,
          // The first agent to answer an unassigned conversation takes it.
          ...(conversation.assigneeId
            ? {}
            : { assigneeId: input.senderId, assignedAt: now, handler: 'human' as const }),
        }
      : {}),
  });
  const [message] = await tx
    .insert(messages)
    .values({
      conversationId: conversation.id,
      seq: updated.lastSeq,
      senderType: input.senderType,
      senderId: input.senderId,
      private: input.private,
      text: input.text,
      inboxId: conversation.inboxId,
      idempotencyKey: input.idempotencyKey,
      mentions: input.mentions ?? [],
      meta: {
        ...(input.meta ?? {}),
        ...(input.clientMessageId ? { clientMessageId: input.clientMessageId } : {}),
      },
      createdAt: now,
    })
    .returning();
  if (!message) throw new Error('insert returned nothing');
  if (!input.private) {
    const [row] = await tx
      .insert(outbox)
      .values({
        messageId: message.id,
        conversationId: conversation.id,
        channel: conversation.channel,
      })
      .returning({ id: outbox.id });
    await enqueueJob(tx, {
      queue: 'outbox.deliver',
      payload: { outboxId: row?.id },
      maxAttempts: 12,
    });
  }
  if (isAgentReply) await scheduleSlaUpdate(tx, conversation.id);
  if (isAgentReply) {
    const at = now.toISOString();
    await enqueueWebhookEvent(tx, {
      event: 'message.created',
      conversationId: conversation.id,
      messageId: message.id,
      at,
    });
    if (!conversation.assigneeId && updated.assigneeId)
      await enqueueWebhookEvent(tx, {
        event: 'conversation.assigned',
        conversationId: conversation.id,
        at,
        change: { from: null, to: updated.assigneeId },
      });
  }
  return { message, conversation: updated };
}

/** An agent's reply or private note. Idempotent on the client message id. */
export async function sendAgentMessage(
  deps: Deps,
  agent: Pick<AgentRow, 'id' | 'role' | 'name'>,
  conversationId: string,
  input: {
    text: string;
    private: boolean;
    clientMessageId?: string | null;
    attachmentIds?: string[] | undefined;
  },
): Promise<OutboundResult> {
  const text = normalizeText(input.text);
  if (!text && !input.attachmentIds?.length)
    throw new AppError('request.invalid', { vars: { fields: 'text: A message cannot be empty' } });
  const conversation = await getVisibleConversation(deps.db, agent, conversationId);
  if (conversation.mergedIntoId) throw new AppError('conversation.closed');
  const idempotencyKey = input.clientMessageId
    ? `agent:${agent.id}:${input.clientMessageId}`
    : null;
  const result = await deps.db.transaction(async (tx) => {
    if (idempotencyKey) {
      const [existing] = await tx
        .select()
        .from(messages)
        .where(
          and(
            eq(messages.inboxId, conversation.inboxId),
            eq(messages.idempotencyKey, idempotencyKey),
          ),
        );
      if (existing)
        return {
          message: existing,
          conversation,
          duplicate: true,
          mentions: [] as string[],
          before: conversation,
        };
    }
    // Read again under the lock: an assignment or a merge made meanwhile counts.
    const current = await lockConversationRow(tx, conversation.id);
    if (current.mergedIntoId) throw new AppError('conversation.closed');
    const mentions = input.private ? await resolveMentions(tx, text) : [];
    const written = await writeOutbound(tx, deps, current, {
      senderType: 'agent',
      senderId: agent.id,
      text,
      private: input.private,
      idempotencyKey,
      clientMessageId: input.clientMessageId ?? null,
      mentions,
    });
    if (input.attachmentIds?.length) {
      written.message.attachments = await claimAttachments(tx, {
        ids: input.attachmentIds,
        conversationId: conversation.id,
        messageId: written.message.id,
        uploader: { type: 'agent', id: agent.id },
      });
      await tx
        .update(messages)
        .set({ attachments: written.message.attachments })
        .where(eq(messages.id, written.message.id));
    }
    return { ...written, duplicate: false, mentions, before: current };
  });
  const message = toMessage(result.message, {
    senderName: agent.name,
    deliveryStatus: input.private ? null : 'pending',
  });
  if (!result.duplicate) {
    const audience = audienceOf(result.conversation);
    deps.publish({ type: 'message.created', audience, message });
    if (!result.before.assigneeId && result.conversation.assigneeId) {
      deps.publish({
        type: 'conversation.changed',
        audience,
        change: { conversationId: conversation.id, assigneeId: agent.id, assigneeName: agent.name },
        previousAssigneeId: null,
      });
    }
    for (const agentId of result.mentions) {
      if (agentId !== agent.id)
        deps.publish({
          type: 'agent.notification',
          agentId,
          kind: 'mention',
          conversationId,
          number: conversation.number,
        });
    }
    deps.kickJobs();
  }
  return { message, conversation: result.conversation, duplicate: result.duplicate };
}

type SystemMessageInput = {
  text: string;
  senderType?: 'system' | 'assistant';
  meta?: Record<string, unknown>;
  private?: boolean;
};

/**
 * Writes a message from Kefu itself or the assistant inside the caller's transaction; the
 * caller publishes the returned event once it has committed (and kicks the jobs).
 */
export async function writeSystemMessage(
  tx: Tx,
  deps: Deps,
  conversationId: string,
  input: SystemMessageInput,
): Promise<{ message: TMessage; event: DomainEvent }> {
  const conversation = await getConversationRow(tx, conversationId);
  const result = await writeOutbound(tx, deps, conversation, {
    senderType: input.senderType ?? 'system',
    senderId: null,
    text: input.text,
    private: input.private ?? false,
    idempotencyKey: null,
    meta: input.meta ?? {},
  });
  const message = toMessage(result.message, { deliveryStatus: input.private ? null : 'pending' });
  return {
    message,
    event: { type: 'message.created', audience: audienceOf(result.conversation), message },
  };
}

/** A message from Kefu itself (queue notices, warnings) or the assistant, delivered like a reply. */
export async function sendSystemMessage(
  deps: Deps,
  conversationId: string,
  input: SystemMessageInput,
): Promise<TMessage> {
  const { message, event } = await deps.db.transaction((tx) =>
    writeSystemMessage(tx, deps, conversationId, input),
  );
  deps.publish(event);
  deps.kickJobs();
  return message;
}

export type Deliverer = (delivery: {
  outboxId: string;
  message: TMessage;
  conversation: ConversationRow;
  /**
   * Records the message as handed over ('sent'), in the deliverer's own transaction: a deliverer
   * that hands over by writing (a mail job) calls it in the same commit, so that a re-run after a
   * crash finds the handover done and does not hand the message over twice.
   */
  handedOver: (tx: Tx) => Promise<void>;
}) => Promise<'sent' | 'delivered'>;

/**
 * The outbox job: hands a committed outbound message to its channel's deliverer and records the
 * delivery state. Channels register deliverers at start; this module never imports a channel.
 */
export function createOutboxHandler(deps: Deps, deliverers: Map<string, Deliverer>) {
  return async (job: {
    payload: Record<string, unknown>;
    attempts: number;
    maxAttempts: number;
  }): Promise<void> => {
    const outboxId = job.payload.outboxId;
    if (typeof outboxId !== 'string') return;
    const [row] = await deps.db
      .select({ outbox, message: messages, conversation: conversations })
      .from(outbox)
      .innerJoin(messages, eq(messages.id, outbox.messageId))
      .innerJoin(conversations, eq(conversations.id, outbox.conversationId))
      .where(eq(outbox.id, outboxId));
    // Handed over already (the job runs again after a crash before it was marked done): a
    // second handover would mail or message the customer twice.
    if (row?.outbox.status !== 'pending') return;
    const deliver = deliverers.get(row.outbox.channel);
    if (!deliver) throw new Error(`no deliverer for channel ${row.outbox.channel}`);
    let senderName: string | null = null;
    if (row.message.senderType === 'agent' && row.message.senderId) {
      const [a] = await deps.db
        .select({ name: agents.name })
        .from(agents)
        .where(eq(agents.id, row.message.senderId));
      senderName = a?.name ?? null;
    }
    try {
      const status = await deliver({
        outboxId: row.outbox.id,
        message: toMessage(row.message, { senderName }),
        conversation: row.conversation,
        handedOver: async (tx) => {
          await tx
            .update(outbox)
            .set({ status: 'sent', updatedAt: deps.clock.now() })
            .where(and(eq(outbox.id, row.outbox.id), eq(outbox.status, 'pending')));
        },
      });
      // Only forward: a delivery the receiving side refused for good meanwhile (a mail job on
      // another node) stays failed, and one confirmed delivered stays delivered.
      const moved = await deps.db
        .update(outbox)
        .set({
          status,
          attempts: sql`${outbox.attempts} + 1`,
          lastError: null,
          updatedAt: deps.clock.now(),
        })
        .where(and(eq(outbox.id, row.outbox.id), inArray(outbox.status, ['pending', 'sent'])))
        .returning({ id: outbox.id });
      if (moved.length === 0) return;
      deps.publish({
        type: 'delivery.changed',
        audience: audienceOf(row.conversation),
        messageId: row.message.id,
        status,
      });
    } catch (error) {
      await deps.db
        .update(outbox)
        .set({
          attempts: sql`${outbox.attempts} + 1`,
          lastError: error instanceof Error ? error.message.slice(0, 500) : String(error),
          updatedAt: deps.clock.now(),
        })
        .where(eq(outbox.id, row.outbox.id));
      if (job.attempts >= job.maxAttempts) await markDeliveryFailed(deps, row.outbox.id);
      throw error;
    }
  };
}

/** Marks an outbound message delivered (e.g. the customer's client confirmed it). */
export async function markDelivered(deps: Deps, messageId: string): Promise<void> {
  const rows = await deps.db
    .update(outbox)
    .set({ status: 'delivered', updatedAt: deps.clock.now() })
    .where(and(eq(outbox.messageId, messageId), inArray(outbox.status, ['pending', 'sent'])))
    .returning({ conversationId: outbox.conversationId });
  const row = rows[0];
  if (!row) return;
  const conversation = await getConversationRow(deps.db, row.conversationId);
  deps.publish({
    type: 'delivery.changed',
    audience: audienceOf(conversation),
    messageId,
    status: 'delivered',
  });
}

/** Marks an outbox row failed for good (the job gave up); the agent sees it. */
export async function markDeliveryFailed(deps: Deps, outboxId: string): Promise<void> {
  const rows = await deps.db
    .update(outbox)
    .set({ status: 'failed', updatedAt: deps.clock.now() })
    .where(eq(outbox.id, outboxId))
    .returning({ conversationId: outbox.conversationId, messageId: outbox.messageId });
  const row = rows[0];
  if (!row) return;
  const conversation = await getConversationRow(deps.db, row.conversationId);
  deps.publish({
    type: 'delivery.changed',
    audience: audienceOf(conversation),
    messageId: row.messageId,
    status: 'failed',
  });
}
