import { describe, expect, it } from 'vitest';
import type { BusinessCalendar } from './business-hours.ts';
import { ALWAYS_OPEN } from './business-hours.ts';
import type { SlaDeadlines, SlaEvents, SlaPolicy } from './sla-clock.ts';
import { computeDeadlines, nextSlaCheck, selectPolicy, slaStatus } from './sla-clock.ts';

const at = (iso: string): Date => new Date(iso);

function policy(overrides: Partial<SlaPolicy> & Pick<SlaPolicy, 'id'>): SlaPolicy {
  return {
    name: overrides.id,
    priority: null,
    vipMin: null,
    channel: null,
    businessHoursOnly: false,
    targets: { firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 24 * 60 },
    warnBeforeMinutes: 15,
    position: 0,
    ...overrides,
  };
}

describe('selectPolicy', () => {
  const policies = [
    policy({ id: 'default', position: 10 }),
    policy({ id: 'urgent', priority: 'urgent', position: 5 }),
    policy({ id: 'vip', vipMin: 3, position: 1 }),
    policy({ id: 'urgent-vip', priority: 'urgent', vipMin: 3, position: 20 }),
    policy({ id: 'telegram', channel: 'telegram', position: 0 }),
  ];

  it('falls back to the catch-all policy', () => {
    expect(selectPolicy(policies, { priority: 'normal', vipLevel: 0, channel: 'web' })?.id).toBe(
      'default',
    );
  });

  it('prefers more matched conditions over a lower position', () => {
    expect(selectPolicy(policies, { priority: 'urgent', vipLevel: 5, channel: 'web' })?.id).toBe(
      'urgent-vip',
    );
  });

  it('breaks equal specificity by lowest position, then id, whatever the input order', () => {
    const subject = { priority: 'urgent', vipLevel: 0, channel: 'telegram' } as const;
    expect(selectPolicy(policies, subject)?.id).toBe('telegram');
    expect(selectPolicy([...policies].reverse(), subject)?.id).toBe('telegram');
    const twins = [policy({ id: 'b', position: 3 }), policy({ id: 'a', position: 3 })];
    expect(selectPolicy(twins, subject)?.id).toBe('a');
    expect(selectPolicy([...twins].reverse(), subject)?.id).toBe('a');
  });

  it('matches a VIP minimum as "at least"', () => {
    expect(selectPolicy(policies, { priority: 'low', vipLevel: 3, channel: 'email' })?.id).toBe(
      'vip',
    );
    expect(selectPolicy(policies, { priority: 'low', vipLevel: 2, channel: 'email' })?.id).toBe(
      'default',
    );
  });

  it('returns null when nothing matches', () => {
    const specific = policies.filter((p) => p.id !== 'default');
    expect(selectPolicy(specific, { priority: 'low', vipLevel: 0, channel: 'email' })).toBeNull();
    expect(selectPolicy([], { priority: 'low', vipLevel: 0, channel: 'email' })).toBeNull();
  });
});

