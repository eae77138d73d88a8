import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CandidateAgent,
  compareQueue,
  eligibleAgents,
  estimateWaitSeconds,
  pickAgent,
  planAssignments,
  queuePositions,
  type WaitingConversation,
} from './assignment-policy.ts';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const at = (minutes: number): Date => new Date(T0 + minutes * 60_000);

function agent(id: string, overrides: Partial<CandidateAgent> = {}): CandidateAgent {
  return {
    id,
    availability: 'online',
    active: true,
    capacity: 3,
    openAssigned: 0,
    languages: ['en', 'zh'],
    skills: [],
    teamIds: ['t1'],
    lastAssignedAt: null,
    ...overrides,
  };
}

function conversation(
  id: string,
  overrides: Partial<WaitingConversation> = {},
): WaitingConversation {
  return {
    id,
    teamId: 't1',
    language: null,
    priority: 'normal',
    vipLevel: 0,
    requiredSkills: [],
    queuedAt: at(0),
    tier: 'L1',
    ...overrides,
  };
}

const ids = (list: { id: string }[]): string[] => list.map((item) => item.id);
const sortedIds = (list: WaitingConversation[]): string[] => ids([...list].sort(compareQueue));

describe('compareQueue', () => {
  it('puts urgent before a VIP at normal priority', () => {
    const vip = conversation('vip', { vipLevel: 5, queuedAt: at(0) });
    const urgent = conversation('urgent', { priority: 'urgent', queuedAt: at(10) });
    expect(sortedIds([vip, urgent])).toEqual(['urgent', 'vip']);
  });

  it('orders every priority level urgent > high > normal > low', () => {
    const list = (['low', 'normal', 'urgent', 'high'] as const).map((priority) =>
      conversation(priority, { priority }),
    );
    expect(sortedIds(list)).toEqual(['urgent', 'high', 'normal', 'low']);
  });

  it('puts VIP before non-VIP at the same priority, higher VIP first', () => {
    const plain = conversation('plain', { queuedAt: at(0) });
    const vip1 = conversation('vip1', { vipLevel: 1, queuedAt: at(5) });
    const vip3 = conversation('vip3', { vipLevel: 3, queuedAt: at(9) });
    expect(sortedIds([plain, vip1, vip3])).toEqual(['vip3', 'vip1', 'plain']);
  });

  it('serves the longest waiting first, then by id for stability', () => {
    const late = conversation('a-late', { queuedAt: at(7) });
    const early = conversation('z-early', { queuedAt: at(1) });
    const tieB = conversation('b', { queuedAt: at(3) });
    const tieA = conversation('a', { queuedAt: at(3) });
    expect(sortedIds([late, tieB, early, tieA])).toEqual(['z-early', 'a', 'b', 'a-late']);
  });

  it('is a consistent total order (antisymmetric, zero only for the same id)', () => {
    const arbConversation = fc.record({
      id: fc.constantFrom('a', 'b', 'c'),
      priority: fc.constantFrom('low', 'normal', 'high', 'urgent') as fc.Arbitrary<
        WaitingConversation['priority']
      >,
      vipLevel: fc.integer({ min: 0, max: 2 }),
      minute: fc.integer({ min: 0, max: 2 }),
    });
    fc.assert(
      fc.property(arbConversation, arbConversation, (x, y) => {
        const a = conversation(x.id, { ...x, queuedAt: at(x.minute) });
        const b = conversation(y.id, { ...y, queuedAt: at(y.minute) });
        expect(Math.sign(compareQueue(a, b)) + Math.sign(compareQueue(b, a))).toBe(0);
        if (a.id !== b.id) expect(compareQueue(a, b)).not.toBe(0);
      }),
    );
  });
});

