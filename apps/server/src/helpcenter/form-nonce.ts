import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a rendered form may be sent. */
export const FORM_NONCE_TTL_MS = 24 * 3_600_000;

function signature(secretKey: string, id: string, issuedAt: string): Buffer {
  const key = createHmac('sha256', secretKey).update('help-center-form').digest();
  return createHmac('sha256', key).update(`${id}.${issuedAt}`).digest().subarray(0, 16);
}

/**
 * A per-form nonce, `id.issuedAt.signature`: the id becomes the idempotency key of what the
 * form creates (a double submit creates one ticket), and the signature keeps bots from
 * inventing keys without loading the page.
 */
export function issueFormNonce(secretKey: string, now: Date): string {
  const id = randomBytes(16).toString('base64url');
  const issuedAt = Math.floor(now.getTime() / 1000).toString(36);
  return `${id}.${issuedAt}.${signature(secretKey, id, issuedAt).toString('base64url')}`;
}

/** The nonce's id when it is ours and fresh, else null. */
export function checkFormNonce(secretKey: string, nonce: string, now: Date): string | null {
  const [id, issuedAt, sig, extra] = nonce.split('.');
  if (!id || !issuedAt || !sig || extra !== undefined || !/^[\w-]{22}$/.test(id)) return null;
  const given = Buffer.from(sig, 'base64url');
  const expected = signature(secretKey, id, issuedAt);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const age = now.getTime() - Number.parseInt(issuedAt, 36) * 1000;
  if (!Number.isFinite(age) || age > FORM_NONCE_TTL_MS || age < -5 * 60_000) return null;
  return id;
}
