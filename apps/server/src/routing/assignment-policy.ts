// Pure decision logic of routing: who waits first, who may take a conversation,
// who should take it, and what a customer is told about the wait. No database,
// no clock, no I/O, so the rules can be unit- and property-tested in isolation and
// reused by the assignment job and by the queue/wait endpoints alike.

export type Availability = 'online' | 'away' | 'offline';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';

export type CandidateAgent = {
  id: string;
  availability: Availability;
  active: boolean;
  capacity: number;
  openAssigned: number;
  languages: string[];
  skills: string[];
  teamIds: string[];
  lastAssignedAt: Date | null;
};

export type WaitingConversation = {
  id: string;
  teamId: string | null;
  language: string | null;
  priority: Priority;
  vipLevel: number;
  requiredSkills: string[];
  queuedAt: Date;
  tier: 'L1' | 'L2';
};

export type Assignment = { conversationId: string; agentId: string };

export const DEFAULT_HANDLING_SECONDS = 300;

// Lower rank waits less; a record keeps the mapping exhaustive over Priority.
const PRIORITY_RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

// Plain code-unit comparison: locale-independent, so every node orders ids the same way.
function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Queue order: priority (urgent first), VIP level (higher first), longest waiting, then id. */
export function compareQueue(a: WaitingConversation, b: WaitingConversation): number {
  return (
    PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
    b.vipLevel - a.vipLevel ||
    a.queuedAt.getTime() - b.queuedAt.getTime() ||
    compareIds(a.id, b.id)
  );
}

// 'zh-CN', 'zh-TW' and 'zh' all mean an agent who reads Chinese; tags are case-insensitive.
function primaryLanguage(tag: string): string {
  return (tag.trim().split(/[-_]/)[0] ?? '').toLowerCase();
}

function speaks(agent: CandidateAgent, language: string | null): boolean {
  if (language === null) return true;
  const wanted = primaryLanguage(language);
  // An empty tag carries no requirement, same as null.
  if (wanted === '') return true;
  return agent.languages.some((spoken) => primaryLanguage(spoken) === wanted);
}

function isEligible(conversation: WaitingConversation, agent: CandidateAgent): boolean {
  return (
    agent.availability === 'online' &&
    agent.active &&
    agent.openAssigned < agent.capacity &&
    (conversation.teamId === null || agent.teamIds.includes(conversation.teamId)) &&
    speaks(agent, conversation.language) &&
    conversation.requiredSkills.every((skill) => agent.skills.includes(skill))
  );
}

/** Agents who may take the conversation right now, in input order. */
export function eligibleAgents(
  conversation: WaitingConversation,
  agents: CandidateAgent[],
): CandidateAgent[] {
  return agents.filter((agent) => isEligible(conversation, agent));
}

// Free ratio compared by cross-multiplying so 1/3 vs 2/6 ties exactly (no float drift).
// Only called on eligible agents, whose capacity is > 0.
function compareForPick(a: CandidateAgent, b: CandidateAgent): number {
  const freeA = (a.capacity - a.openAssigned) * b.capacity;
  const freeB = (b.capacity - b.openAssigned) * a.capacity;
  if (freeA !== freeB) return freeB - freeA;
  const lastA = a.lastAssignedAt?.getTime() ?? null;
  const lastB = b.lastAssignedAt?.getTime() ?? null;
  if (lastA !== lastB) {
    // Never assigned counts as least recently assigned.
    if (lastA === null) return -1;
    if (lastB === null) return 1;
    return lastA - lastB;
  }
  return compareIds(a.id, b.id);
}

/** The best eligible agent: most free capacity ratio, least recently assigned, then id. */
export function pickAgent(
  conversation: WaitingConversation,
  agents: CandidateAgent[],
): CandidateAgent | null {
  let best: CandidateAgent | null = null;
  for (const agent of eligibleAgents(conversation, agents)) {
    if (best === null || compareForPick(agent, best) < 0) best = agent;
  }
  return best;
}

/**
 * Greedy plan for a whole queue. Works on copies of the agents so each pick sees the
 * load of the picks before it: capacity holds across the plan and ties rotate.
 * A conversation nobody can take is skipped, never blocking the ones behind it.
 */
export function planAssignments(
  queue: WaitingConversation[],
  agents: CandidateAgent[],
): Assignment[] {
  // One working copy per agent id; a duplicated id would otherwise get its capacity twice.
  const working = new Map<string, CandidateAgent>();
  for (const agent of agents) {
    if (!working.has(agent.id)) working.set(agent.id, { ...agent });
  }
  const pool = [...working.values()];

  // Fake time starts after every real lastAssignedAt, so an agent picked in this plan
  // becomes the most recently assigned and the next tie goes to someone else.
  let fakeTime = pool.reduce(
    (max, agent) => Math.max(max, agent.lastAssignedAt?.getTime() ?? 0),
    0,
  );

  const assigned = new Set<string>();
  const plan: Assignment[] = [];
  for (const conversation of [...queue].sort(compareQueue)) {
    if (assigned.has(conversation.id)) continue;
    const agent = pickAgent(conversation, pool);
    if (agent === null) continue;
    fakeTime += 1;
    agent.openAssigned += 1;
    agent.lastAssignedAt = new Date(fakeTime);
    assigned.add(conversation.id);
    plan.push({ conversationId: conversation.id, agentId: agent.id });
  }
  return plan;
}

/** 1-based position of each conversation within its team's queue (no team = one group). */
export function queuePositions(queue: WaitingConversation[]): Map<string, number> {
  const positions = new Map<string, number>();
  const nextByTeam = new Map<string | null, number>();
  for (const conversation of [...queue].sort(compareQueue)) {
    if (positions.has(conversation.id)) continue;
    const position = (nextByTeam.get(conversation.teamId) ?? 0) + 1;
    nextByTeam.set(conversation.teamId, position);
    positions.set(conversation.id, position);
  }
  return positions;
}

function median(values: number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle];
  if (upper === undefined) return null;
  if (sorted.length % 2 === 1) return upper;
  const lower = sorted[middle - 1] ?? upper;
  return (lower + upper) / 2;
}

/**
 * Explainable wait estimate: median recent handling time × the number of "rounds"
 * the online agents need to reach this position. Median, not mean, so one marathon
 * conversation does not inflate every estimate. Null when nobody is online: any
 * number would be a promise nobody can keep.
 */
export function estimateWaitSeconds(
  position: number,
  recentHandlingSeconds: number[],
  agentsOnline: number,
  defaultHandlingSeconds: number = DEFAULT_HANDLING_SECONDS,
): number | null {
  if (!(agentsOnline > 0)) return null;
  // Broken samples (NaN, negative) from upstream must not poison the estimate.
  const samples = recentHandlingSeconds.filter((s) => Number.isFinite(s) && s >= 0);
  const handling = median(samples) ?? defaultHandlingSeconds;
  const rounds = Math.ceil(Math.max(0, position) / Math.max(1, agentsOnline));
  return Math.round(handling * rounds);
}
