import type { TLocale } from '@kefu/shared';

export type AttachmentRef = { id: string; name: string; type: string; size: number };

/** A message the customer wrote that the server has not acknowledged yet. */
export type OutboxItem = {
  clientMessageId: string;
  text: string;
  attachments: AttachmentRef[];
  createdAt: string;
  /** Ask for a person once this message is committed (it started the conversation). */
  handoff?: boolean;
  /** Why it stopped: 'timeout' retries by itself on reconnect, 'rejected' waits for the customer. */
  failed?: 'timeout' | 'rejected';
  error?: string;
  timeouts?: number;
};

/** What the widget keeps in the host page's localStorage, one entry per site token. */
export type Stored = {
  token?: string;
  expiresAt?: string;
  contactId?: string;
  /** The exchange UID the token was issued for (a verified customer); absent when anonymous. */
  uid?: string;
  conversationId?: string | null;
  /** The language the customer or the exchange chose (not the browser's guess). */
  locale?: TLocale;
  outbox?: OutboxItem[];
  /** Rated CSAT requests: message id → score. */
  rated?: Record<string, number>;
};

const key = (siteToken: string) => `kefu:${siteToken}`;

export function loadStored(siteToken: string): Stored {
  try {
    const raw = window.localStorage.getItem(key(siteToken));
    const value: unknown = raw ? JSON.parse(raw) : {};
    return value && typeof value === 'object' ? (value as Stored) : {};
  } catch {
    // Storage blocked (privacy mode, sandboxed frame) or corrupt: start without it.
    return {};
  }
}

export function saveStored(siteToken: string, patch: Partial<Stored>): Stored {
  const next = { ...loadStored(siteToken), ...patch };
  try {
    window.localStorage.setItem(key(siteToken), JSON.stringify(next));
  } catch {
    // Full or blocked: the widget still works for this page view.
  }
  return next;
}

export function clearStored(siteToken: string): void {
  try {
    window.localStorage.removeItem(key(siteToken));
  } catch {
    // Blocked storage has nothing to clear.
  }
}
