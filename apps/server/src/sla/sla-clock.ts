import type { BusinessCalendar } from './business-hours.ts';
import { addBusinessTime } from './business-hours.ts';

export type SlaTargets = {
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
};

export type SlaPriority = 'low' | 'normal' | 'high' | 'urgent';

export type SlaPolicy = {
  id: string;
  name: string;
  /** null matches any priority. */
  priority: SlaPriority | null;
  /** Matches contacts whose VIP level is at least this; null matches anyone. */
  vipMin: number | null;
  /** null matches any channel. */
  channel: string | null;
  businessHoursOnly: boolean;
  targets: SlaTargets;
  warnBeforeMinutes: number;
  position: number;
};

export type SlaSubject = { priority: SlaPriority; vipLevel: number; channel: string };

export type SlaDeadlines = {
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
};

export type SlaEvents = {
  createdAt: Date;
  firstAgentReplyAt: Date | null;
  lastCustomerMessageAt: Date | null;
  lastAgentReplyAt: Date | null;
  resolvedAt: Date | null;
};

export type SlaStatus = 'ok' | 'warning' | 'breached';

const MINUTE = 60_000;

/** Number of conditions the policy sets and the subject satisfies, or null when one fails. */
function specificity(policy: SlaPolicy, subject: SlaSubject): number | null {
  let score = 0;
  if (policy.priority !== null) {
    if (policy.priority !== subject.priority) return null;
    score++;
  }
  if (policy.vipMin !== null) {
    if (subject.vipLevel < policy.vipMin) return null;
    score++;
  }
  if (policy.channel !== null) {
    if (policy.channel !== subject.channel) return null;
    score++;
  }
  return score;
}

/**
 * The matching policy with the most matched conditions; ties go to the lowest position (the
 * admin's ordering), then the id so the choice never depends on the input order.
 */
export function selectPolicy(policies: SlaPolicy[], subject: SlaSubject): SlaPolicy | null {
  let best: { policy: SlaPolicy; score: number } | null = null;
  for (const policy of policies) {
    const score = specificity(policy, subject);
    if (score === null) continue;
    if (
      best === null ||
      score > best.score ||
      (score === best.score &&
        (policy.position < best.policy.position ||
          (policy.position === best.policy.position && policy.id < best.policy.id)))
    ) {
      best = { policy, score };
    }
  }
  return best?.policy ?? null;
}

/**
 * Deadlines still pending; a met (or no longer applicable) target is null. Once resolved,
 * nothing is pending: the conversation domain clears resolvedAt when it reopens a ticket.
 */
export function computeDeadlines(
  policy: SlaPolicy,
  calendar: BusinessCalendar,
  events: SlaEvents,
): SlaDeadlines {
  const due = (from: Date, minutes: number | null): Date | null => {
    if (minutes === null) return null;
    return policy.businessHoursOnly
      ? addBusinessTime(calendar, from, minutes * MINUTE)
      : new Date(from.getTime() + minutes * MINUTE);
  };
  if (events.resolvedAt !== null) {
    return { firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null };
  }

  const { targets } = policy;
  const firstResponseDueAt =
    events.firstAgentReplyAt === null ? due(events.createdAt, targets.firstResponseMinutes) : null;

  // Before the first reply the customer is waiting on the first-response clock, not this one.
  let nextResponseDueAt: Date | null = null;
  if (events.firstAgentReplyAt !== null && events.lastCustomerMessageAt !== null) {
    // A stored lastAgentReplyAt may lag firstAgentReplyAt; the later of the two is the last reply.
    const lastReply = Math.max(
      events.firstAgentReplyAt.getTime(),
      events.lastAgentReplyAt?.getTime() ?? Number.NEGATIVE_INFINITY,
    );
    // A reply in the same millisecond as the message counts as answering it.
    if (events.lastCustomerMessageAt.getTime() > lastReply) {
      nextResponseDueAt = due(events.lastCustomerMessageAt, targets.nextResponseMinutes);
    }
  }

  const resolutionDueAt = due(events.createdAt, targets.resolutionMinutes);
  return { firstResponseDueAt, nextResponseDueAt, resolutionDueAt };
}

/**
 * Breached from the due instant itself (so a timer fired at dueAt sees a breach); warning from
 * warnBeforeMinutes of calendar time before it, even under business hours, since agents may
 * act on a warning outside them.
 */
export function slaStatus(dueAt: Date | null, warnBeforeMinutes: number, now: Date): SlaStatus {
  if (dueAt === null) return 'ok';
  const t = now.getTime();
  if (t >= dueAt.getTime()) return 'breached';
  if (warnBeforeMinutes > 0 && t >= dueAt.getTime() - warnBeforeMinutes * MINUTE) return 'warning';
  return 'ok';
}

/**
 * The earliest warn or due instant strictly after now, for a durable timer. Instants at or
 * before now are already reflected by slaStatus(…, now), which the caller acts on itself.
 */
export function nextSlaCheck(
  deadlines: SlaDeadlines,
  warnBeforeMinutes: number,
  now: Date,
): Date | null {
  const t = now.getTime();
  let next: number | null = null;
  for (const dueAt of [
    deadlines.firstResponseDueAt,
    deadlines.nextResponseDueAt,
    deadlines.resolutionDueAt,
  ]) {
    if (dueAt === null) continue;
    const candidates = [dueAt.getTime()];
    if (warnBeforeMinutes > 0) candidates.push(dueAt.getTime() - warnBeforeMinutes * MINUTE);
    for (const candidate of candidates) {
      if (candidate > t && (next === null || candidate < next)) next = candidate;
    }
  }
  return next === null ? null : new Date(next);
}
