import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { settings } from './schema.ts';

export type SecuritySettings = { requireTwoFactor: boolean };
const SECURITY_KEY = 'security';
const defaults: SecuritySettings = { requireTwoFactor: false };

export async function getSecuritySettings(db: DbOrTx): Promise<SecuritySettings> {
  const [row] = await db.select().from(settings).where(eq(settings.key, SECURITY_KEY));
  return { ...defaults, ...((row?.value as Partial<SecuritySettings> | undefined) ?? {}) };
}

export async function saveSecuritySettings(db: DbOrTx, value: SecuritySettings): Promise<void> {
  await db
    .insert(settings)
    .values({ key: SECURITY_KEY, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
}
