import type { TChannel, TLocale, TMessage, TSecretKind } from '@kefu/shared';
import { and, eq, getTableColumns, sql } from 'drizzle-orm';
import { getAssistantSettings } from '../assistant/settings.ts';
import { claimAttachments } from '../attachments/claim-attachments.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { CONTACT_SEEN_RESOLUTION_MS, touchContact } from '../contacts/contacts.ts';
import { contacts } from '../contacts/schema.ts';
import {
  type ConversationRow,
  getConversationRow,
  lockConversationRow,
  type MessageRow,
  toMessage,
} from '../conversations/queries.ts';
import { conversations, messages } from '../conversations/schema.ts';
import { executePrepared, type Tx } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { jobs } from '../jobs/schema.ts';
import { AppError } from '../lib/app-error.ts';
import type { Audience } from '../lib/events.ts';
import { ROUTING_QUEUE, scheduleRouting } from '../routing/schedule.ts';
import { guardSecrets } from '../safety/secret-guard.ts';
import { SLA_UPDATE_QUEUE, scheduleSlaUpdate } from '../sla/timers.ts';
import { findTeamForLanguage } from '../teams/teams.ts';
import {
  enqueueWebhookEvent,
  insertWebhookEvents,
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

/** What the channels and the realtime fan-out read of the message's conversation. */
const INBOUND_CONVERSATION_FIELDS = [
  'id',
  'number',
  'status',
  'contactId',
  'inboxId',
  'teamId',
  'assigneeId',
  'language',
] as const satisfies readonly (keyof ConversationRow)[];
export type InboundConversation = Pick<
  ConversationRow,
  (typeof INBOUND_CONVERSATION_FIELDS)[number]
>;

export type InboundResult = {
  message: TMessage;
  conversation: InboundConversation;
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
  else {
    // A retry is announced again (clients keep one copy per id): the node that stored the line
    // may have died between its commit and its announcement, the lost ack being why the
    // customer retried.
    deps.publish({
      type: 'message.created',
      audience: audienceOf(accepted.conversation),
      message: accepted.message,
      ...(input.connectionId ? { fromConnection: input.connectionId } : {}),
    });
  }
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

/** Messages written in one batch at most, and batches in flight per database. */
const BATCH_MAX = 64;
const BATCHES_IN_FLIGHT = 4;
const commitQueues = new WeakMap<object, CommitQueue>();

/**
 * Group commit: messages that arrive while earlier ones are being written share the next
 * batch, so a burst costs one commit (one WAL flush) instead of one per message. Each caller
 * still returns only after its own message is committed. A batch that fails for any reason is
 * rolled back and its messages are written one by one, so one bad message fails alone.
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
      void writeBatch(deps, batch)
        // Not expected; but no sender is left waiting (a settled promise ignores this).
        .catch((error: unknown) => {
          for (const item of batch) item.reject(error);
        })
        .finally(() => {
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
  const replies = await writeReplies(deps, ordered);
  // Committed: their senders hear at once, whatever happens to the rest.
  for (const [item, result] of replies) item.resolve(result);
  const rest = replies.size > 0 ? ordered.filter((item) => !replies.has(item)) : ordered;
  if (rest.length > 1) {
    let results: Persisted[] | null = null;
    try {
      results = await deps.db.transaction(async (tx) => {
        await lockConversations(tx, rest);
        const out: Persisted[] = [];
        for (const item of rest) out.push(await persistIn(deps, tx, item));
        return out;
      });
    } catch {
      results = null;
    }
    if (results) {
      for (const [i, item] of rest.entries()) item.resolve(results[i] as Persisted);
      return;
    }
  }
  // In arrival order, so a conversation's messages keep their order on this path too.
  for (const item of rest) {
    await persistAlone(deps, item).then(item.resolve, (error: unknown) => item.reject(error));
  }
}

/** Locks the messages' conversations in id order, so `persistIn` finds them already locked. */
async function lockConversations(tx: Tx, items: Waiting[]): Promise<void> {
  const ids = [...new Set(items.flatMap((item) => item.input.conversationId ?? []))];
  if (ids.length < 2) return;
  await tx.execute(sql`
    select id from ${conversations}
    where id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)
    order by id
    for update`);
}

/**
 * What the batch statement returns of each conversation: what its callers read, and the last
 * message number (a whole row is 30-odd columns to format, send and parse for each batch).
 */
type ReturnedConversation = InboundConversation & Pick<ConversationRow, 'lastSeq'>;
const conversationColumns = getTableColumns(conversations);
const returnedColumns = [...INBOUND_CONVERSATION_FIELDS, 'lastSeq' as const].map(
  (key) => [key, conversationColumns[key]] as const,
);
const returnedColumnList = sql.raw(returnedColumns.map(([, c]) => `c.${c.name}`).join(', '));

/** A returned conversation as the database driver gave it (snake_case, raw values), as Drizzle maps it. */
function conversationFromDriver(row: Record<string, unknown>): ReturnedConversation {
  const out: Record<string, unknown> = {};
  for (const [key, column] of returnedColumns) {
    const value = row[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as ReturnedConversation;
}

/**
 * The common case of a busy desk, written in one statement (one round trip, one commit) for
 * any number of messages: customers' replies in open conversations, with nothing attached or
 * masked. The statement locks the conversations in id order, leaves out any conversation that
 * is not open or that one of the messages was already stored in (a retry), numbers the
 * messages, stores them and does in the same commit what `persistIn` does for such a reply
 * (contact's last-seen time, SLA recompute, routing or assistant job, webhook events).
 *
 * A conversation any of whose messages in the batch is not such a reply is left out entirely,
 * and so is one the statement left out: the caller writes those with `persistIn`, so their
 * order is kept. Returns the results of the messages written (none when the statement failed).
 */
async function writeReplies(deps: Deps, batch: Waiting[]): Promise<Map<Waiting, Persisted>> {
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

  const now = deps.clock.now();
  const epoch = new Date(0);
  // The messages travel as one JSON parameter: the statement costs the same for 1 or 64.
  // n is the arrival order within a conversation (the batch is sorted by conversation).
  const input = JSON.stringify(
    [...byConversation.values()].flat().map((item, n) => ({
      n,
      conversation_id: item.input.conversationId,
      contact_id: item.input.contactId,
      inbox_id: item.input.inboxId,
      idempotency_key: item.input.idempotencyKey,
      text: item.maskedText,
      meta: messageMeta(item.input),
    })),
  );
  // Every CTE that writes runs to completion. Locks come first and in id order; a row locked
  // after a concurrent change is read in its latest version, which the update then changes.
  let result: { rows: Record<string, unknown>[] };
  try {
    result = await executePrepared(
      deps.db,
      'kefu_inbound_replies',
      sql`
    with input as (
      select * from jsonb_to_recordset(${input}::jsonb) as r(n int, conversation_id uuid,
        contact_id uuid, inbox_id uuid, idempotency_key text, text text, meta jsonb)
    ),
    repeated as (
      select i.conversation_id from input i
      cross join lateral (
        select 1 from ${messages} m
        where m.inbox_id = i.inbox_id and m.idempotency_key = i.idempotency_key
        limit 1
      ) stored
    ),
    locked as materialized (
      select c.* from ${conversations} c
      where c.id = any(string_to_array(${[...byConversation.keys()].join(',')}, ',')::uuid[])
        and c.id not in (select conversation_id from repeated)
      order by c.id
      for update
    ),
    writable as (
      select l.* from locked l
      where l.status = 'open' and l.merged_into_id is null
        and not exists (
          select 1 from input i where i.conversation_id = l.id and i.contact_id <> l.contact_id)
    ),
    numbered as (
      select i.*, o.last_seq + row_number() over (partition by i.conversation_id order by i.n) as seq
      from input i join writable o on o.id = i.conversation_id
    ),
    bumped as (
      update ${conversations} c
      set last_seq = c.last_seq + v.count, last_message_at = ${now},
        last_customer_message_at = ${now}, updated_at = ${now}
      from (select conversation_id, count(*) as count from numbered group by conversation_id) v
      where c.id = v.conversation_id
      returning ${returnedColumnList}
    ),
    inserted as (
      insert into ${messages} (conversation_id, seq, sender_type, sender_id, text, inbox_id,
        idempotency_key, meta, created_at)
      select conversation_id, seq, 'contact', contact_id, text, inbox_id, idempotency_key, meta,
        ${now}
      from numbered
      order by n
      returning id, conversation_id, seq
    ),
    touched as (
      update ${contacts} set last_seen_at = ${now}
      where id in (select contact_id from writable)
        and (last_seen_at is null or last_seen_at < ${new Date(now.getTime() - CONTACT_SEEN_RESOLUTION_MS)}
          or last_seen_at > ${now})
    ),
    -- Before the first agent reply the deadlines count from the conversation's creation, so a
    -- customer line changes them only once the next-response clock runs (as persistIn).
    sla as (
      insert into ${jobs} (queue, payload, run_at, max_attempts, singleton_key)
      select ${SLA_UPDATE_QUEUE}, jsonb_build_object('conversationId', id), ${epoch}, 10,
        ${SLA_UPDATE_QUEUE} || ':' || id
      from writable
      where first_agent_reply_at is not null
      on conflict (singleton_key) where singleton_key is not null and status = 'pending'
      do update set payload = excluded.payload, run_at = excluded.run_at, attempts = 0,
        last_error = null
      returning 1
    ),
    routing as (
      insert into ${jobs} (queue, payload, run_at, max_attempts, singleton_key)
      select ${ROUTING_QUEUE}, '{}'::jsonb, ${epoch}, 10, ${ROUTING_QUEUE}
      where exists (
        select 1 from writable where handler <> 'assistant' and assignee_id is null)
      on conflict (singleton_key) where singleton_key is not null and status = 'pending'
      do update set run_at = excluded.run_at, attempts = 0, last_error = null
      returning 1
    ),
    assistant as (
      insert into ${jobs} (queue, payload, run_at, max_attempts)
      select 'assistant.reply', jsonb_build_object('conversationId', o.id, 'messageId', i.id),
        ${epoch}, 10
      from inserted i join writable o on o.id = i.conversation_id
      where o.handler = 'assistant'
      order by i.conversation_id, i.seq
      returning 1
    ),
    hooks as (
      ${insertWebhookEvents(sql`(
        select jsonb_build_object('event', 'message.created', 'conversationId', i.conversation_id,
          'messageId', i.id, 'at', ${now.toISOString()}::text),
          row_number() over (order by i.conversation_id, i.seq)
        from inserted i)`)}
      returning 1
    )
    select b.*,
      (select jsonb_object_agg(i.seq, i.id) from inserted i where i.conversation_id = b.id)
        as "written_ids",
      (select count(*) from sla) + (select count(*) from routing)
        + (select count(*) from assistant) + (select count(*) from hooks) as "written_jobs"
    from bumped b`,
    );
  } catch {
    // Nothing of the statement was stored (a retry raced, the database went away…): the
    // whole batch takes the slower path, where each message meets its own error.
    return written;
  }

  for (const row of result.rows) {
    const { lastSeq, ...conversation } = conversationFromDriver(row);
    const items = byConversation.get(conversation.id) ?? [];
    const raw = row.written_ids;
    const ids = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, string>;
    const jobsEnqueued = Number(row.written_jobs) > 0;
    for (const [i, item] of items.entries()) {
      const seq = lastSeq - items.length + 1 + i;
      const id = ids[String(seq)];
      if (!id) throw new Error('a batched message was not stored');
      const message: MessageRow = {
        id,
        conversationId: conversation.id,
        seq,
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
    // Locked before it is read: an agent resolving or merging the conversation meanwhile is
    // either done (and this message reopens it, or goes where it was merged) or waits.
    let row = await lockConversationRow(tx, input.conversationId);
    if (row.contactId !== input.contactId) throw new AppError('conversation.not_found');
    if (row.mergedIntoId) row = await lockConversationRow(tx, row.mergedIntoId);
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
    await scheduleRouting(tx);
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
