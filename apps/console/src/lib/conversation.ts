import type { TConversation, TPriority, TSecretKind, TStatus } from '@kefu/shared';

// Mirrors of the enums in @kefu/shared's schemas, repeated because importing the schemas' values
// would bring zod into the bundle. Keep in sync with packages/shared/src/conversations.ts.
export const STATUSES = [
  'open',
  'pending',
  'snoozed',
  'resolved',
  'closed',
] as const satisfies readonly TStatus[];
export const PRIORITIES = [
  'low',
  'normal',
  'high',
  'urgent',
] as const satisfies readonly TPriority[];
export const SECRET_KINDS = [
  'seed_phrase',
  'private_key',
  'password',
  'api_secret',
] as const satisfies readonly TSecretKind[];

export const VIEWS = ['mine', 'unassigned', 'teams', 'all', 'due'] as const;
export type InboxView = (typeof VIEWS)[number];

export function isStatus(value: unknown): value is TStatus {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}

export function isView(value: unknown): value is InboxView {
  return typeof value === 'string' && (VIEWS as readonly string[]).includes(value);
}

export function isSecretKind(value: string): value is TSecretKind {
  return (SECRET_KINDS as readonly string[]).includes(value);
}

export const STATUS_COLORS: Record<TStatus, string> = {
  open: 'blue',
  pending: 'yellow',
  snoozed: 'grape',
  resolved: 'teal',
  closed: 'gray',
};

export const PRIORITY_COLORS: Record<TPriority, string> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};

/** A piece of message text: plain text, or a secret the guard masked (`[REDACTED:kind]`). */
export type TextPart = { type: 'text'; text: string } | { type: 'redacted'; kind: string };

const REDACTED = /\[REDACTED:([a-z_]+)\]/g;

export function splitRedactions(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(REDACTED)) {
    const index = match.index ?? 0;
    if (index > last) parts.push({ type: 'text', text: text.slice(last, index) });
    parts.push({ type: 'redacted', kind: match[1] ?? '' });
    last = index + match[0].length;
  }
  if (last < text.length) parts.push({ type: 'text', text: text.slice(last) });
  return parts;
}

/** Timeline events are private system messages whose text is an event code (`assigned`…). */
export function eventCode(message: {
  senderType: string;
  private: boolean;
  text: string;
}): string | null {
  if (message.senderType !== 'system' || !message.private) return null;
  return /^[a-z][a-z0-9_]*$/.test(message.text) ? message.text : null;
}

export type SlaTarget = 'firstResponse' | 'nextResponse' | 'resolution';
export type SlaLevel = 'ok' | 'warning' | 'breached';

export type SlaSummary = { target: SlaTarget; dueAt: string; level: SlaLevel };

const SLA_TARGETS: { target: SlaTarget; due: (c: TConversation) => string | null }[] = [
  { target: 'firstResponse', due: (c) => c.sla.firstResponseDueAt },
  { target: 'nextResponse', due: (c) => c.sla.nextResponseDueAt },
  { target: 'resolution', due: (c) => c.sla.resolutionDueAt },
];

function levelOf(value: string | undefined): SlaLevel {
  return value === 'breached' || value === 'warning' ? value : 'ok';
}

/**
 * The deadline that matters now: the earliest pending response target (first or next
 * response), else the resolution target. Closed tickets have none.
 */
export function slaSummary(
  conversation: TConversation,
  targets: readonly SlaTarget[] = ['firstResponse', 'nextResponse'],
): SlaSummary | null {
  if (conversation.status === 'resolved' || conversation.status === 'closed') return null;
  let best: SlaSummary | null = null;
  for (const { target, due } of SLA_TARGETS) {
    if (!targets.includes(target)) continue;
    const dueAt = due(conversation);
    if (!dueAt) continue;
    const level = levelOf(conversation.sla.state[target]);
    if (!best || new Date(dueAt).getTime() < new Date(best.dueAt).getTime()) {
      best = { target, dueAt, level };
    }
  }
  return best;
}

/** Every pending SLA deadline of a conversation, soonest first. */
export function slaDeadlines(conversation: TConversation): SlaSummary[] {
  if (conversation.status === 'resolved' || conversation.status === 'closed') return [];
  return SLA_TARGETS.flatMap(({ target, due }) => {
    const dueAt = due(conversation);
    return dueAt ? [{ target, dueAt, level: levelOf(conversation.sla.state[target]) }] : [];
  }).sort((a, b) => new Date(a.dueAt).getTime() - new Date(b.dueAt).getTime());
}

/** "45s", "12m", "1h 05m", "2d 3h": the time left (or overdue) in a few characters. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  if (minutes >= 10) return `${minutes}m`;
  if (minutes > 0) return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  return `${seconds}s`;
}

/** A clientMessageId (ZClientMessageId: 8–100 of letters, digits, _ . : -). */
export function newClientMessageId(): string {
  const bytes = new Uint8Array(12);
  // getRandomValues works on plain http too (randomUUID needs a secure context).
  crypto.getRandomValues(bytes);
  return `console:${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** The handle the server resolves in `@mentions`: the part of the email before the @. */
export function mentionHandle(email: string): string {
  return (email.split('@')[0] ?? email).toLowerCase();
}
