import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { contacts } from '../contacts/schema.ts';
import { toMessage } from '../conversations/queries.ts';
import { conversations, messages } from '../conversations/schema.ts';
import type { Deps } from '../deps.ts';
import { cancelJob, enqueueJob } from '../jobs/queue.ts';
import { audienceOf, nextSeq } from '../pipeline/accept-inbound.ts';
import { scheduleRouting } from '../routing/schedule.ts';
import { getTeamCalendar } from '../teams/teams.ts';
import { enqueueWebhookEvent } from '../webhooks/dispatch-event.ts';
import { slaPolicies } from './schema.ts';
import {
  computeDeadlines,
  nextSlaCheck,
  type SlaDeadlines,
  type SlaPolicy,
  selectPolicy,
  slaStatus,
} from './sla-clock.ts';

type PolicyRow = typeof slaPolicies.$inferSelect;

export function toSlaPolicy(row: PolicyRow): SlaPolicy {
  return {
    id: row.id,
    name: row.name,
    priority: row.priority,
    vipMin: row.vipMin,
    channel: row.channel,
    businessHoursOnly: row.businessHoursOnly,
    targets: {
      firstResponseMinutes: row.firstResponseMinutes,
      nextResponseMinutes: row.nextResponseMinutes,
      resolutionMinutes: row.resolutionMinutes,
    },
    warnBeforeMinutes: row.warnBeforeMinutes,
    position: row.position,
  };
}

const TARGETS = ['firstResponse', 'nextResponse', 'resolution'] as const;
type Target = (typeof TARGETS)[number];
const dueOf = (d: SlaDeadlines, t: Target) =>
  t === 'firstResponse'
    ? d.firstResponseDueAt
    : t === 'nextResponse'
      ? d.nextResponseDueAt
      : d.resolutionDueAt;

const RAISE: Record<string, 'low' | 'normal' | 'high' | 'urgent'> = {
  low: 'normal',
  normal: 'high',
  high: 'urgent',
  urgent: 'urgent',
};

/**
 * Recomputes a conversation's SLA deadlines and state, applies what a newly reached warning or
 * breach does, and schedules the next check as a durable job (so timers survive restarts).
 */
