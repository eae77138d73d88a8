import type { TMessage } from '@kefu/shared';

export type TextPart =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'redacted'; text: string; secret: string };

/** How the secret guard masks a secret in stored text. */
const REDACTED = /\[REDACTED:([a-z_]+)\]/g;

/** Splits a message into plain text, http(s) links and masked secrets. */
export function messageParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(REDACTED)) {
    const start = match.index ?? 0;
    if (start > last) parts.push(...linkify(text.slice(last, start)));
    parts.push({ kind: 'redacted', text: match[0], secret: match[1] ?? '' });
    last = start + match[0].length;
  }
  if (last < text.length) parts.push(...linkify(text.slice(last)));
  return parts;
}

const URL_PATTERN = /https?:\/\/[^\s<>"'，。、）]+/g;
// Punctuation that ends a sentence rather than the address.
const TRAILING = /[.,;:!?)\]}'"]+$/;

/** Splits a message into text and http(s) links (nothing else becomes a link). */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index ?? 0;
    let url = match[0];
    const trailing = TRAILING.exec(url)?.[0] ?? '';
    url = url.slice(0, url.length - trailing.length);
    if (url.length <= 'https://'.length) continue;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/**
 * Whether a message asks the customer to rate the conversation: its kind says so. A server from
 * before messages carried a kind is recognised by the request's text.
 */
export function isCsatRequest(message: TMessage): boolean {
  const kind = (message as { kind?: unknown }).kind;
  if (kind !== undefined) return kind === 'csat_request';
  if (message.senderType !== 'system' && message.senderType !== 'assistant') return false;
  return (
    /\brat(e|ing)\b|评分|打分/i.test(message.text) &&
    /1/.test(message.text) &&
    /5/.test(message.text)
  );
}

export function lastSeq(messages: readonly TMessage[]): number {
  let seq = 0;
  for (const m of messages) if (m.seq > seq) seq = m.seq;
  return seq;
}

/** Adds messages by id (a newer copy replaces an older one), in seq order, without notes. */
export function mergeMessages(
  current: readonly TMessage[],
  incoming: readonly TMessage[],
): TMessage[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) if (!m.private) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

export function fileSize(bytes: number): {
  key: 'bytes' | 'kilobytes' | 'megabytes';
  size: string;
} {
  if (bytes < 1024) return { key: 'bytes', size: String(bytes) };
  if (bytes < 1024 * 1024) return { key: 'kilobytes', size: (bytes / 1024).toFixed(0) };
  return { key: 'megabytes', size: (bytes / (1024 * 1024)).toFixed(1) };
}

/** A client message id: a UUID, also on plain-http pages where crypto.randomUUID is missing. */
export function newClientMessageId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
