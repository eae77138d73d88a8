import type { TConversation } from '@kefu/shared';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { getAgentRow } from '../auth/agents.ts';
import type { AgentRow } from '../auth/sessions.ts';
import { writeCsatRequest } from '../csat/request-csat.ts';
import type { DbOrTx, Tx } from '../db/client.ts';
import type { Actor, Deps } from '../deps.ts';
import { enqueueJob } from '../jobs/queue.ts';
import { AppError } from '../lib/app-error.ts';
import type { DomainEvent } from '../lib/events.ts';
import { audienceOf, nextSeq } from '../pipeline/accept-inbound.ts';
import { scheduleRouting } from '../routing/schedule.ts';
import { scheduleSlaUpdate } from '../sla/timers.ts';
import { teams } from '../teams/schema.ts';
import { getTeam } from '../teams/teams.ts';
import { enqueueWebhookEvent } from '../webhooks/dispatch-event.ts';
import {
  type ConversationRow,
  getVisibleConversation,
  lockConversationRow,
  toConversation,
  toMessage,
} from './queries.ts';
import { conversations, messages } from './schema.ts';

type ActingAgent = Pick<AgentRow, 'id' | 'role' | 'name'>;

/** A timeline entry only agents see: assignment, status, escalation… */
async function writeEvent(
  tx: Tx,
  deps: Deps,
  conversationId: string,
  event: string,
  data: Record<string, unknown>,
) {
  const now = deps.clock.now();
  const row = await nextSeq(tx, conversationId, { updatedAt: now });
  const [message] = await tx
    .insert(messages)
    .values({
      conversationId,
      seq: row.lastSeq,
      senderType: 'system',
      private: true,
      text: event,
      meta: { kind: 'event', event, ...data },
      createdAt: now,
    })
    .returning();
  return { row, message };
}

async function change(
  deps: Deps,
  agent: ActingAgent,
  actor: Actor,
  conversationId: string,
  apply: (
    tx: Tx,
    row: ConversationRow,
  ) => Promise<{
    set: Partial<typeof conversations.$inferInsert>;
    event: string;
    data: Record<string, unknown>;
    routeAfter?: boolean;
    /** More to write in the same transaction once the change is; its events follow the change's. */
    alsoWrite?: (tx: Tx) => Promise<DomainEvent[]>;
  }>,
): Promise<TConversation> {
  const before = await getVisibleConversation(deps.db, agent, conversationId);
  const result = await deps.db.transaction(async (tx) => {
    const locked = await lockConversationRow(tx, before.id);
    const { set, event, data, routeAfter, alsoWrite } = await apply(tx, locked);
    await tx
      .update(conversations)
      .set({ ...set, updatedAt: deps.clock.now() })
      .where(eq(conversations.id, locked.id));
    const written = await writeEvent(tx, deps, locked.id, event, data);
    await recordAudit(tx, actor, {
      action: `conversation.${event}`,
      targetType: 'conversation',
      targetId: locked.id,
      data,
    });
    if (routeAfter) await scheduleRouting(tx);
    const at = deps.clock.now().toISOString();
    if (written.row.status !== locked.status)
      await enqueueJob(tx, {
        queue: 'webhooks.dispatch',
        payload: {
          event: 'conversation.status_changed',
          conversationId: locked.id,
          at,
          change: { from: locked.status, to: written.row.status },
        },
      });
    if (written.row.assigneeId !== locked.assigneeId)
      await enqueueJob(tx, {
        queue: 'webhooks.dispatch',
        payload: {
          event: 'conversation.assigned',
          conversationId: locked.id,
          at,
          change: { from: locked.assigneeId, to: written.row.assigneeId },
        },
      });
    await scheduleSlaUpdate(tx, locked.id);
    const more = alsoWrite ? await alsoWrite(tx) : [];
    return { before: locked, after: written.row, event: written.message, more };
  });
  const audience = audienceOf(result.after);
  if (result.event)
    deps.publish({ type: 'message.created', audience, message: toMessage(result.event) });
  let assigneeName: string | null | undefined;
  if (result.after.assigneeId !== result.before.assigneeId) {
    assigneeName = result.after.assigneeId
      ? (await getAgentRow(deps.db, result.after.assigneeId)).name
      : null;
  }
  deps.publish({
    type: 'conversation.changed',
    audience,
    change: {
      conversationId: result.after.id,
      status: result.after.status,
      ...(assigneeName !== undefined ? { assigneeId: result.after.assigneeId, assigneeName } : {}),
      teamId: result.after.teamId,
      tier: result.after.tier,
      priority: result.after.priority,
    },
    previousAssigneeId: result.before.assigneeId,
  });
  if (
    result.after.assigneeId &&
    result.after.assigneeId !== result.before.assigneeId &&
    result.after.assigneeId !== agent.id
  ) {
    deps.publish({
      type: 'agent.notification',
      agentId: result.after.assigneeId,
      kind: 'assignment',
      conversationId: result.after.id,
      number: result.after.number,
    });
  }
  for (const event of result.more) deps.publish(event);
  deps.kickJobs();
  return toConversation(result.after);
}

