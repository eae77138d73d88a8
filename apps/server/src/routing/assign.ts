import { translate } from '@kefu/shared/i18n';
import { and, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { agents } from '../auth/schema.ts';
import { contacts } from '../contacts/schema.ts';
import { conversations, messages } from '../conversations/schema.ts';
import type { Deps } from '../deps.ts';
import { audienceOf, nextSeq } from '../pipeline/accept-inbound.ts';
import { writeSystemMessage } from '../pipeline/send-outbound.ts';
import { ALWAYS_OPEN, type BusinessCalendar, isOpen, nextOpening } from '../sla/business-hours.ts';
import { teamMembers } from '../teams/schema.ts';
import { getTeamCalendar } from '../teams/teams.ts';
import { enqueueWebhookEvent } from '../webhooks/dispatch-event.ts';
import {
  type CandidateAgent,
  estimateWaitSeconds,
  planAssignments,
  queuePositions,
  type WaitingConversation,
} from './assignment-policy.ts';

// Every node takes this lock while assigning, so capacity holds across nodes.
const ROUTING_LOCK = 7_164_003;

async function loadAgents(deps: Deps): Promise<CandidateAgent[]> {
  const rows = await deps.db.select().from(agents).where(eq(agents.active, true));
  const members = await deps.db.select().from(teamMembers);
  const load = await deps.db
    .select({
      agentId: conversations.assigneeId,
      open: sql<number>`count(*) filter (where ${conversations.status} in ('open', 'pending'))::int`,
      last: sql<Date | null>`max(${conversations.assignedAt})`,
    })
    .from(conversations)
    .where(isNotNull(conversations.assigneeId))
    .groupBy(conversations.assigneeId);
  return rows.map((a) => {
    const l = load.find((x) => x.agentId === a.id);
    return {
      id: a.id,
      availability: a.availability,
      active: a.active,
      capacity: a.capacity,
      openAssigned: Number(l?.open ?? 0),
      languages: a.languages,
      skills: a.skills,
      teamIds: members.filter((m) => m.agentId === a.id).map((m) => m.teamId),
      lastAssignedAt: l?.last ? new Date(l.last) : null,
    };
  });
}

async function loadQueue(deps: Deps): Promise<Queued[]> {
  const rows = await deps.db
    .select({ c: conversations, vip: contacts.vipLevel })
    .from(conversations)
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(
      and(
        eq(conversations.status, 'open'),
        isNull(conversations.assigneeId),
        eq(conversations.handler, 'human'),
        isNull(conversations.mergedIntoId),
      ),
    );
  return rows.map(({ c, vip }) => ({
    id: c.id,
    contactId: c.contactId,
    number: c.number,
    teamId: c.teamId,
    language: c.language,
    priority: c.priority,
    vipLevel: vip,
    requiredSkills: [],
    queuedAt: c.queuedAt ?? c.createdAt,
    tier: c.tier,
    toldOutsideHours: 'outsideHoursNotified' in c.fields,
  }));
}

/** A conversation in the queue, with what telling its customer needs. */
type Queued = WaitingConversation & {
  contactId: string;
  number: number;
  /** The customer was told when a person will reply (outside business hours). */
  toldOutsideHours: boolean;
};

/**
 * Assigns waiting conversations to free agents (capacity, language, skills, VIP, longest wait),
 * then tells everyone still waiting their position and estimated wait.
 */
export async function runAssignment(deps: Deps): Promise<{ assigned: number }> {
  const now = deps.clock.now();
  const plan = await deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${ROUTING_LOCK})`);
    const txDeps = { ...deps, db: tx as unknown as Deps['db'] };
    const queue = await loadQueue(txDeps);
    const candidates = await loadAgents(txDeps);
    const assignments = planAssignments(queue, candidates);
    const applied: { conversationId: string; agentId: string }[] = [];
    for (const a of assignments) {
      const done = await tx
        .update(conversations)
        .set({ assigneeId: a.agentId, assignedAt: now, updatedAt: now })
        .where(and(eq(conversations.id, a.conversationId), isNull(conversations.assigneeId)))
        .returning({ id: conversations.id });
      if (done.length === 0) continue;
      applied.push(a);
      // The timeline shows who took the conversation, as for a manual assignment.
      const after = await nextSeq(tx, a.conversationId, { updatedAt: now });
      await tx.insert(messages).values({
        conversationId: a.conversationId,
        seq: after.lastSeq,
        senderType: 'system',
        private: true,
        text: 'assigned',
        meta: { kind: 'event', event: 'assigned', agentId: a.agentId, by: 'routing' },
        createdAt: now,
      });
      await enqueueWebhookEvent(tx, {
        event: 'conversation.assigned',
        conversationId: a.conversationId,
        at: now.toISOString(),
        change: { from: null, to: a.agentId },
      });
      await recordAudit(
        tx,
        { type: 'system', id: null },
        {
          action: 'conversation.assigned',
          targetType: 'conversation',
          targetId: a.conversationId,
          data: { agentId: a.agentId, by: 'routing' },
        },
      );
    }
    const assignedIds = new Set(applied.map((a) => a.conversationId));
    return { applied, waiting: queue.filter((q) => !assignedIds.has(q.id)), candidates };
  });

  for (const a of plan.applied) {
    const [row] = await deps.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, a.conversationId));
    const [agent] = await deps.db
      .select({ name: agents.name })
      .from(agents)
      .where(eq(agents.id, a.agentId));
    if (!row) continue;
    deps.publish({
      type: 'conversation.changed',
      audience: audienceOf(row),
      change: { conversationId: row.id, assigneeId: a.agentId, assigneeName: agent?.name ?? null },
      previousAssigneeId: null,
    });
    deps.publish({
      type: 'agent.notification',
      agentId: a.agentId,
      kind: 'assignment',
      conversationId: row.id,
      number: row.number,
    });
  }

  await announceQueue(deps, plan.waiting, plan.candidates);
  return { assigned: plan.applied.length };
}

async function recentHandlingSeconds(deps: Deps, teamId: string | null): Promise<number[]> {
  const since = new Date(deps.clock.now().getTime() - 7 * 24 * 3_600_000);
  const rows = await deps.db
    .select({
      s: sql<number>`extract(epoch from (${conversations.resolvedAt} - ${conversations.assignedAt}))::float8`,
    })
    .from(conversations)
    .where(
      and(
        isNotNull(conversations.resolvedAt),
        isNotNull(conversations.assignedAt),
        gt(conversations.resolvedAt, since),
        teamId ? eq(conversations.teamId, teamId) : isNull(conversations.teamId),
      ),
    )
    .limit(200);
  return rows.map((r) => Number(r.s)).filter((n) => Number.isFinite(n) && n >= 0);
}

async function announceQueue(deps: Deps, waiting: Queued[], candidates: CandidateAgent[]) {
  if (waiting.length === 0) return;
  const positions = queuePositions(waiting);
  // Read once per team, not once per waiting customer.
  const handlingByTeam = new Map<string | null, number[]>();
  const calendarByTeam = new Map<string | null, BusinessCalendar>();
  for (const w of waiting) {
    if (!handlingByTeam.has(w.teamId))
      handlingByTeam.set(w.teamId, await recentHandlingSeconds(deps, w.teamId));
    if (!calendarByTeam.has(w.teamId))
      calendarByTeam.set(w.teamId, await getTeamCalendar(deps.db, w.teamId));
    const online = candidates.filter(
      (c) =>
        c.active &&
        c.availability === 'online' &&
        (w.teamId === null || c.teamIds.includes(w.teamId)),
    ).length;
    const position = positions.get(w.id) ?? 1;
    const estimatedWaitSeconds = estimateWaitSeconds(
      position,
      handlingByTeam.get(w.teamId) ?? [],
      online,
    );
    deps.publish({
      type: 'queue.position',
      audience: {
        conversationId: w.id,
        contactId: w.contactId,
        teamId: w.teamId,
        assigneeId: null,
      },
      position: { conversationId: w.id, position, estimatedWaitSeconds },
    });
    await noticeOutsideHours(deps, w, calendarByTeam.get(w.teamId) ?? ALWAYS_OPEN);
  }
}

/** Outside the team's hours the customer is told once when a person will reply; the ticket stays queued. */
async function noticeOutsideHours(
  deps: Deps,
  w: Pick<Queued, 'id' | 'language' | 'number' | 'toldOutsideHours'>,
  calendar: BusinessCalendar,
) {
  const now = deps.clock.now();
  if (w.toldOutsideHours || isOpen(calendar, now)) return;
  // The mark and the notice commit together: a failure leaves neither, and the next run tells.
  const event = await deps.db.transaction(async (tx) => {
    const claimed = await tx
      .update(conversations)
      .set({ fields: sql`${conversations.fields} || '{"outsideHoursNotified": true}'::jsonb` })
      .where(
        and(
          eq(conversations.id, w.id),
          sql`not (${conversations.fields} ? 'outsideHoursNotified')`,
        ),
      )
      .returning({ id: conversations.id });
    if (claimed.length === 0) return null;
    // Worked out only for a customer not told yet (every routing run passes here).
    const opening = nextOpening(calendar, now);
    const locale = w.language === 'zh-CN' ? 'zh-CN' : 'en';
    const time = opening
      ? `${new Intl.DateTimeFormat(locale, {
          dateStyle: 'medium',
          timeStyle: 'short',
          timeZone: calendar.timezone,
        }).format(opening)} (${calendar.timezone})`
      : '—';
    const notice = await writeSystemMessage(tx, deps, w.id, {
      text: translate(locale, 'customer.outsideHours', { time, number: w.number }),
      meta: { kind: 'outside_hours', nextOpening: opening?.toISOString() ?? null },
    });
    return notice.event;
  });
  if (!event) return;
  deps.publish(event);
  deps.kickJobs();
}