describe('eligibleAgents', () => {
  it('never offers work to away, offline or inactive agents', () => {
    const agents = [
      agent('online'),
      agent('away', { availability: 'away' }),
      agent('offline', { availability: 'offline' }),
      agent('inactive', { active: false }),
    ];
    expect(ids(eligibleAgents(conversation('c'), agents))).toEqual(['online']);
  });

  it('requires free capacity', () => {
    const agents = [
      agent('full', { capacity: 2, openAssigned: 2 }),
      agent('over', { capacity: 2, openAssigned: 5 }),
      agent('zero', { capacity: 0 }),
      agent('one-left', { capacity: 2, openAssigned: 1 }),
    ];
    expect(ids(eligibleAgents(conversation('c'), agents))).toEqual(['one-left']);
  });

  it('matches languages by primary subtag: a zh-CN customer reaches a zh speaker, never en-only', () => {
    const agents = [
      agent('en-only', { languages: ['en'] }),
      agent('zh', { languages: ['zh'] }),
      agent('zh-tw', { languages: ['zh-TW'] }),
      agent('upper', { languages: ['ZH_cn'] }),
    ];
    const zhCN = conversation('c', { language: 'zh-CN' });
    expect(ids(eligibleAgents(zhCN, agents))).toEqual(['zh', 'zh-tw', 'upper']);
    expect(pickAgent(zhCN, [agents[0] as CandidateAgent])).toBeNull();
    const en = conversation('e', { language: 'en-US' });
    expect(ids(eligibleAgents(en, agents))).toEqual(['en-only']);
  });

  it('lets anyone take a conversation with no language', () => {
    const agents = [agent('en', { languages: ['en'] }), agent('none', { languages: [] })];
    expect(ids(eligibleAgents(conversation('c', { language: null }), agents))).toEqual([
      'en',
      'none',
    ]);
  });

  it('requires every required skill', () => {
    const agents = [
      agent('none'),
      agent('kyc', { skills: ['kyc'] }),
      agent('both', { skills: ['deposits', 'kyc'] }),
    ];
    const needsBoth = conversation('c', { requiredSkills: ['kyc', 'deposits'] });
    expect(ids(eligibleAgents(needsBoth, agents))).toEqual(['both']);
    const needsKyc = conversation('k', { requiredSkills: ['kyc'] });
    expect(ids(eligibleAgents(needsKyc, agents))).toEqual(['kyc', 'both']);
  });

  it('requires team membership when the conversation has a team, and not otherwise', () => {
    const agents = [
      agent('l1', { teamIds: ['l1'] }),
      agent('l2', { teamIds: ['l2'] }),
      agent('both', { teamIds: ['l1', 'l2'] }),
      agent('teamless', { teamIds: [] }),
    ];
    expect(ids(eligibleAgents(conversation('c', { teamId: 'l2' }), agents))).toEqual([
      'l2',
      'both',
    ]);
    expect(ids(eligibleAgents(conversation('c', { teamId: null }), agents))).toEqual(ids(agents));
  });
});

describe('pickAgent', () => {
  it('prefers the largest free capacity ratio, not the most free slots', () => {
    const big = agent('big', { capacity: 10, openAssigned: 5 }); // 5 free, ratio 0.5
    const small = agent('small', { capacity: 2, openAssigned: 0 }); // 2 free, ratio 1
    expect(pickAgent(conversation('c'), [big, small])?.id).toBe('small');
  });

  it('breaks ratio ties by least recently assigned, never-assigned first, then id', () => {
    const recent = agent('a-recent', { lastAssignedAt: at(30) });
    const older = agent('b-older', { lastAssignedAt: at(10) });
    const never = agent('c-never', { lastAssignedAt: null });
    expect(pickAgent(conversation('c'), [recent, older, never])?.id).toBe('c-never');
    expect(pickAgent(conversation('c'), [recent, older])?.id).toBe('b-older');
    // Equal ratio 1/2 and 2/4 must tie exactly, leaving the id to decide.
    const x = agent('x', { capacity: 2, openAssigned: 1 });
    const w = agent('w', { capacity: 4, openAssigned: 2 });
    expect(pickAgent(conversation('c'), [x, w])?.id).toBe('w');
  });

  it('skips a better-loaded agent who is not eligible', () => {
    const idleEnglish = agent('idle-en', { languages: ['en'] });
    const busyChinese = agent('busy-zh', { languages: ['zh'], openAssigned: 2 });
    expect(pickAgent(conversation('c', { language: 'zh' }), [idleEnglish, busyChinese])?.id).toBe(
      'busy-zh',
    );
  });

  it('returns null when nobody is eligible', () => {
    expect(pickAgent(conversation('c'), [agent('away', { availability: 'away' })])).toBeNull();
    expect(pickAgent(conversation('c'), [])).toBeNull();
  });
});

