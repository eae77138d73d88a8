import type {
  TCreateOfficialChannel,
  TOfficialChannel,
  TOfficialChannelKind,
  TUpdateOfficialChannel,
} from '@kefu/shared';
import { and, asc, eq, ne } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { DbOrTx } from '../db/client.ts';
import { type Actor, type Deps, systemActor } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { normalizeOfficialValue } from './channel-value.ts';
import { officialChannels } from './schema.ts';
import type { OfficialChannel } from './verify-channel.ts';

type OfficialChannelRow = typeof officialChannels.$inferSelect;

function toOfficialChannel(row: OfficialChannelRow): TOfficialChannel {
  return {
    id: row.id,
    kind: row.kind,
    value: row.value,
    label: row.label,
    notes: row.notes,
    createdAt: row.createdAt.toISOString(),
  };
}

function normalized(kind: TOfficialChannelKind, value: string): string {
  const result = normalizeOfficialValue(kind, value);
  if (result === null)
    throw new AppError('official_channel.invalid_value', { details: { field: 'value', kind } });
  return result;
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

/** A concurrent insert of the same channel loses on the unique index: still a 409. */
async function mapConflicts<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError('official_channel.duplicate', { cause: error });
    throw error;
  }
}

async function assertFree(
  db: DbOrTx,
  kind: TOfficialChannelKind,
  value: string,
  exceptId?: string,
) {
  const [existing] = await db
    .select({ id: officialChannels.id })
    .from(officialChannels)
    .where(
      and(
        eq(officialChannels.kind, kind),
        eq(officialChannels.value, value),
        exceptId ? ne(officialChannels.id, exceptId) : undefined,
      ),
    );
  if (existing)
    throw new AppError('official_channel.duplicate', { details: { kind, value, id: existing.id } });
}

async function getRow(db: DbOrTx, id: string): Promise<OfficialChannelRow> {
  const [row] = await db.select().from(officialChannels).where(eq(officialChannels.id, id));
  if (!row) throw new AppError('official_channel.not_found');
  return row;
}

/** The registry, by kind then value. */
export async function findOfficialChannels(deps: Pick<Deps, 'db'>): Promise<TOfficialChannel[]> {
  const rows = await deps.db
    .select()
    .from(officialChannels)
    .orderBy(asc(officialChannels.kind), asc(officialChannels.value));
  return rows.map(toOfficialChannel);
}

/** The registry as the Verify check reads it. */
export async function findRegistry(deps: Pick<Deps, 'db'>): Promise<OfficialChannel[]> {
  return deps.db
    .select({
      kind: officialChannels.kind,
      value: officialChannels.value,
      label: officialChannels.label,
    })
    .from(officialChannels)
    .orderBy(
      asc(officialChannels.kind),
      asc(officialChannels.createdAt),
      asc(officialChannels.value),
    );
}

export async function getOfficialChannel(
  deps: Pick<Deps, 'db'>,
  id: string,
): Promise<TOfficialChannel> {
  return toOfficialChannel(await getRow(deps.db, id));
}

export async function createOfficialChannel(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  input: TCreateOfficialChannel,
): Promise<TOfficialChannel> {
  const value = normalized(input.kind, input.value);
  const row = await mapConflicts(() =>
    deps.db.transaction(async (tx) => {
      await assertFree(tx, input.kind, value);
      const [created] = await tx
        .insert(officialChannels)
        .values({ kind: input.kind, value, label: input.label ?? '', notes: input.notes ?? '' })
        .returning();
      if (!created) throw new Error('insert returned nothing');
      await recordAudit(tx, actor, {
        action: 'official_channel.created',
        targetType: 'official_channel',
        targetId: created.id,
        data: { kind: created.kind, value: created.value, label: created.label },
      });
      return created;
    }),
  );
  return toOfficialChannel(row);
}

export async function updateOfficialChannel(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  id: string,
  input: TUpdateOfficialChannel,
): Promise<TOfficialChannel> {
  const row = await mapConflicts(() =>
    deps.db.transaction(async (tx) => {
      const existing = await getRow(tx, id);
      const kind = input.kind ?? existing.kind;
      // A new kind re-reads the current value under the new kind's rules.
      const value =
        input.value !== undefined || input.kind !== undefined
          ? normalized(kind, input.value ?? existing.value)
          : existing.value;
      const set = {
        ...(kind !== existing.kind ? { kind } : {}),
        ...(value !== existing.value ? { value } : {}),
        ...(input.label !== undefined && input.label !== existing.label
          ? { label: input.label }
          : {}),
        ...(input.notes !== undefined && input.notes !== existing.notes
          ? { notes: input.notes }
          : {}),
      };
      if (Object.keys(set).length === 0) return existing;
      if (set.kind !== undefined || set.value !== undefined) await assertFree(tx, kind, value, id);
      const [updated] = await tx
        .update(officialChannels)
        .set(set)
        .where(eq(officialChannels.id, id))
        .returning();
      if (!updated) throw new AppError('official_channel.not_found');
      await recordAudit(tx, actor, {
        action: 'official_channel.updated',
        targetType: 'official_channel',
        targetId: id,
        data: {
          fields: Object.keys(set),
          before: { kind: existing.kind, value: existing.value, label: existing.label },
          after: { kind: updated.kind, value: updated.value, label: updated.label },
        },
      });
      return updated;
    }),
  );
  return toOfficialChannel(row);
}

export async function deleteOfficialChannel(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  id: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await getRow(tx, id);
    await tx.delete(officialChannels).where(eq(officialChannels.id, id));
    await recordAudit(tx, actor, {
      action: 'official_channel.deleted',
      targetType: 'official_channel',
      targetId: id,
      data: { kind: row.kind, value: row.value, label: row.label },
    });
  });
}

/** Demo Exchange's official channels. It has no phone support, so no phone number. */
export const DEMO_OFFICIAL_CHANNELS: TCreateOfficialChannel[] = [
  { kind: 'domain', value: 'demo-exchange.example', label: 'Website' },
  { kind: 'email', value: 'support@demo-exchange.example', label: 'Support email' },
  { kind: 'telegram', value: 'DemoExchange', label: 'Telegram' },
  { kind: 'telegram', value: 'DemoExchangeCN', label: 'Telegram (中文)' },
  { kind: 'x', value: 'DemoExchange', label: 'X (Twitter)' },
];

/** Adds the demo registry; entries already there are left as they are. */
export async function seedDemoOfficialChannels(deps: Pick<Deps, 'db'>): Promise<void> {
  const existing = await findOfficialChannels(deps);
  for (const channel of DEMO_OFFICIAL_CHANNELS) {
    const value = normalized(channel.kind, channel.value);
    if (existing.some((e) => e.kind === channel.kind && e.value === value)) continue;
    await createOfficialChannel(deps, systemActor, channel);
  }
}