export function assignConversation(
  deps: Deps,
  agent: ActingAgent,
  actor: Actor,
  conversationId: string,
  agentId: string | null,
) {
  return change(deps, agent, actor, conversationId, async (tx, row) => {
    if (agentId) {
      const target = await getAgentRow(tx, agentId);
      if (!target.active) throw new AppError('agent.not_found');
    }
    const now = deps.clock.now();
    return {
      set: agentId
        ? { assigneeId: agentId, assignedAt: now, handler: 'human' }
        : { assigneeId: null, assignedAt: null, queuedAt: now, handler: 'human' },
      event: agentId ? 'assigned' : 'unassigned',
      data: { agentId, previousAgentId: row.assigneeId },
      routeAfter: !agentId,
    };
  });
}

export function setConversationStatus(
  deps: Deps,
  agent: ActingAgent,
  actor: Actor,
  conversationId: string,
  status: ConversationRow['status'],
  snoozedUntil?: string,
) {
  return change(deps, agent, actor, conversationId, async (_tx, row) => {
    const now = deps.clock.now();
    const set: Partial<typeof conversations.$inferInsert> = { status };
    if (status === 'resolved') set.resolvedAt = now;
    if (status === 'open' && (row.status === 'resolved' || row.status === 'closed'))
      set.resolvedAt = null;
    set.snoozedUntil = status === 'snoozed' && snoozedUntil ? new Date(snoozedUntil) : null;
    return {
      set,
      event: `status_${status}`,
      data: { from: row.status, to: status },
      routeAfter: status === 'resolved' || status === 'closed',
      // With the resolution: the customer is asked to rate the help.
      ...(status === 'resolved'
        ? { alsoWrite: (tx: Tx) => writeCsatRequest(tx, deps, row.id) }
        : {}),
    };
  });
}

export function transferConversation(
  deps: Deps,
  agent: ActingAgent,
  actor: Actor,
  conversationId: string,
  input: { teamId?: string; agentId?: string; note?: string },
) {
  return change(deps, agent, actor, conversationId, async (tx, row) => {
    const now = deps.clock.now();
    let teamId = row.teamId;
    let tier = row.tier;
    if (input.teamId) {
      const team = await getTeam({ db: tx as unknown as Deps['db'] }, input.teamId);
      teamId = team.id;
      tier = team.tier;
    }
    if (input.agentId) {
      const target = await getAgentRow(tx, input.agentId);
      if (!target.active) throw new AppError('agent.not_found');
    }
    return {
      set: {
        teamId,
        tier,
        assigneeId: input.agentId ?? null,
        assignedAt: input.agentId ? now : null,
        queuedAt: input.agentId ? row.queuedAt : now,
      },
      event: 'transferred',
      data: {
        fromTeamId: row.teamId,
        toTeamId: teamId,
        toAgentId: input.agentId ?? null,
        note: input.note ?? null,
      },
      routeAfter: !input.agentId,
    };
  });
}

/** Second-tier escalation: moves to an L2 team with the reason, back into its queue. */
export function escalateConversation(
  deps: Deps,
  agent: ActingAgent,
  actor: Actor,
  conversationId: string,
  input: { reason: string; teamId?: string },
) {
  return change(deps, agent, actor, conversationId, async (tx, row) => {
    let teamId = input.teamId;
    if (teamId) {
      const team = await getTeam({ db: tx as unknown as Deps['db'] }, teamId);
      if (team.tier !== 'L2') throw new AppError('team.not_found');
    } else {
      const [l2] = await tx
        .select({ id: teams.id })
        .from(teams)
        .where(eq(teams.tier, 'L2'))
        .orderBy(asc(teams.createdAt))
        .limit(1);
      if (!l2) throw new AppError('team.not_found');
      teamId = l2.id;
    }
    const now = deps.clock.now();
    return {
      set: {
        tier: 'L2',
        teamId,
        escalationReason: input.reason,
        assigneeId: null,
        assignedAt: null,
        queuedAt: now,
        handler: 'human',
        status: 'open',
      },
      event: 'escalated',
      data: {
        reason: input.reason,
        fromTeamId: row.teamId,
        toTeamId: teamId,
        fromAgentId: row.assigneeId,
      },
      routeAfter: true,
    };
  });
}

