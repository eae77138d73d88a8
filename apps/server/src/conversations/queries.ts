import type { TConversation, TCustomerConversation, TMessage } from '@kefu/shared';
import { and, asc, desc, eq, gt, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { agents } from '../auth/schema.ts';
import type { AgentRow } from '../auth/sessions.ts';
import type { DbOrTx } from '../db/client.ts';
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

export type ConversationQuery = {
  view: 'mine' | 'unassigned' | 'teams' | 'all';
  status?: ConversationRow['status'];
  teamId?: string;
  limit: number;
  before?: string;
};

export async function findConversationsForAgent(
  db: DbOrTx,
  agent: Pick<AgentRow, 'id' | 'role'>,
  query: ConversationQuery,
): Promise<TConversation[]> {
  const where: SQL[] = [isNull(conversations.mergedIntoId)];
  const teamIds = (await findTeamIdsByAgent(db, [agent.id])).get(agent.id) ?? [];
  if (agent.role === 'agent' || query.view === 'teams') {
    const visible: SQL[] = [eq(conversations.assigneeId, agent.id), isNull(conversations.teamId)];
    if (teamIds.length > 0) visible.push(inArray(conversations.teamId, teamIds));
    const scope = or(...visible);
    if (scope) where.push(scope);
  }
  if (query.view === 'mine') where.push(eq(conversations.assigneeId, agent.id));
  if (query.view === 'unassigned') where.push(isNull(conversations.assigneeId));
  if (query.status) where.push(eq(conversations.status, query.status));
  if (query.teamId) where.push(eq(conversations.teamId, query.teamId));
  if (query.before) where.push(lt(conversations.updatedAt, new Date(query.before)));
  const rows = await db
    .select()
    .from(conversations)
    .where(and(...where))
    .orderBy(desc(conversations.updatedAt))
    .limit(query.limit);
  return rows.map(toConversation);
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
