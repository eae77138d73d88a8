import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { settings } from '../settings/schema.ts';

export type AssistantSettings = {
  /** New conversations are answered by the assistant first. */
  enabled: boolean;
  /** VIP customers (at least this level) go straight to a person; null = no preference. */
  humanForVipFrom: number | null;
};
const KEY = 'assistant';
const DEFAULTS: AssistantSettings = { enabled: true, humanForVipFrom: null };

export async function getAssistantSettings(db: DbOrTx): Promise<AssistantSettings> {
  const [row] = await db.select().from(settings).where(eq(settings.key, KEY));
  return { ...DEFAULTS, ...((row?.value as Partial<AssistantSettings> | undefined) ?? {}) };
}

export async function saveAssistantSettings(db: DbOrTx, value: AssistantSettings): Promise<void> {
  await db
    .insert(settings)
    .values({ key: KEY, value })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
}