export async function updateSla(deps: Deps, conversationId: string): Promise<void> {
  const now = deps.clock.now();
  const effects = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ c: conversations, vip: contacts.vipLevel })
      .from(conversations)
      .innerJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(eq(conversations.id, conversationId))
      .for('update', { of: conversations });
    if (!row) return null;
    const c = row.c;
    const policies = (await tx.select().from(slaPolicies).where(eq(slaPolicies.active, true))).map(
      (p) => ({ row: p, policy: toSlaPolicy(p) }),
    );
    const chosen = selectPolicy(
      policies.map((p) => p.policy),
      { priority: c.priority, vipLevel: row.vip, channel: c.channel },
    );
    const policyRow = policies.find((p) => p.policy.id === chosen?.id)?.row;
    const closed = c.status === 'resolved' || c.status === 'closed' || c.mergedIntoId !== null;
    const deadlines: SlaDeadlines =
      chosen && !closed
        ? computeDeadlines(chosen, await getTeamCalendar(tx, c.teamId), {
            createdAt: c.createdAt,
            firstAgentReplyAt: c.firstAgentReplyAt,
            lastCustomerMessageAt: c.lastCustomerMessageAt,
            lastAgentReplyAt: c.lastAgentReplyAt,
            resolvedAt: c.resolvedAt,
          })
        : { firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null };
    const warnBefore = chosen?.warnBeforeMinutes ?? 0;
    const state: Record<string, string> = {};
    const reached: { target: Target; status: 'warning' | 'breached'; dueAt: Date }[] = [];
    for (const t of TARGETS) {
      const due = dueOf(deadlines, t);
      if (!due) continue;
      const status = slaStatus(due, warnBefore, now);
      // A timer keyed by its due time: a new deadline for the same target starts over.
      const key = `${t}@${due.toISOString()}`;
      state[t] = status;
      state[`${t}Key`] = key;
      const previous = c.slaState[`${t}Key`] === key ? c.slaState[t] : 'ok';
      if (status !== 'ok' && status !== previous && !(previous === 'breached'))
        reached.push({ target: t, status, dueAt: due });
    }

    const set: Partial<typeof conversations.$inferInsert> = {
      slaPolicyId: chosen?.id ?? null,
      firstResponseDueAt: deadlines.firstResponseDueAt,
      nextResponseDueAt: deadlines.nextResponseDueAt,
      resolutionDueAt: deadlines.resolutionDueAt,
      slaState: state,
    };
    const breaches = reached.filter((r) => r.status === 'breached');
    const actions = policyRow?.breachActions;
    let reroute = false;
    if (breaches.length > 0 && actions) {
      if (actions.raisePriority) set.priority = RAISE[c.priority] ?? c.priority;
      if (actions.reassignToTeamId && actions.reassignToTeamId !== c.teamId) {
        set.teamId = actions.reassignToTeamId;
        set.assigneeId = null;
        set.assignedAt = null;
        set.queuedAt = now;
        reroute = true;
      }
    }
    await tx.update(conversations).set(set).where(eq(conversations.id, c.id));
    const events = [];
    for (const r of reached) {
      const after = await nextSeq(tx, c.id);
      const [event] = await tx
        .insert(messages)
        .values({
          conversationId: c.id,
          seq: after.lastSeq,
          senderType: 'system',
          private: true,
          text: `sla_${r.status}`,
          meta: {
            kind: 'event',
            event: `sla_${r.status}`,
            target: r.target,
            dueAt: r.dueAt.toISOString(),
            policyId: chosen?.id ?? null,
          },
          createdAt: now,
        })
        .returning();
      if (event) events.push(event);
      await recordAudit(
        tx,
        { type: 'system', id: null },
        {
          action: `sla.${r.status}`,
          targetType: 'conversation',
          targetId: c.id,
          data: {
            target: r.target,
            dueAt: r.dueAt.toISOString(),
            actions: r.status === 'breached' ? (actions ?? null) : null,
          },
        },
      );
    }
    if (reroute) {
      await scheduleRouting(tx);
      if (c.assigneeId) {
        await enqueueWebhookEvent(tx, {
          event: 'conversation.assigned',
          conversationId: c.id,
          at: now.toISOString(),
          change: { from: c.assigneeId, to: null },
        });
      }
    }
    const next = nextSlaCheck(deadlines, warnBefore, now);
    if (next)
      await enqueueJob(tx, {
        queue: 'sla.check',
        payload: { conversationId: c.id },
        runAt: next,
        singletonKey: `sla.check:${c.id}`,
      });
    else await cancelJob(tx, `sla.check:${c.id}`);
    const [after] = await tx.select().from(conversations).where(eq(conversations.id, c.id));
    return {
      before: c,
      after,
      reached,
      events,
      notifySupervisors: breaches.length > 0 && (actions?.notifySupervisors ?? false),
    };
  });
  if (!effects?.after) return;
  const { before, after } = effects;
  const audience = audienceOf(after);
  for (const event of effects.events)
    deps.publish({ type: 'message.created', audience, message: toMessage(event) });
  if (
    effects.reached.length > 0 ||
    after.priority !== before.priority ||
    after.teamId !== before.teamId
  ) {
    deps.publish({
      type: 'conversation.changed',
      audience,
      change: {
        conversationId: after.id,
        priority: after.priority,
        teamId: after.teamId,
        ...(after.assigneeId !== before.assigneeId
          ? { assigneeId: after.assigneeId, assigneeName: null }
          : {}),
      },
      previousAssigneeId: before.assigneeId,
    });
  }
  for (const r of effects.reached) {
    const agentId = after.assigneeId ?? before.assigneeId;
    if (agentId) {
      deps.publish({
        type: 'agent.notification',
        agentId,
        kind: r.status === 'warning' ? 'sla_warning' : 'sla_breach',
        conversationId: after.id,
        number: after.number,
      });
    }
  }
  if (effects.notifySupervisors)
    deps.publish({
      type: 'supervisors.notification',
      kind: 'sla_breach',
      conversationId: after.id,
      number: after.number,
    });
  deps.kickJobs();
}

/** The queue of SLA recomputes; one pending job per conversation, keyed `sla.update:<id>`. */
export const SLA_UPDATE_QUEUE = 'sla.update';

/** Enqueue a recompute in the caller's transaction (new message, reply, status or priority change). */
export function scheduleSlaUpdate(tx: Parameters<typeof enqueueJob>[0], conversationId: string) {
  return enqueueJob(tx, {
    queue: SLA_UPDATE_QUEUE,
    payload: { conversationId },
    singletonKey: `${SLA_UPDATE_QUEUE}:${conversationId}`,
  });
}
