import {
  INBOX_VIEWS,
  type TConversation,
  type TConversationCounts,
  type TConversationFilters,
  type TCustomerConversation,
  type TInboxView,
  type TMessage,
} from '@kefu/shared';
import { and, asc, desc, eq, gt, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { agents } from '../auth/schema.ts';
import type { AgentRow } from '../auth/sessions.ts';
import { contacts } from '../contacts/schema.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import { cutWords } from '../knowledge/segment.ts';
import { AppError } from '../lib/app-error.ts';
import { findTeamIdsByAgent } from '../teams/teams.ts';
import { conversations, messages, outbox } from './schema.ts';

export type ConversationRow = typeof conversations.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toConversation(row: ConversationRow): TConversation {
  return {
    id: row.id,
    number: row.number,
    inboxId: row.inboxId,
    channel: row.channel,
    contactId: row.contactId,
    status: row.status,
    priority: row.priority,
    intent: row.intent,
    labels: row.labels,
    teamId: row.teamId,
    assigneeId: row.assigneeId,
    tier: row.tier,
    language: row.language,
    subject: row.subject,
    handler: row.handler,
    queuedAt: iso(row.queuedAt),
    lastMessageAt: iso(row.lastMessageAt),
    escalationReason: row.escalationReason,
    sla: {
      policyId: row.slaPolicyId,
      firstResponseDueAt: iso(row.firstResponseDueAt),
      nextResponseDueAt: iso(row.nextResponseDueAt),
      resolutionDueAt: iso(row.resolutionDueAt),
      state: row.slaState,
    },
    csatScore: row.csatScore,
    csatComment: row.csatComment,
    needsReview: row.needsReview,
    fields: row.fields,
    mergedIntoId: row.mergedIntoId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toMessage(
  row: MessageRow,
  extra: { senderName?: string | null; deliveryStatus?: TMessage['deliveryStatus'] } = {},
): TMessage {
  return {
    id: row.id,
    conversationId: row.conversationId,
    seq: row.seq,
    senderType: row.senderType,
    senderId: row.senderId,
    senderName: extra.senderName ?? null,
    private: row.private,
    text: row.text,
    redactions: row.redactions as TMessage['redactions'],
    attachments: row.attachments,
    clientMessageId: typeof row.meta.clientMessageId === 'string' ? row.meta.clientMessageId : null,
    kind: typeof row.meta.kind === 'string' ? row.meta.kind : null,
    deliveryStatus: extra.deliveryStatus ?? null,
    ...(row.meta.kind === 'outside_hours'
      ? {
          nextOpening: typeof row.meta.nextOpening === 'string' ? row.meta.nextOpening : null,
        }
      : {}),
    createdAt: row.createdAt.toISOString(),
  };
}

export async function getConversationRow(db: DbOrTx, id: string): Promise<ConversationRow> {
  const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
  if (!row) throw new AppError('conversation.not_found');
  return row;
}

/** The conversation, locked for the rest of the transaction (changes made meanwhile are read). */
export async function lockConversationRow(tx: Tx, id: string): Promise<ConversationRow> {
  const [row] = await tx.select().from(conversations).where(eq(conversations.id, id)).for('update');
  if (!row) throw new AppError('conversation.not_found');
  return row;
}

/** Agents see their teams' conversations, those assigned to them and those without a team; supervisors and admins see all. */
export async function canAgentSee(
  db: DbOrTx,
  agent: Pick<AgentRow, 'id' | 'role'>,
  row: ConversationRow,
): Promise<boolean> {
  if (agent.role !== 'agent') return true;
  if (row.assigneeId === agent.id || row.teamId === null) return true;
  const teams = (await findTeamIdsByAgent(db, [agent.id])).get(agent.id) ?? [];
  return teams.includes(row.teamId);
}

/** The conversation if this agent may see it; otherwise the same 404 as a missing one. */
export async function getVisibleConversation(
  db: DbOrTx,
  agent: Pick<AgentRow, 'id' | 'role'>,
  id: string,
): Promise<ConversationRow> {
  const row = await getConversationRow(db, id);
  if (!(await canAgentSee(db, agent, row))) throw new AppError('conversation.not_found');
  return row;
}

export type ConversationFilters = Omit<TConversationFilters, 'vip'> & { vip?: boolean | undefined };
export type ConversationQuery = ConversationFilters & {
  view: TInboxView;
  limit: number;
  before?: string | undefined;
};

/** An SLA deadline within this many minutes puts an open conversation in the "due" view. */
export const DUE_SOON_MINUTES = 60;

const ACTIVE_STATUSES = ['open', 'pending'] as const;

/**
 * What a search looks for: each blank-separated part, Chinese cut into words by jieba (提币没到账
 * → 提币, 没到账), everything else as typed (a TxID fragment, a UID, an email, a ticket number).
 * Every term must appear somewhere in the conversation.
 */
export function searchTermsOf(q: string): string[] {
  const terms = new Set<string>();
  for (const part of q.normalize('NFKC').trim().split(/\s+/)) {
    const token = part.replace(/^#(?=\d+$)/, '');
    if (!token) continue;
    if (/[\u3400-\u9fff]/.test(token)) for (const word of cutWords(token)) terms.add(word);
    else terms.add(token.toLowerCase());
  }
  return [...terms].slice(0, 8);
}

const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function matchesTerm(term: string): SQL {
  const like = likePattern(term);
  return sql`(
    ${conversations.subject} ilike ${like}
    or ${conversations.number}::text like ${like}
    or ${conversations.fields}::text ilike ${like}
    or exists (select 1 from ${contacts} k where k.id = ${conversations.contactId} and (
      k.name ilike ${like} or k.email ilike ${like} or k.exchange_uid ilike ${like}
      or k.telegram_id ilike ${like} or k.phone ilike ${like}))
    or exists (select 1 from ${messages} m where m.conversation_id = ${conversations.id}
      and m.text ilike ${like}))`;
}

async function conversationWhere(
  db: DbOrTx,
  agent: Pick<AgentRow, 'id' | 'role'>,
  view: TInboxView,
  filters: ConversationFilters,
  now: Date,
): Promise<SQL | undefined> {
  const where: SQL[] = [isNull(conversations.mergedIntoId)];
  const teamIds = (await findTeamIdsByAgent(db, [agent.id])).get(agent.id) ?? [];
  if (agent.role === 'agent' || view === 'teams') {
    const visible: SQL[] = [eq(conversations.assigneeId, agent.id), isNull(conversations.teamId)];
    if (teamIds.length > 0) visible.push(inArray(conversations.teamId, teamIds));
    const scope = or(...visible);
    if (scope) where.push(scope);
  }
  if (view === 'mine') where.push(eq(conversations.assigneeId, agent.id));
  if (view === 'unassigned') where.push(isNull(conversations.assigneeId));
  if (view === 'due') {
    const soon = new Date(now.getTime() + DUE_SOON_MINUTES * 60_000);
    where.push(inArray(conversations.status, [...ACTIVE_STATUSES]));
    const due = or(
      lt(conversations.firstResponseDueAt, soon),
      lt(conversations.nextResponseDueAt, soon),
      lt(conversations.resolutionDueAt, soon),
    );
    if (due) where.push(due);
  }
  if (filters.status) where.push(eq(conversations.status, filters.status));
  if (filters.teamId) where.push(eq(conversations.teamId, filters.teamId));
  if (filters.channel) where.push(eq(conversations.channel, filters.channel));
  if (filters.intent) where.push(eq(conversations.intent, filters.intent));
  if (filters.priority) where.push(eq(conversations.priority, filters.priority));
  if (filters.language) where.push(eq(conversations.language, filters.language));
  if (filters.label)
    where.push(sql`${conversations.labels} @> ${JSON.stringify([filters.label])}::jsonb`);
  if (filters.vip !== undefined)
    where.push(
      sql`exists (select 1 from ${contacts} v where v.id = ${conversations.contactId}
        and v.vip_level ${filters.vip ? sql`>=` : sql`<`} 1)`,
    );
  if (filters.q) for (const term of searchTermsOf(filters.q)) where.push(matchesTerm(term));
  return and(...where);
}

const earliestDue = sql`least(${conversations.firstResponseDueAt}, ${conversations.nextResponseDueAt}, ${conversations.resolutionDueAt})`;

export async function findConversationsForAgent(
  db: DbOrTx,
  agent: Pick<AgentRow, 'id' | 'role'>,
  query: ConversationQuery,
  now: Date = new Date(),
): Promise<TConversation[]> {
  const where = await conversationWhere(db, agent, query.view, query, now);
  const cursor = query.before ? lt(conversations.updatedAt, new Date(query.before)) : undefined;
  const rows = await db
    .select()
    .from(conversations)
    .where(cursor && query.view !== 'due' ? and(where, cursor) : where)
    // The due view: the deadline nearest (or most overdue) first.
    .orderBy(
      ...(query.view === 'due'
        ? [asc(earliestDue), desc(conversations.updatedAt)]
        : [desc(conversations.updatedAt)]),
    )
    .limit(query.limit);
  return rows.map(toConversation);
}

/** How many conversations each inbox view holds with these filters (up to `cap` each). */
export async function countConversationsForAgent(
  db: DbOrTx,
  agent: Pick<AgentRow, 'id' | 'role'>,
  filters: ConversationFilters,
  now: Date = new Date(),
): Promise<TConversationCounts> {
  const counts = {} as TConversationCounts;
  for (const view of INBOX_VIEWS) {
    const where = await conversationWhere(db, agent, view, filters, now);
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(conversations)
      .where(where);
    counts[view] = Number(row?.n ?? 0);
  }
  return counts;
}

/** Messages after `afterSeq`, oldest first, with sender names and delivery states. */
export async function findMessages(
  db: DbOrTx,
  conversationId: string,
  options: { afterSeq: number; limit: number; includePrivate: boolean },
): Promise<TMessage[]> {
  const where: SQL[] = [
    eq(messages.conversationId, conversationId),
    gt(messages.seq, options.afterSeq),
  ];
  if (!options.includePrivate) where.push(eq(messages.private, false));
  const rows = await db
    .select({ message: messages, agentName: agents.name, delivery: outbox.status })
    .from(messages)
    .leftJoin(
      agents,
      and(eq(messages.senderType, 'agent'), sql`${agents.id}::text = ${messages.senderId}`),
    )
    .leftJoin(outbox, eq(outbox.messageId, messages.id))
    .where(and(...where))
    .orderBy(asc(messages.seq))
    .limit(options.limit);
  return rows.map((r) =>
    toMessage(r.message, { senderName: r.agentName, deliveryStatus: r.delivery }),
  );
}

export async function toCustomerConversation(
  db: DbOrTx,
  row: ConversationRow,
): Promise<TCustomerConversation> {
  let assigneeName: string | null = null;
  if (row.assigneeId) {
    const [agent] = await db
      .select({ name: agents.name })
      .from(agents)
      .where(eq(agents.id, row.assigneeId));
    assigneeName = agent?.name ?? null;
  }
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    channel: row.channel,
    subject: row.subject,
    assigneeName,
    createdAt: row.createdAt.toISOString(),
    lastMessageAt: iso(row.lastMessageAt),
  };
}

export async function findContactConversations(
  db: DbOrTx,
  contactId: string,
): Promise<ConversationRow[]> {
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.contactId, contactId), isNull(conversations.mergedIntoId)))
    .orderBy(desc(conversations.createdAt))
    .limit(50);
}
