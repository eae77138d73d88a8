import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { agents } from '../auth/schema.ts';
import { contacts } from '../contacts/schema.ts';
import { inboxes } from '../inboxes/schema.ts';
import { teams } from '../teams/schema.ts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Ticket numbers: a database sequence, so numbers are unique across nodes and never reused. */
export const conversationNumberSeq = pgSequence('conversation_number_seq', {
  startWith: 100001,
  increment: 1,
});

export type Redaction = { kind: string; start: number; end: number };

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: bigint('number', { mode: 'number' })
      .notNull()
      .default(sql`nextval('conversation_number_seq')`),
    inboxId: uuid('inbox_id')
      .notNull()
      .references(() => inboxes.id),
    channel: text('channel').notNull(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id),
    status: text('status', { enum: ['open', 'pending', 'snoozed', 'resolved', 'closed'] })
      .notNull()
      .default('open'),
    priority: text('priority', { enum: ['low', 'normal', 'high', 'urgent'] })
      .notNull()
      .default('normal'),
    intent: text('intent'),
    labels: jsonb('labels').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    assigneeId: uuid('assignee_id').references(() => agents.id, { onDelete: 'set null' }),
    tier: text('tier', { enum: ['L1', 'L2'] })
      .notNull()
      .default('L1'),
    language: text('language'),
    subject: text('subject'),
    /** Who answers now: the assistant, or the human queue. */
    handler: text('handler', { enum: ['assistant', 'human'] })
      .notNull()
      .default('human'),
    queuedAt: ts('queued_at'),
    assignedAt: ts('assigned_at'),
    firstAgentReplyAt: ts('first_agent_reply_at'),
    lastCustomerMessageAt: ts('last_customer_message_at'),
    lastAgentReplyAt: ts('last_agent_reply_at'),
    lastMessageAt: ts('last_message_at'),
    resolvedAt: ts('resolved_at'),
    snoozedUntil: ts('snoozed_until'),
    escalationReason: text('escalation_reason'),
    slaPolicyId: uuid('sla_policy_id'),
    firstResponseDueAt: ts('first_response_due_at'),
    nextResponseDueAt: ts('next_response_due_at'),
    resolutionDueAt: ts('resolution_due_at'),
    slaState: jsonb('sla_state')
      .$type<Record<string, string>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    csatRequestedAt: ts('csat_requested_at'),
    csatScore: integer('csat_score'),
    csatComment: text('csat_comment'),
    needsReview: boolean('needs_review').notNull().default(false),
    /** Structured fields collected by the assistant or a form (coin, network, txid…). */
    fields: jsonb('fields').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => conversations.id),
    /** Per-conversation message counter: messages are numbered 1, 2, 3… in commit order. */
    lastSeq: integer('last_seq').notNull().default(0),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('conversations_number_key').on(t.number),
    index('conversations_contact_idx').on(t.contactId, t.createdAt),
    index('conversations_queue_idx').on(t.teamId, t.status, t.assigneeId),
    index('conversations_assignee_idx').on(t.assigneeId, t.status),
    index('conversations_updated_idx').on(t.updatedAt),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    seq: integer('seq').notNull(),
    senderType: text('sender_type', {
      enum: ['contact', 'agent', 'assistant', 'system'],
    }).notNull(),
    senderId: text('sender_id'),
    /** A private note is never shown or delivered to the customer. */
    private: boolean('private').notNull().default(false),
    text: text('text').notNull(),
    redactions: jsonb('redactions').$type<Redaction[]>().notNull().default(sql`'[]'::jsonb`),
    attachments: jsonb('attachments')
      .$type<{ id: string; name: string; type: string; size: number }[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** The channel's idempotency key (client message id, Message-ID, update id), unique per inbox. */
    inboxId: uuid('inbox_id').references(() => inboxes.id),
    idempotencyKey: text('idempotency_key'),
    mentions: jsonb('mentions').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('messages_conversation_seq_key').on(t.conversationId, t.seq),
    uniqueIndex('messages_idempotency_key')
      .on(t.inboxId, t.idempotencyKey)
      .where(sql`${t.idempotencyKey} is not null`),
  ],
);

/** Committed outbound messages waiting for their channel's deliverer. */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    channel: text('channel').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'delivered', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('outbox_message_key').on(t.messageId),
    index('outbox_status_idx').on(t.status),
  ],
);
