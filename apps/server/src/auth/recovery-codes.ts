import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { sha256Hex } from '../lib/crypto.ts';
import { recoveryCodes } from './schema.ts';

const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const COUNT = 10;

function normalize(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function newCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Replaces an agent's recovery codes with ten new ones and returns them (shown once). */
export async function issueRecoveryCodes(db: DbOrTx, agentId: string): Promise<string[]> {
  const codes = Array.from({ length: COUNT }, newCode);
  await db.delete(recoveryCodes).where(eq(recoveryCodes.agentId, agentId));
  await db
    .insert(recoveryCodes)
    .values(codes.map((c) => ({ agentId, codeHash: sha256Hex(normalize(c)) })));
  return codes;
}

/** Uses up a recovery code; true when it was valid and unused. */
export async function consumeRecoveryCode(
  db: DbOrTx,
  agentId: string,
  code: string,
  now: Date,
): Promise<boolean> {
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(recoveryCodes.agentId, agentId),
        eq(recoveryCodes.codeHash, sha256Hex(normalize(code))),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id });
  return used.length > 0;
}

export async function countUnusedRecoveryCodes(db: DbOrTx, agentId: string): Promise<number> {
  const rows = await db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.agentId, agentId), isNull(recoveryCodes.usedAt)));
  return rows.length;
}
