import type { TChannel, TLocale, TMessage, TSecretKind } from '@kefu/shared';
import { and, eq, sql } from 'drizzle-orm';
import { getAssistantSettings } from '../assistant/settings.ts';
import { claimAttachments } from '../attachments/claim-attachments.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { touchContact, touchContacts } from '../contacts/contacts.ts';
import {
  type ConversationRow,
  getConversationRow,
  type MessageRow,
  toMessage,
} from '../conversations/queries.ts';
import { conversations, messages } from '../conversations/schema.ts';
import type { Tx } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { AppError } from '../lib/app-error.ts';
import type { Audience } from '../lib/events.ts';
import { guardSecrets } from '../safety/secret-guard.ts';
import { scheduleSlaUpdate } from '../sla/timers.ts';
import { findTeamForLanguage } from '../teams/teams.ts';
import {
  enqueueWebhookEvent,
  enqueueWebhookEvents,
  type WebhookEventInput,
} from '../webhooks/dispatch-event.ts';
import { detectLanguage, normalizeText } from './normalize.ts';
import { secretWarning } from './secret-warning.ts';

/** What a channel adapter hands the pipeline. */
export type InboundMessage = {
  channel: TChannel;
  inboxId: string;
  /** The channel's id for this message (client message id, Message-ID, update id): a retry stores nothing new. */
  idempotencyKey: string;
  contactId: string;
  /** The conversation the customer writes in; omitted to start a new one. */
  conversationId?: string;
  text: string;
  locale?: string | null;
  subject?: string | null;
  /** Files the customer uploaded for this message (attachment ids). */
  attachmentIds?: string[];
  clientMessageId?: string | null;
  meta?: Record<string, unknown>;
  /** The realtime connection the message came in on (its sender gets it in the acknowledgement). */
  connectionId?: string;
  /** Conversation fields set when this message starts a conversation (a pre-chat topic). */
  fields?: Record<string, unknown>;
  /**
   * Asked just before a new conversation is opened (never for a retry or a reply in an open one);
   * throws to refuse it, e.g. too many new conversations from one address.
   */
  admitNewConversation?: () => Promise<void>;
};

export type InboundResult = {
  message: TMessage;
  conversation: ConversationRow;
  duplicate: boolean;
  createdConversation: boolean;
  redactions: TMessage['redactions'];
  warning: string | null;
  warningMessage: TMessage | null;
};

type Persisted = InboundResult & { jobsEnqueued: boolean };

/** How long after resolution a customer reply reopens the ticket instead of starting a new one. */
export const REOPEN_WINDOW_MS = 7 * 24 * 3_600_000;

export function audienceOf(
  row: Pick<ConversationRow, 'id' | 'contactId' | 'teamId' | 'assigneeId'>,
): Audience {
  return {
    conversationId: row.id,
    contactId: row.contactId,
    teamId: row.teamId,
    assigneeId: row.assigneeId,
  };
}

