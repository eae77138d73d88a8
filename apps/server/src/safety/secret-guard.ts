import { findApiSecrets } from './api-secret.ts';
import { findPasswords } from './password.ts';
import { findPrivateKeys } from './private-key.ts';
import { findSeedPhrases } from './seed-phrase.ts';

export type SecretKind = 'seed_phrase' | 'private_key' | 'password' | 'api_secret';

/** A masked secret: its kind and its UTF-16 span [start, end) in the original text. */
export type Redaction = { kind: SecretKind; start: number; end: number };

/** `text` is the redacted text; `redactions` point into the original text. */
export type GuardResult = { text: string; redactions: Redaction[] };

/** Which kind names a span found by two detectors (e.g. a hex key inside an API message). */
const PRIORITY: Record<SecretKind, number> = {
  private_key: 4,
  seed_phrase: 3,
  api_secret: 2,
  password: 1,
};

export function redactionPlaceholder(kind: SecretKind): string {
  return `[REDACTED:${kind}]`;
}

/** Sorts and merges overlapping spans so each character is masked at most once. */
export function mergeRedactions(redactions: readonly Redaction[]): Redaction[] {
  const sorted = redactions
    .filter((r) => r.end > r.start)
    .toSorted((a, b) => a.start - b.start || b.end - a.end);
  const merged: Redaction[] = [];
  for (const redaction of sorted) {
    const last = merged.at(-1);
    if (last && redaction.start < last.end) {
      last.end = Math.max(last.end, redaction.end);
      if (PRIORITY[redaction.kind] > PRIORITY[last.kind]) last.kind = redaction.kind;
    } else {
      merged.push({ ...redaction });
    }
  }
  return merged;
}

/** Replaces each span by its placeholder; spans may come in any order and may overlap. */
export function maskText(text: string, redactions: readonly Redaction[]): string {
  let out = '';
  let cursor = 0;
  for (const { kind, start, end } of mergeRedactions(redactions)) {
    const from = Math.max(start, 0);
    const to = Math.min(end, text.length);
    if (to <= from) continue;
    out += text.slice(cursor, from) + redactionPlaceholder(kind);
    cursor = to;
  }
  return out + text.slice(cursor);
}

/**
 * Finds and masks seed phrases, private keys, passwords and API secrets in one inbound
 * message. Public data (tx hashes, addresses, ticket and order numbers) is left intact.
 */
export function guardSecrets(text: string): GuardResult {
  if (text.length === 0) return { text, redactions: [] };
  const redactions = mergeRedactions([
    ...findPrivateKeys(text),
    ...findApiSecrets(text),
    ...findSeedPhrases(text),
    ...findPasswords(text),
  ]);
  return { text: redactions.length > 0 ? maskText(text, redactions) : text, redactions };
}
