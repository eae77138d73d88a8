import type { TAuditEntry } from '@kefu/shared';
import { and, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import type { Actor, Deps } from '../deps.ts';
import { auditEvents } from './schema.ts';

export type AuditInput = {
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  data?: Record<string, unknown>;
};

/** Writes audit entries (one, or several in one statement). Pass the transaction of the change so both commit together. */
export async function recordAudit(
  db: DbOrTx,
  actor: Actor,
  input: AuditInput | AuditInput[],
): Promise<void> {
  const inputs = Array.isArray(input) ? input : [input];
  if (inputs.length === 0) return;
  await db.insert(auditEvents).values(
    inputs.map((entry) => ({
      actorType: actor.type,
      actorId: actor.id,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ? actor.userAgent.slice(0, 300) : null,
      data: entry.data ?? {},
    })),
  );
}

export type AuditFilter = {
  action?: string;
  actorId?: string;
  targetId?: string;
  since?: string;
  until?: string;
  before?: string;
  limit: number;
};

export async function findAuditEntries(
  deps: Pick<Deps, 'db'>,
  filter: AuditFilter,
): Promise<TAuditEntry[]> {
  const where: SQL[] = [];
  if (filter.action) where.push(eq(auditEvents.action, filter.action));
  if (filter.actorId) where.push(eq(auditEvents.actorId, filter.actorId));
  if (filter.targetId) where.push(eq(auditEvents.targetId, filter.targetId));
  if (filter.since) where.push(gte(auditEvents.at, new Date(filter.since)));
  if (filter.until) where.push(lte(auditEvents.at, new Date(filter.until)));
  if (filter.before) where.push(lt(auditEvents.at, new Date(filter.before)));
  const rows = await deps.db
    .select()
    .from(auditEvents)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(filter.limit);
  return rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actorType: r.actorType,
    actorId: r.actorId,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    ip: r.ip,
    data: r.data,
  }));
}