/** Takes the next message number of a conversation; the row lock orders concurrent writers. */
export async function nextSeq(
  tx: Tx,
  conversationId: string,
  set: Partial<typeof conversations.$inferInsert> = {},
) {
  const [row] = await tx
    .update(conversations)
    .set({ lastSeq: sql`${conversations.lastSeq} + 1`, ...set })
    .where(eq(conversations.id, conversationId))
    .returning();
  if (!row) throw new AppError('conversation.not_found');
  return row;
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/**
 * The one inbound path: normalize → guard secrets → persist (idempotent) → [caller acks] →
 * route, realtime, SLA, webhooks. Returns only after the message is committed.
 */
export async function acceptInbound(deps: Deps, input: InboundMessage): Promise<InboundResult> {
  const text = normalizeText(input.text);
  if (!text && !input.attachmentIds?.length)
    throw new AppError('request.invalid', { vars: { fields: 'text: A message cannot be empty' } });
  // The original text lives only in this function's memory: what is stored is masked.
  const guard = guardSecrets(text);
  const result = await persistBatched(deps, {
    // A batch that fails is written again message by message: the throttle counts once.
    input: input.admitNewConversation
      ? { ...input, admitNewConversation: once(input.admitNewConversation) }
      : input,
    maskedText: guard.text,
    redactions: guard.redactions,
  });
  const { jobsEnqueued, ...accepted } = result;
  if (!accepted.duplicate) afterCommit(deps, accepted, jobsEnqueued, input.connectionId);
  return accepted;
}

/** A channel message's identity: its idempotency key is unique per inbox. */
const storedKey = (m: { inboxId: string | null; idempotencyKey: string | null }) =>
  `${m.inboxId}\n${m.idempotencyKey}`;

/** What a customer's message keeps beside its text: the channel's details and its client id. */
function messageMeta(input: InboundMessage): Record<string, unknown> {
  return {
    ...(input.meta ?? {}),
    ...(input.clientMessageId ? { clientMessageId: input.clientMessageId } : {}),
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => {
    result ??= fn();
    return result;
  };
}

type Redaction = { kind: TSecretKind; start: number; end: number };
type PendingMessage = { input: InboundMessage; maskedText: string; redactions: Redaction[] };
type Waiting = PendingMessage & {
  resolve: (result: Persisted) => void;
  reject: (error: unknown) => void;
};
type CommitQueue = { waiting: Waiting[]; running: number; scheduled: boolean };

/** Messages written in one transaction at most, and transactions in flight per database. */
const BATCH_MAX = 64;
const BATCHES_IN_FLIGHT = 4;
const commitQueues = new WeakMap<object, CommitQueue>();

/**
 * Group commit: messages that arrive while earlier ones are being written share the next
 * transaction, so a burst costs one commit (one WAL flush) instead of one per message. Each
 * caller still returns only after its own message is committed. A batch that fails for any
 * reason is rolled back and its messages are written one by one, so one bad message fails alone.
 */
function persistBatched(deps: Deps, message: PendingMessage): Promise<Persisted> {
  let queue = commitQueues.get(deps.db);
  if (!queue) {
    queue = { waiting: [], running: 0, scheduled: false };
    commitQueues.set(deps.db, queue);
  }
  const q = queue;
  return new Promise<Persisted>((resolve, reject) => {
    q.waiting.push({ ...message, resolve, reject });
    scheduleBatches(deps, q);
  });
}

function scheduleBatches(deps: Deps, queue: CommitQueue) {
  if (queue.scheduled || queue.running >= BATCHES_IN_FLIGHT || queue.waiting.length === 0) return;
  queue.scheduled = true;
  setImmediate(() => {
    queue.scheduled = false;
    while (queue.running < BATCHES_IN_FLIGHT && queue.waiting.length > 0) {
      const batch = queue.waiting.splice(0, BATCH_MAX);
      queue.running++;
      void writeBatch(deps, batch).finally(() => {
        queue.running--;
        scheduleBatches(deps, queue);
      });
    }
  });
}

async function writeBatch(deps: Deps, batch: Waiting[]): Promise<void> {
  // Conversations are locked in id order (arrival order within one), so concurrent batches
  // never wait on each other in a cycle.
  const ordered = batch
    .map((item, i) => ({ item, i, key: item.input.conversationId ?? '' }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i))
    .map(({ item }) => item);
  if (batch.length > 1) {
    let results: Persisted[] | null = null;
    try {
      results = await deps.db.transaction(async (tx) => {
        const replies = await persistRepliesIn(deps, tx, ordered);
        const out: Persisted[] = [];
        for (const item of ordered)
          out.push(replies.get(item) ?? (await persistIn(deps, tx, item)));
        return out;
      });
    } catch {
      results = null;
    }
    if (results) {
      for (const [i, item] of ordered.entries()) item.resolve(results[i] as Persisted);
      return;
    }
  }
  // In arrival order, so a conversation's messages keep their order on this path too.
  for (const item of ordered) {
    await persistAlone(deps, item).then(item.resolve, (error: unknown) => item.reject(error));
  }
}

/**
 * The common case of a busy desk, written for many messages in a few statements: customers'
 * replies in open conversations, with nothing attached or masked. A conversation any of whose
 * messages in the batch is not such a reply, is not open, or may repeat a stored message, is
 * left entirely to `persistIn` (after these), so its messages keep their order. Returns the
 * results of the messages written.
 */
async function persistRepliesIn(
  deps: Deps,
  tx: Tx,
  batch: Waiting[],
): Promise<Map<Waiting, Persisted>> {
  const written = new Map<Waiting, Persisted>();
  const byConversation = new Map<string, Waiting[]>();
  const excluded = new Set<string>();
  const keys = new Set<string>();
  for (const item of batch) {
    const id = item.input.conversationId;
    if (!id) continue;
    const key = storedKey(item.input);
    if (item.input.attachmentIds?.length || item.redactions.length > 0 || keys.has(key))
      excluded.add(id);
    keys.add(key);
    const items = byConversation.get(id);
    if (items) items.push(item);
    else byConversation.set(id, [item]);
  }
  for (const id of excluded) byConversation.delete(id);
  if (byConversation.size === 0) return written;

  // A retry of a stored message is answered by persistIn with the stored one.
  const candidates = [...byConversation.values()].flat();
  // Lists travel as one JSON parameter: a statement's cost then does not grow with the batch.
  const keyList = JSON.stringify(
    candidates.map((c) => ({ inbox_id: c.input.inboxId, key: c.input.idempotencyKey })),
  );
  const stored = (
    (await tx.execute(sql`
      select m.inbox_id as "inboxId", m.idempotency_key as "idempotencyKey"
      from ${messages} m
      join jsonb_to_recordset(${keyList}::jsonb) as k(inbox_id uuid, key text)
        on m.inbox_id = k.inbox_id and m.idempotency_key = k.key`)) as unknown as {
      rows: { inboxId: string; idempotencyKey: string }[];
    }
  ).rows;
  if (stored.length > 0) {
    const repeated = new Set(stored.map(storedKey));
    for (const [id, items] of byConversation)
      if (items.some((i) => repeated.has(storedKey(i.input)))) byConversation.delete(id);
  }
  if (byConversation.size === 0) return written;

  // Every conversation of the batch is locked here, in id order, so two batches never wait on
  // each other in a cycle (persistIn then finds its conversations already locked).
  const all = [...new Set(batch.flatMap((item) => item.input.conversationId ?? []))];
  const rows = await tx
    .select()
    .from(conversations)
    .where(
      sql`${conversations.id} in (select jsonb_array_elements_text(${JSON.stringify(all)}::jsonb)::uuid)`,
    )
    .orderBy(conversations.id)
    .for('update');
  const now = deps.clock.now();
  const open = rows.filter((row) => {
    if (!byConversation.has(row.id)) return false;
    const items = byConversation.get(row.id) ?? [];
    return (
      row.status === 'open' &&
      !row.mergedIntoId &&
      items.every((i) => i.input.contactId === row.contactId)
    );
  });
  if (open.length === 0) return written;

  const counts = JSON.stringify(
    open.map((row) => ({ id: row.id, n: (byConversation.get(row.id) ?? []).length })),
  );
  const bumped = (await tx.execute(sql`
    update ${conversations} c
    set last_seq = c.last_seq + v.n, last_message_at = ${now},
      last_customer_message_at = ${now}, updated_at = ${now}
    from jsonb_to_recordset(${counts}::jsonb) as v(id uuid, n int)
    where c.id = v.id
    returning c.id, c.last_seq`)) as unknown as { rows: { id: string; last_seq: number }[] };
  const lastSeq = new Map(bumped.rows.map((r) => [r.id, Number(r.last_seq)]));

  const pending: { item: Waiting; conversation: ConversationRow; row: Omit<MessageRow, 'id'> }[] =
    [];
  for (const row of open) {
    const items = byConversation.get(row.id) ?? [];
    const last = lastSeq.get(row.id) ?? row.lastSeq + items.length;
    const conversation: ConversationRow = {
      ...row,
      lastSeq: last,
      lastMessageAt: now,
      lastCustomerMessageAt: now,
      updatedAt: now,
    };
    for (const [i, item] of items.entries()) {
      const message: Omit<MessageRow, 'id'> = {
        conversationId: row.id,
        seq: last - items.length + 1 + i,
        senderType: 'contact',
        senderId: item.input.contactId,
        private: false,
        text: item.maskedText,
        redactions: [],
        attachments: [],
        inboxId: item.input.inboxId,
        idempotencyKey: item.input.idempotencyKey,
        mentions: [],
        meta: messageMeta(item.input),
        createdAt: now,
      };
      pending.push({ item, conversation, row: message });
    }
  }
  // One statement with one parameter for the whole batch (the rows as JSON): building a
  // multi-row VALUES list costs more than writing it. The other columns take their defaults.
  const json = JSON.stringify(
    pending.map(({ row: v }) => ({
      conversation_id: v.conversationId,
      seq: v.seq,
      sender_id: v.senderId,
      text: v.text,
      inbox_id: v.inboxId,
      idempotency_key: v.idempotencyKey,
      meta: v.meta,
    })),
  );
  const ids = (await tx.execute(sql`
    insert into ${messages}
      (conversation_id, seq, sender_type, sender_id, text, inbox_id, idempotency_key, meta, created_at)
    select r.conversation_id, r.seq, 'contact', r.sender_id, r.text, r.inbox_id, r.idempotency_key,
      r.meta, ${now}
    from jsonb_to_recordset(${json}::jsonb) as r(conversation_id uuid, seq int, sender_id text,
      text text, inbox_id uuid, idempotency_key text, meta jsonb)
    returning id, conversation_id, seq`)) as unknown as {
    rows: { id: string; conversation_id: string; seq: number }[];
  };
  const idOf = new Map(ids.rows.map((r) => [`${r.conversation_id}:${Number(r.seq)}`, r.id]));
  const inserted = pending.map(({ item, conversation, row }) => {
    const id = idOf.get(`${row.conversationId}:${row.seq}`);
    if (!id) throw new Error('a batched message was not stored');
    const message: MessageRow = { ...row, id };
    return { item, conversation, message };
  });
  await touchContacts(tx, [...new Set(open.map((row) => row.contactId))], now);

  let jobsEnqueued = false;
  const at = now.toISOString();
  for (const row of open) {
    // As in persistIn: the deadlines move only once the next-response clock runs.
    if (row.firstAgentReplyAt !== null) {
      await scheduleSlaUpdate(tx, row.id);
      jobsEnqueued = true;
    }
    if (row.handler !== 'assistant' && !row.assigneeId) {
      await enqueueJob(tx, { queue: 'routing.assign', payload: { teamId: row.teamId } });
      jobsEnqueued = true;
    }
  }
  for (const { conversation, message } of inserted) {
    if (conversation.handler === 'assistant') {
      await enqueueJob(tx, {
        queue: 'assistant.reply',
        payload: { conversationId: message.conversationId, messageId: message.id },
      });
      jobsEnqueued = true;
    }
  }
  const events = inserted.map(({ message }) => ({
    event: 'message.created' as const,
    conversationId: message.conversationId,
    messageId: message.id,
    at,
  }));
  if (await enqueueWebhookEvents(tx, events)) jobsEnqueued = true;
  for (const { item, conversation, message } of inserted) {
    written.set(item, {
      message: toMessage(message),
      conversation,
      duplicate: false,
      createdConversation: false,
      redactions: [],
      warning: null,
      warningMessage: null,
      jobsEnqueued,
    });
  }
  return written;
}

async function persistAlone(deps: Deps, message: PendingMessage): Promise<Persisted> {
  try {
    return await deps.db.transaction((tx) => persistIn(deps, tx, message));
  } catch (error) {
    // Two deliveries of the same message raced; the first one won and this is its duplicate.
    if (isUniqueViolation(error)) return deps.db.transaction((tx) => persistIn(deps, tx, message));
    throw error;
  }
}

async function persistIn(
  deps: Deps,
  tx: Tx,
  { input, maskedText, redactions }: PendingMessage,
): Promise<Persisted> {
  const now = deps.clock.now();
  const [existing] = await tx
    .select()
    .from(messages)
    .where(
      and(eq(messages.inboxId, input.inboxId), eq(messages.idempotencyKey, input.idempotencyKey)),
    );
  if (existing) {
    const conversation = await getConversationRow(tx, existing.conversationId);
    return {
      message: toMessage(existing),
      conversation,
      duplicate: true,
      createdConversation: false,
      redactions: existing.redactions as TMessage['redactions'],
      warning: null,
      warningMessage: null,
      jobsEnqueued: false,
    };
  }

  const language = detectLanguage(maskedText, input.locale);
  let conversation: ConversationRow | undefined;
  let createdConversation = false;
  if (input.conversationId) {
    let row = await getConversationRow(tx, input.conversationId);
    if (row.contactId !== input.contactId) throw new AppError('conversation.not_found');
    if (row.mergedIntoId) row = await getConversationRow(tx, row.mergedIntoId);
    const reopenable =
      row.status !== 'closed' &&
      (row.status !== 'resolved' ||
        (row.resolvedAt && now.getTime() - row.resolvedAt.getTime() <= REOPEN_WINDOW_MS));
    if (reopenable) conversation = row;
  }
  if (!conversation) {
    await input.admitNewConversation?.();
    const teamId = await findTeamForLanguage(tx, language);
    const [created] = await tx
      .insert(conversations)
      .values({
        inboxId: input.inboxId,
        channel: input.channel,
        contactId: input.contactId,
        teamId,
        language,
        subject: input.subject ?? maskedText.slice(0, 120),
        // The assistant answers first when it is on; otherwise straight to the human queue.
        handler: (await getAssistantSettings(tx)).enabled ? 'assistant' : 'human',
        queuedAt: now,
        createdAt: now,
        updatedAt: now,
        ...(input.fields ? { fields: input.fields } : {}),
      })
      .returning();
    if (!created) throw new Error('insert returned nothing');
    conversation = created;
    createdConversation = true;
  }

  const reopened =
    conversation.status === 'resolved' ||
    conversation.status === 'pending' ||
    conversation.status === 'snoozed';
  const updated = await nextSeq(tx, conversation.id, {
    lastMessageAt: now,
    lastCustomerMessageAt: now,
    updatedAt: now,
    ...(reopened
      ? {
          status: 'open' as const,
          resolvedAt: null,
          snoozedUntil: null,
          queuedAt: conversation.assigneeId ? conversation.queuedAt : now,
        }
      : {}),
  });
  const [message] = await tx
    .insert(messages)
    .values({
      conversationId: conversation.id,
      seq: updated.lastSeq,
      senderType: 'contact',
      senderId: input.contactId,
      text: maskedText,
      redactions,
      inboxId: input.inboxId,
      idempotencyKey: input.idempotencyKey,
      meta: messageMeta(input),
      createdAt: now,
    })
    .returning();
  if (!message) throw new Error('insert returned nothing');
  if (input.attachmentIds?.length) {
    message.attachments = await claimAttachments(tx, {
      ids: input.attachmentIds,
      conversationId: conversation.id,
      messageId: message.id,
      uploader: { type: 'contact', id: input.contactId },
    });
    await tx
      .update(messages)
      .set({ attachments: message.attachments })
      .where(eq(messages.id, message.id));
  }

  let warning: string | null = null;
  let warningMessage: TMessage | null = null;
  if (redactions.length > 0) {
    const locale: TLocale = language;
    warning = secretWarning(
      locale,
      redactions.map((r) => r.kind),
    );
    const afterWarning = await nextSeq(tx, conversation.id);
    const [system] = await tx
      .insert(messages)
      .values({
        conversationId: conversation.id,
        seq: afterWarning.lastSeq,
        senderType: 'system',
        text: warning,
        meta: { kind: 'secret_warning', kinds: [...new Set(redactions.map((r) => r.kind))] },
        createdAt: now,
      })
      .returning();
    if (system) warningMessage = toMessage(system);
    // What was masked, never its value.
    await recordAudit(
      tx,
      { type: 'contact', id: input.contactId },
      {
        action: 'message.redacted',
        targetType: 'conversation',
        targetId: conversation.id,
        data: { messageId: message.id, kinds: redactions.map((r) => r.kind) },
      },
    );
  }
  await touchContact(tx, input.contactId, now);
  // Only a commit that added jobs wakes the worker.
  let jobsEnqueued = false;
  // Before the first agent reply the deadlines (first response, resolution) count from the
  // conversation's creation, so another customer line changes none of them: the recompute is
  // needed only for a new or reopened conversation or once the next-response clock runs.
  if (createdConversation || reopened || conversation.firstAgentReplyAt !== null) {
    await scheduleSlaUpdate(tx, conversation.id);
    jobsEnqueued = true;
  }
  if (updated.handler === 'assistant') {
    await enqueueJob(tx, {
      queue: 'assistant.reply',
      payload: { conversationId: updated.id, messageId: message.id },
    });
    jobsEnqueued = true;
  } else if (!updated.assigneeId || createdConversation || reopened) {
    await enqueueJob(tx, { queue: 'routing.assign', payload: { teamId: updated.teamId } });
    jobsEnqueued = true;
  }
  const at = now.toISOString();
  const events: WebhookEventInput[] = [];
  if (createdConversation)
    events.push({ event: 'conversation.created', conversationId: conversation.id, at });
  if (reopened)
    events.push({
      event: 'conversation.status_changed',
      conversationId: conversation.id,
      at,
      change: { from: conversation.status, to: updated.status },
    });
  events.push({
    event: 'message.created',
    conversationId: conversation.id,
    messageId: message.id,
    at,
  });
  for (const event of events) {
    if (await enqueueWebhookEvent(tx, event)) jobsEnqueued = true;
  }
  return {
    message: toMessage(message),
    conversation: updated,
    duplicate: false,
    createdConversation,
    redactions: redactions as TMessage['redactions'],
    warning,
    warningMessage,
    jobsEnqueued,
  };
}

function afterCommit(
  deps: Deps,
  result: InboundResult,
  jobsEnqueued: boolean,
  connectionId: string | undefined,
) {
  const audience = audienceOf(result.conversation);
  if (result.createdConversation)
    deps.publish({ type: 'conversation.created', audience, number: result.conversation.number });
  deps.publish({
    type: 'message.created',
    audience,
    message: result.message,
    ...(connectionId ? { fromConnection: connectionId } : {}),
  });
  if (result.warningMessage)
    deps.publish({ type: 'message.created', audience, message: result.warningMessage });
  if (jobsEnqueued) deps.kickJobs();
}