describe('planAssignments', () => {
  it('never exceeds capacity across the plan', () => {
    const queue = ['c1', 'c2', 'c3', 'c4'].map((id, i) => conversation(id, { queuedAt: at(i) }));
    const plan = planAssignments(queue, [agent('a', { capacity: 3, openAssigned: 1 })]);
    expect(plan).toEqual([
      { conversationId: 'c1', agentId: 'a' },
      { conversationId: 'c2', agentId: 'a' },
    ]);
  });

  it('never gives work to away, offline or inactive agents', () => {
    const queue = ['c1', 'c2', 'c3'].map((id) => conversation(id));
    const agents = [
      agent('away', { availability: 'away' }),
      agent('offline', { availability: 'offline' }),
      agent('inactive', { active: false }),
    ];
    expect(planAssignments(queue, agents)).toEqual([]);
  });

  it('serves the queue in order when capacity is short', () => {
    const queue = [
      conversation('old-normal', { queuedAt: at(0) }),
      conversation('vip', { vipLevel: 2, queuedAt: at(5) }),
      conversation('urgent', { priority: 'urgent', queuedAt: at(9) }),
    ];
    const plan = planAssignments(queue, [agent('a', { capacity: 2 })]);
    expect(plan.map((a) => a.conversationId)).toEqual(['urgent', 'vip']);
  });

  it('does not let a conversation nobody can take block the ones behind it', () => {
    const queue = [
      conversation('first-ja', { priority: 'urgent', language: 'ja' }),
      conversation('second-kyc', { priority: 'high', requiredSkills: ['kyc'] }),
      conversation('third-en', { language: 'en' }),
    ];
    const plan = planAssignments(queue, [agent('en', { languages: ['en'], capacity: 1 })]);
    expect(plan).toEqual([{ conversationId: 'third-en', agentId: 'en' }]);
  });

  it('spreads load: two equally free agents alternate', () => {
    const queue = ['c1', 'c2', 'c3', 'c4'].map((id, i) => conversation(id, { queuedAt: at(i) }));
    const plan = planAssignments(queue, [agent('a', { capacity: 4 }), agent('b', { capacity: 4 })]);
    expect(plan.map((a) => a.agentId)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('puts an agent just assigned in the plan behind on the next tie', () => {
    // b 1 → 1/2; a 1 → 3/4 → 2/4; at the 2/4 tie b was served longer ago (ids alone say a).
    const b = agent('b', { capacity: 2 });
    const a = agent('a', { capacity: 4 });
    const queue = ['c1', 'c2', 'c3', 'c4'].map((id, i) => conversation(id, { queuedAt: at(i) }));
    expect(planAssignments(queue, [b, a]).map((x) => x.agentId)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('counts a plan assignment as later than any real lastAssignedAt, even a future one', () => {
    // x and y tie at 3/4 after y's first pick; y must now count as more recent than x.
    const x = agent('x', { capacity: 4, openAssigned: 1, lastAssignedAt: new Date('2100-01-01') });
    const y = agent('y', { capacity: 4, lastAssignedAt: null });
    const queue = ['c1', 'c2'].map((id, i) => conversation(id, { queuedAt: at(i) }));
    expect(planAssignments(queue, [x, y]).map((p) => p.agentId)).toEqual(['y', 'x']);
  });

  it('fills a much emptier agent first before alternating', () => {
    const busy = agent('busy', { capacity: 4, openAssigned: 2 });
    const idle = agent('idle', { capacity: 4, openAssigned: 0 });
    const queue = ['c1', 'c2', 'c3', 'c4'].map((id, i) => conversation(id, { queuedAt: at(i) }));
    // Free ratios: idle 1 → 3/4 → 2/4, now tied with busy, who was never assigned, so busy;
    // then busy 1/4 < idle 2/4.
    expect(planAssignments(queue, [busy, idle]).map((a) => a.agentId)).toEqual([
      'idle',
      'idle',
      'busy',
      'idle',
    ]);
  });

  it('assigns a conversation listed twice only once and leaves the inputs untouched', () => {
    const a = agent('a', { capacity: 5 });
    const c = conversation('c');
    const plan = planAssignments([c, c], [a]);
    expect(plan).toEqual([{ conversationId: 'c', agentId: 'a' }]);
    expect(a.openAssigned).toBe(0);
    expect(a.lastAssignedAt).toBeNull();
  });

  it('routes by team and language together', () => {
    const queue = [
      conversation('zh-l1', { teamId: 'l1', language: 'zh-CN' }),
      conversation('en-l2', { teamId: 'l2', language: 'en' }),
    ];
    const agents = [
      agent('l1-zh', { teamIds: ['l1'], languages: ['zh'] }),
      agent('l2-en', { teamIds: ['l2'], languages: ['en'] }),
    ];
    // Same priority and wait, so the id decides the order.
    expect(planAssignments(queue, agents)).toEqual([
      { conversationId: 'en-l2', agentId: 'l2-en' },
      { conversationId: 'zh-l1', agentId: 'l1-zh' },
    ]);
  });
});

// Independent oracle for eligibility (ignoring capacity, which the property checks separately),
// so a bug in eligibleAgents cannot hide behind itself.
function primary(tag: string): string {
  return (tag.split(/[-_]/)[0] ?? '').toLowerCase();
}
function staticallyEligible(c: WaitingConversation, a: CandidateAgent): boolean {
  return (
    a.availability === 'online' &&
    a.active &&
    (c.teamId === null || a.teamIds.includes(c.teamId)) &&
    (c.language === null || a.languages.some((l) => primary(l) === primary(c.language ?? ''))) &&
    c.requiredSkills.every((s) => a.skills.includes(s))
  );
}

const TEAMS = ['t1', 't2'];
const LANGS = ['en', 'en-US', 'zh', 'zh-CN', 'zh-TW'];
const SKILLS = ['kyc', 'deposits', 'api'];

const arbAgents = fc
  .uniqueArray(
    fc.record({
      id: fc.constantFrom('a1', 'a2', 'a3', 'a4', 'a5'),
      availability: fc.constantFrom<CandidateAgent['availability']>('online', 'away', 'offline'),
      active: fc.boolean(),
      capacity: fc.integer({ min: 0, max: 4 }),
      extraLoad: fc.integer({ min: 0, max: 6 }),
      languages: fc.subarray(LANGS),
      skills: fc.subarray(SKILLS),
      teamIds: fc.subarray(TEAMS),
      lastMinute: fc.option(fc.integer({ min: 0, max: 100 })),
    }),
    { selector: (a) => a.id, maxLength: 5 },
  )
  .map((list) =>
    list.map(
      ({ extraLoad, lastMinute, ...rest }): CandidateAgent => ({
        ...rest,
        // Mostly within capacity, sometimes over it (stale counters happen).
        openAssigned: Math.min(extraLoad, rest.capacity + 1),
        lastAssignedAt: lastMinute === null ? null : at(lastMinute),
      }),
    ),
  );

// Ids are unique here (as in a real queue); a repeated id has its own unit test above.
const arbQueue = fc
  .uniqueArray(
    fc.record({
      id: fc.constantFrom(...Array.from({ length: 15 }, (_, i) => `c${i}`)),
      teamId: fc.option(fc.constantFrom(...TEAMS)),
      language: fc.option(fc.constantFrom(...LANGS)),
      priority: fc.constantFrom<WaitingConversation['priority']>('low', 'normal', 'high', 'urgent'),
      vipLevel: fc.integer({ min: 0, max: 3 }),
      requiredSkills: fc.subarray(SKILLS, { maxLength: 2 }),
      minute: fc.integer({ min: 0, max: 60 }),
      tier: fc.constantFrom<WaitingConversation['tier']>('L1', 'L2'),
    }),
    { selector: (c) => c.id, maxLength: 15 },
  )
  .map((list) =>
    list.map(({ minute, ...rest }): WaitingConversation => ({ ...rest, queuedAt: at(minute) })),
  );

describe('planAssignments properties', () => {
  it('respects capacity and eligibility, assigns each conversation at most once, never blocks', () => {
    fc.assert(
      fc.property(arbQueue, arbAgents, (queue, agents) => {
        const plan = planAssignments(queue, agents);
        const byId = new Map(agents.map((a) => [a.id, a]));
        const byConversation = new Map(queue.map((c) => [c.id, c]));
        const count = new Map<string, number>();
        const seen = new Set<string>();
        for (const { conversationId, agentId } of plan) {
          expect(seen.has(conversationId)).toBe(false);
          seen.add(conversationId);
          const a = byId.get(agentId);
          const c = byConversation.get(conversationId);
          expect(a).toBeDefined();
          expect(c).toBeDefined();
          if (a === undefined || c === undefined) return;
          expect(staticallyEligible(c, a)).toBe(true);
          count.set(agentId, (count.get(agentId) ?? 0) + 1);
        }
        for (const a of agents) {
          const n = count.get(a.id) ?? 0;
          // With a sane counter this is n + openAssigned ≤ capacity; an over-full agent gets none.
          expect(n).toBeLessThanOrEqual(Math.max(0, a.capacity - a.openAssigned));
        }
        // Greedy never blocks: whatever was left unassigned had no eligible agent with room left.
        for (const c of queue) {
          if (seen.has(c.id)) continue;
          const stillFree = agents.filter(
            (a) => staticallyEligible(c, a) && a.openAssigned + (count.get(a.id) ?? 0) < a.capacity,
          );
          expect(ids(stillFree)).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('pickAgent returns an eligible agent exactly when one exists', () => {
    fc.assert(
      fc.property(arbQueue, arbAgents, (queue, agents) => {
        for (const c of queue) {
          const picked = pickAgent(c, agents);
          const eligible = agents.filter(
            (a) => staticallyEligible(c, a) && a.openAssigned < a.capacity,
          );
          expect(ids(eligibleAgents(c, agents))).toEqual(ids(eligible));
          if (eligible.length === 0) expect(picked).toBeNull();
          else expect(eligible).toContain(picked);
        }
      }),
    );
  });
});

describe('queuePositions', () => {
  it('numbers conversations from 1 within each team, in queue order', () => {
    const queue = [
      conversation('t1-late', { teamId: 't1', queuedAt: at(9) }),
      conversation('t2-only', { teamId: 't2', queuedAt: at(1) }),
      conversation('none-b', { teamId: null, queuedAt: at(4) }),
      conversation('t1-urgent', { teamId: 't1', priority: 'urgent', queuedAt: at(8) }),
      conversation('t1-early', { teamId: 't1', queuedAt: at(2) }),
      conversation('none-a', { teamId: null, queuedAt: at(3) }),
    ];
    expect(Object.fromEntries(queuePositions(queue))).toEqual({
      't1-urgent': 1,
      't1-early': 2,
      't1-late': 3,
      't2-only': 1,
      'none-a': 1,
      'none-b': 2,
    });
  });

  it('is empty for an empty queue', () => {
    expect(queuePositions([]).size).toBe(0);
  });
});

describe('estimateWaitSeconds', () => {
  it('is null when no agent is online', () => {
    expect(estimateWaitSeconds(1, [120], 0)).toBeNull();
  });

  it('uses 300 s per round without history, or the given default', () => {
    expect(estimateWaitSeconds(1, [], 1)).toBe(300);
    expect(estimateWaitSeconds(3, [], 2)).toBe(600);
    expect(estimateWaitSeconds(1, [], 1, 90)).toBe(90);
  });

  it('multiplies the median handling time by the rounds needed to reach the position', () => {
    // median of [100, 900, 200] is 200; position 5 with 2 agents online is ceil(2.5) = 3 rounds.
    expect(estimateWaitSeconds(5, [100, 900, 200], 2)).toBe(600);
    expect(estimateWaitSeconds(4, [100, 900, 200], 2)).toBe(400);
    expect(estimateWaitSeconds(1, [100, 900, 200], 3)).toBe(200);
  });

  it('averages the two middle values for an even count and rounds to whole seconds', () => {
    // median of [10, 20, 31, 1000] is 25.5 → ×1 round → 26
    expect(estimateWaitSeconds(1, [1000, 10, 31, 20], 4)).toBe(26);
    expect(estimateWaitSeconds(2, [1000, 10, 31, 20], 1)).toBe(51);
  });

  it('ignores broken samples', () => {
    expect(estimateWaitSeconds(1, [Number.NaN, -5, 120], 1)).toBe(120);
    expect(estimateWaitSeconds(1, [Number.NaN], 1)).toBe(300);
  });
});
