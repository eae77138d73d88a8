import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** How long a mailed code works. */
export const LOOKUP_CODE_TTL_MS = 10 * 60_000;
/** Codes one ticket may be sent per hour, so nobody can flood a customer's mailbox. */
export const LOOKUP_CODES_PER_HOUR = 5;
/** Wrong guesses a code survives; then it is burnt. */
export const LOOKUP_CODE_MAX_ATTEMPTS = 5;
/** The lookup token is for reading and answering now, not a lasting session. */
export const LOOKUP_TOKEN_TTL_SECONDS = 60 * 60;

export function generateLookupCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, '0');
}

/**
 * Keyed hash of a code, bound to its row: six digits are too few for a plain hash, which a
 * database dump would reverse in a second; without KEFU_SECRET_KEY this one is useless.
 */
export function hashLookupCode(secretKey: string, codeId: string, code: string): string {
  const key = createHmac('sha256', secretKey).update('ticket-lookup-code').digest();
  return createHmac('sha256', key).update(`${codeId}:${code}`).digest('hex');
}

export function lookupCodeMatches(
  secretKey: string,
  row: { id: string; codeHash: string },
  code: string,
): boolean {
  const expected = Buffer.from(row.codeHash, 'hex');
  const given = Buffer.from(hashLookupCode(secretKey, row.id, code), 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