export function updateConversationFields(
  deps: Deps,
  agent: ActingAgent,
  actor: Actor,
  conversationId: string,
  input: { priority?: ConversationRow['priority']; labels?: string[]; intent?: string | null },
) {
  return change(deps, agent, actor, conversationId, async (_tx, row) => ({
    set: {
      ...(input.priority ? { priority: input.priority } : {}),
      ...(input.labels ? { labels: [...new Set(input.labels)] } : {}),
      ...(input.intent !== undefined ? { intent: input.intent } : {}),
    },
    event: 'updated',
    data: { from: { priority: row.priority, labels: row.labels, intent: row.intent }, to: input },
  }));
}

/**
 * Merges a conversation into another of the same customer: messages move over (renumbered after
 * the target's), the source is closed and points at the target, so its number redirects.
 */
export async function mergeConversations(
  deps: Deps,
  agent: ActingAgent,
  actor: Actor,
  sourceId: string,
  targetId: string,
): Promise<TConversation> {
  const source = await getVisibleConversation(deps.db, agent, sourceId);
  const target = await getVisibleConversation(deps.db, agent, targetId);
  if (
    source.id === target.id ||
    source.mergedIntoId ||
    target.mergedIntoId ||
    source.contactId !== target.contactId
  ) {
    throw new AppError('conversation.merge_invalid');
  }
  const merged = await deps.db.transaction(async (tx) => {
    // Both locked in id order, as every path that locks several conversations does: two
    // opposite merges at once wait for each other instead of deadlocking.
    const both = await tx
      .select()
      .from(conversations)
      .where(inArray(conversations.id, [source.id, target.id]))
      .orderBy(asc(conversations.id))
      .for('update');
    const t = both.find((c) => c.id === target.id);
    const s = both.find((c) => c.id === source.id);
    if (!t || !s || s.mergedIntoId || t.mergedIntoId)
      throw new AppError('conversation.merge_invalid');
    // Shift the source's messages past both counters first, so no (conversation, seq) pair collides.
    const offset = t.lastSeq + s.lastSeq + 1;
    await tx
      .update(messages)
      .set({ conversationId: t.id, seq: sql`${messages.seq} + ${offset}` })
      .where(eq(messages.conversationId, s.id));
    await tx.execute(sql`
      with ordered as (
        select id, row_number() over (order by created_at, seq) as n from messages where conversation_id = ${t.id}
      )
      update messages set seq = ordered.n + ${offset + s.lastSeq + t.lastSeq} from ordered where messages.id = ordered.id`);
    await tx.execute(sql`
      with ordered as (
        select id, row_number() over (order by seq) as n from messages where conversation_id = ${t.id}
      )
      update messages set seq = ordered.n from ordered where messages.id = ordered.id`);
    const [{ count } = { count: 0 }] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(messages)
      .where(eq(messages.conversationId, t.id));
    await tx
      .update(conversations)
      .set({
        lastSeq: Number(count),
        updatedAt: deps.clock.now(),
        lastMessageAt: sql`greatest(${conversations.lastMessageAt}, ${s.lastMessageAt})`,
      })
      .where(eq(conversations.id, t.id));
    await tx
      .update(conversations)
      .set({ mergedIntoId: t.id, status: 'closed', updatedAt: deps.clock.now() })
      .where(eq(conversations.id, s.id));
    await writeEvent(tx, deps, t.id, 'merged', { sourceId: s.id, sourceNumber: s.number });
    await enqueueWebhookEvent(tx, {
      event: 'conversation.status_changed',
      conversationId: s.id,
      at: deps.clock.now().toISOString(),
      change: { from: s.status, to: 'closed' },
    });
    await recordAudit(tx, actor, {
      action: 'conversation.merged',
      targetType: 'conversation',
      targetId: t.id,
      data: { sourceId: s.id, sourceNumber: s.number },
    });
    const [after] = await tx.select().from(conversations).where(eq(conversations.id, t.id));
    if (!after) throw new AppError('conversation.not_found');
    return after;
  });
  deps.publish({
    type: 'conversation.changed',
    audience: audienceOf(source),
    change: { conversationId: source.id, status: 'closed' },
  });
  return toConversation(merged);
}

/** For contact merges: the duplicate's conversations move to the surviving contact. */
export async function moveContactConversations(
  tx: DbOrTx,
  fromContactId: string,
  toContactId: string,
): Promise<number> {
  const moved = await tx
    .update(conversations)
    .set({ contactId: toContactId })
    .where(and(eq(conversations.contactId, fromContactId), isNull(conversations.mergedIntoId)))
    .returning({ id: conversations.id });
  return moved.length;
}