describe('computeDeadlines', () => {
  const standard = policy({ id: 'standard' });
  const fresh: SlaEvents = {
    createdAt: at('2026-06-03T10:00:00Z'),
    firstAgentReplyAt: null,
    lastCustomerMessageAt: at('2026-06-03T10:00:00Z'),
    lastAgentReplyAt: null,
    resolvedAt: null,
  };

  it('runs first response and resolution from creation in calendar time', () => {
    expect(computeDeadlines(standard, ALWAYS_OPEN, fresh)).toEqual({
      firstResponseDueAt: at('2026-06-03T11:00:00Z'),
      nextResponseDueAt: null,
      resolutionDueAt: at('2026-06-04T10:00:00Z'),
    });
  });

  it('does not start the next-response clock before the first reply', () => {
    const waiting = { ...fresh, lastCustomerMessageAt: at('2026-06-03T10:20:00Z') };
    expect(computeDeadlines(standard, ALWAYS_OPEN, waiting)).toMatchObject({
      firstResponseDueAt: at('2026-06-03T11:00:00Z'),
      nextResponseDueAt: null,
    });
  });

  it('starts the next-response clock at a customer message the agent has not answered', () => {
    const replied = {
      ...fresh,
      firstAgentReplyAt: at('2026-06-03T10:30:00Z'),
      lastAgentReplyAt: at('2026-06-03T10:30:00Z'),
    };
    // The customer's messages so far were all before the reply.
    expect(computeDeadlines(standard, ALWAYS_OPEN, replied).nextResponseDueAt).toBeNull();
    const followUp = { ...replied, lastCustomerMessageAt: at('2026-06-03T10:40:00Z') };
    expect(computeDeadlines(standard, ALWAYS_OPEN, followUp)).toEqual({
      firstResponseDueAt: null,
      nextResponseDueAt: at('2026-06-03T11:10:00Z'),
      resolutionDueAt: at('2026-06-04T10:00:00Z'),
    });
    const answered = { ...followUp, lastAgentReplyAt: at('2026-06-03T10:50:00Z') };
    expect(computeDeadlines(standard, ALWAYS_OPEN, answered).nextResponseDueAt).toBeNull();
    // A reply in the same millisecond answers the message.
    const sameInstant = { ...followUp, lastAgentReplyAt: at('2026-06-03T10:40:00Z') };
    expect(computeDeadlines(standard, ALWAYS_OPEN, sameInstant).nextResponseDueAt).toBeNull();
  });

  it('uses the first reply when lastAgentReplyAt is missing', () => {
    const events = {
      ...fresh,
      firstAgentReplyAt: at('2026-06-03T10:30:00Z'),
      lastCustomerMessageAt: at('2026-06-03T10:20:00Z'),
    };
    expect(computeDeadlines(standard, ALWAYS_OPEN, events).nextResponseDueAt).toBeNull();
    const later = { ...events, lastCustomerMessageAt: at('2026-06-03T10:45:00Z') };
    expect(computeDeadlines(standard, ALWAYS_OPEN, later).nextResponseDueAt).toEqual(
      at('2026-06-03T11:15:00Z'),
    );
  });

  it('has nothing pending once resolved', () => {
    const resolved = { ...fresh, resolvedAt: at('2026-06-03T10:05:00Z') };
    expect(computeDeadlines(standard, ALWAYS_OPEN, resolved)).toEqual({
      firstResponseDueAt: null,
      nextResponseDueAt: null,
      resolutionDueAt: null,
    });
  });

  it('leaves a target without minutes unset', () => {
    const noResolution = policy({
      id: 'chat',
      targets: { firstResponseMinutes: 5, nextResponseMinutes: null, resolutionMinutes: null },
    });
    const followUp = {
      ...fresh,
      firstAgentReplyAt: at('2026-06-03T10:01:00Z'),
      lastCustomerMessageAt: at('2026-06-03T10:02:00Z'),
    };
    expect(computeDeadlines(noResolution, ALWAYS_OPEN, fresh)).toEqual({
      firstResponseDueAt: at('2026-06-03T10:05:00Z'),
      nextResponseDueAt: null,
      resolutionDueAt: null,
    });
    expect(computeDeadlines(noResolution, ALWAYS_OPEN, followUp).nextResponseDueAt).toBeNull();
  });

  describe('with business hours only (Shanghai 09:00–18:00, Mon–Fri)', () => {
    const shanghai: BusinessCalendar = {
      timezone: 'Asia/Shanghai',
      weekly: ([1, 2, 3, 4, 5] as const).map((day) => ({ day, open: '09:00', close: '18:00' })),
      holidays: [{ date: '2026-10-01' }],
    };
    const businessHours = policy({
      id: 'business',
      businessHoursOnly: true,
      targets: { firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 8 * 60 },
    });

    it('pauses the clocks over the weekend', () => {
      const friday = at('2026-06-05T17:30:00+08:00');
      const events = { ...fresh, createdAt: friday, lastCustomerMessageAt: friday };
      expect(computeDeadlines(businessHours, shanghai, events)).toEqual({
        firstResponseDueAt: at('2026-06-08T09:30:00+08:00'),
        nextResponseDueAt: null,
        // 30 minutes on Friday, 7h30 on Monday.
        resolutionDueAt: at('2026-06-08T16:30:00+08:00'),
      });
      const saturdayMessage = {
        ...events,
        firstAgentReplyAt: at('2026-06-05T17:45:00+08:00'),
        lastAgentReplyAt: at('2026-06-05T17:45:00+08:00'),
        lastCustomerMessageAt: at('2026-06-06T11:00:00+08:00'),
      };
      expect(computeDeadlines(businessHours, shanghai, saturdayMessage).nextResponseDueAt).toEqual(
        at('2026-06-08T09:30:00+08:00'),
      );
    });

    it('pauses the clocks on a holiday', () => {
      const eve = at('2026-09-30T17:30:00+08:00');
      const events = { ...fresh, createdAt: eve, lastCustomerMessageAt: eve };
      expect(computeDeadlines(businessHours, shanghai, events).firstResponseDueAt).toEqual(
        at('2026-10-02T09:30:00+08:00'),
      );
    });

    it('counts calendar time when the policy is not business-hours-only', () => {
      const friday = at('2026-06-05T17:30:00+08:00');
      const events = { ...fresh, createdAt: friday, lastCustomerMessageAt: friday };
      const allHours = { ...businessHours, businessHoursOnly: false };
      expect(computeDeadlines(allHours, shanghai, events).firstResponseDueAt).toEqual(
        at('2026-06-05T18:30:00+08:00'),
      );
    });
  });
});

