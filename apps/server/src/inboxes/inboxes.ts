import type { TChannelStatus } from '@kefu/shared';
import { asc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { randomToken } from '../lib/crypto.ts';
import { inboxes } from './schema.ts';

export type InboxRow = typeof inboxes.$inferSelect;

export async function getInboxRow(db: DbOrTx, id: string): Promise<InboxRow> {
  const [row] = await db.select().from(inboxes).where(eq(inboxes.id, id));
  if (!row) throw new AppError('inbox.not_found');
  return row;
}

export async function findInboxByPublicToken(
  db: DbOrTx,
  token: string,
): Promise<InboxRow | undefined> {
  const [row] = await db.select().from(inboxes).where(eq(inboxes.publicToken, token));
  return row;
}

export async function findInboxes(deps: Pick<Deps, 'db'>): Promise<InboxRow[]> {
  return deps.db.select().from(inboxes).orderBy(asc(inboxes.createdAt));
}

export async function createInbox(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  input: {
    channel: InboxRow['channel'];
    name: string;
    defaultTeamId?: string | null;
    settings?: Record<string, unknown>;
    publicToken?: string;
  },
): Promise<InboxRow> {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(inboxes)
      .values({
        channel: input.channel,
        name: input.name,
        publicToken: input.publicToken ?? `site_${randomToken(18)}`,
        identitySecret: randomToken(32),
        defaultTeamId: input.defaultTeamId ?? null,
        settings: input.settings ?? {},
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await recordAudit(tx, actor, {
      action: 'inbox.created',
      targetType: 'inbox',
      targetId: row.id,
      data: { channel: input.channel, name: input.name },
    });
    return row;
  });
}

/** A channel connection's last state, kept under `key` in the inbox settings for the admin screen. */
export async function recordInboxStatus(
  db: DbOrTx,
  inboxId: string,
  key: string,
  status: TChannelStatus,
): Promise<void> {
  await db
    .update(inboxes)
    .set({
      settings: sql`jsonb_set(${inboxes.settings}, ${`{${key}}`}::text[], ${JSON.stringify(status)}::jsonb, true)`,
    })
    .where(eq(inboxes.id, inboxId));
}

export function inboxStatusOf(row: Pick<InboxRow, 'settings'>, key: string): TChannelStatus | null {
  const v = row.settings[key] as Partial<TChannelStatus> | undefined;
  return v && (v.state === 'ok' || v.state === 'error') && typeof v.at === 'string'
    ? { state: v.state, at: v.at, error: typeof v.error === 'string' ? v.error : null }
    : null;
}
