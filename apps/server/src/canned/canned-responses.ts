import type { TCannedResponse, TCreateCannedResponse, TUpdateCannedResponse } from '@kefu/shared';
import { asc, eq, ilike, or, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { cannedResponses } from './schema.ts';

export type CannedResponseRow = typeof cannedResponses.$inferSelect;

export function toCannedResponse(row: CannedResponseRow): TCannedResponse {
  return {
    id: row.id,
    shortcut: row.shortcut,
    title: row.title,
    texts: row.texts,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Drops empty texts, so "no text in this language" has one meaning. */
function cleanTexts(texts: TCreateCannedResponse['texts']): CannedResponseRow['texts'] {
  const clean: CannedResponseRow['texts'] = {};
  if (texts['zh-CN']?.trim()) clean['zh-CN'] = texts['zh-CN'];
  if (texts.en?.trim()) clean.en = texts.en;
  return clean;
}

function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

async function assertShortcutFree(db: DbOrTx, shortcut: string, exceptId?: string) {
  const [existing] = await db
    .select({ id: cannedResponses.id })
    .from(cannedResponses)
    .where(eq(cannedResponses.shortcut, shortcut));
  if (existing && existing.id !== exceptId) throw new AppError('canned.shortcut_taken');
}

/** A concurrent insert of the same shortcut loses on the unique index: still a 409. */
async function mapConflicts<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('canned.shortcut_taken', { cause: error });
    throw error;
  }
}

/** Canned responses whose shortcut, title or text contains `q` (all of them without it). */
export async function findCannedResponses(
  deps: Pick<Deps, 'db'>,
  query: { q?: string | undefined } = {},
): Promise<TCannedResponse[]> {
  const q = query.q?.trim();
  const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const rows = await deps.db
    .select()
    .from(cannedResponses)
    .where(
      pattern
        ? or(
            ilike(cannedResponses.shortcut, pattern),
            ilike(cannedResponses.title, pattern),
            sql`${cannedResponses.texts}->>'zh-CN' ilike ${pattern}`,
            sql`${cannedResponses.texts}->>'en' ilike ${pattern}`,
          )
        : undefined,
    )
    .orderBy(asc(cannedResponses.shortcut))
    .limit(500);
  return rows.map(toCannedResponse);
}

export async function getCannedResponseRow(db: DbOrTx, id: string): Promise<CannedResponseRow> {
  const [row] = await db.select().from(cannedResponses).where(eq(cannedResponses.id, id));
  if (!row) throw new AppError('canned.not_found');
  return row;
}

export async function getCannedResponse(
  deps: Pick<Deps, 'db'>,
  id: string,
): Promise<TCannedResponse> {
  return toCannedResponse(await getCannedResponseRow(deps.db, id));
}

export async function createCannedResponse(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: Actor,
  input: TCreateCannedResponse,
): Promise<TCannedResponse> {
  const row = await mapConflicts(() =>
    deps.db.transaction(async (tx) => {
      await assertShortcutFree(tx, input.shortcut);
      const now = deps.clock.now();
      const [created] = await tx
        .insert(cannedResponses)
        .values({
          shortcut: input.shortcut,
          title: input.title,
          texts: cleanTexts(input.texts),
          createdBy: actor.type === 'agent' ? actor.id : null,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      if (!created) throw new Error('insert returned nothing');
      await recordAudit(tx, actor, {
        action: 'canned_response.created',
        targetType: 'canned_response',
        targetId: created.id,
        data: { shortcut: created.shortcut },
      });
      return created;
    }),
  );
  return toCannedResponse(row);
}

export async function updateCannedResponse(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: Actor,
  id: string,
  input: TUpdateCannedResponse,
): Promise<TCannedResponse> {
  const row = await mapConflicts(() =>
    deps.db.transaction(async (tx) => {
      const existing = await getCannedResponseRow(tx, id);
      if (input.shortcut !== undefined) await assertShortcutFree(tx, input.shortcut, id);
      const set = {
        ...(input.shortcut !== undefined ? { shortcut: input.shortcut } : {}),
        ...(input.title !== undefined ? { title: input.title } : {}),
        ...(input.texts !== undefined ? { texts: cleanTexts(input.texts) } : {}),
      };
      if (Object.keys(set).length === 0) return existing;
      const [updated] = await tx
        .update(cannedResponses)
        .set({ ...set, updatedAt: deps.clock.now() })
        .where(eq(cannedResponses.id, id))
        .returning();
      if (!updated) throw new AppError('canned.not_found');
      await recordAudit(tx, actor, {
        action: 'canned_response.updated',
        targetType: 'canned_response',
        targetId: id,
        data: { fields: Object.keys(set), shortcut: updated.shortcut },
      });
      return updated;
    }),
  );
  return toCannedResponse(row);
}

export async function deleteCannedResponse(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  id: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await getCannedResponseRow(tx, id);
    await tx.delete(cannedResponses).where(eq(cannedResponses.id, id));
    await recordAudit(tx, actor, {
      action: 'canned_response.deleted',
      targetType: 'canned_response',
      targetId: id,
      data: { shortcut: row.shortcut },
    });
  });
}