describe('slaStatus', () => {
  const due = at('2026-06-03T12:00:00Z');

  it('is ok, then warning within warnBeforeMinutes, then breached from the due instant', () => {
    expect(slaStatus(due, 15, at('2026-06-03T11:44:59.999Z'))).toBe('ok');
    expect(slaStatus(due, 15, at('2026-06-03T11:45:00Z'))).toBe('warning');
    expect(slaStatus(due, 15, at('2026-06-03T11:59:59.999Z'))).toBe('warning');
    expect(slaStatus(due, 15, at('2026-06-03T12:00:00Z'))).toBe('breached');
    expect(slaStatus(due, 15, at('2026-06-04T12:00:00Z'))).toBe('breached');
  });

  it('has no warning phase without a warning window, and nothing to breach without a deadline', () => {
    expect(slaStatus(due, 0, at('2026-06-03T11:59:00Z'))).toBe('ok');
    expect(slaStatus(null, 15, at('2030-01-01T00:00:00Z'))).toBe('ok');
  });
});

describe('nextSlaCheck', () => {
  const deadlines: SlaDeadlines = {
    firstResponseDueAt: at('2026-06-03T12:00:00Z'),
    nextResponseDueAt: null,
    resolutionDueAt: at('2026-06-03T18:00:00Z'),
  };

  it('gives the earliest future warn or due instant', () => {
    expect(nextSlaCheck(deadlines, 15, at('2026-06-03T11:00:00Z'))).toEqual(
      at('2026-06-03T11:45:00Z'),
    );
    expect(nextSlaCheck(deadlines, 15, at('2026-06-03T11:45:00Z'))).toEqual(
      at('2026-06-03T12:00:00Z'),
    );
    expect(nextSlaCheck(deadlines, 15, at('2026-06-03T12:00:00Z'))).toEqual(
      at('2026-06-03T17:45:00Z'),
    );
    expect(nextSlaCheck(deadlines, 0, at('2026-06-03T12:00:00Z'))).toEqual(
      at('2026-06-03T18:00:00Z'),
    );
  });

  it('is null when every deadline has passed or none is set', () => {
    expect(nextSlaCheck(deadlines, 15, at('2026-06-03T18:00:00Z'))).toBeNull();
    const none = { firstResponseDueAt: null, nextResponseDueAt: null, resolutionDueAt: null };
    expect(nextSlaCheck(none, 15, at('2026-06-03T11:00:00Z'))).toBeNull();
  });

  it('drives a timer through every status change in order', () => {
    const seen: string[] = [];
    let now: Date | null = at('2026-06-03T09:00:00Z');
    while (now) {
      now = nextSlaCheck(deadlines, 15, now);
      if (now) {
        const first = slaStatus(deadlines.firstResponseDueAt, 15, now);
        const resolution = slaStatus(deadlines.resolutionDueAt, 15, now);
        seen.push(`${now.toISOString().slice(11, 16)} ${first}/${resolution}`);
      }
    }
    expect(seen).toEqual([
      '11:45 warning/ok',
      '12:00 breached/ok',
      '17:45 breached/warning',
      '18:00 breached/breached',
    ]);
  });
});
