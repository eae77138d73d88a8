import type { TSlaPolicy, TSlaPolicyInput } from '@kefu/shared';
import { asc, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { getTeam } from '../teams/teams.ts';
import { slaPolicies } from './schema.ts';

type Row = typeof slaPolicies.$inferSelect;

export function toPolicy(row: Row): TSlaPolicy {
  return { ...row, createdAt: row.createdAt.toISOString() };
}

export async function findSlaPolicies(deps: Pick<Deps, 'db'>): Promise<TSlaPolicy[]> {
  return (
    await deps.db
      .select()
      .from(slaPolicies)
      .orderBy(asc(slaPolicies.position), asc(slaPolicies.createdAt))
  ).map(toPolicy);
}

async function checkTeam(deps: Pick<Deps, 'db'>, teamId: string | null | undefined) {
  if (teamId) await getTeam(deps, teamId);
}

export async function createSlaPolicy(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  input: TSlaPolicyInput,
): Promise<TSlaPolicy> {
  await checkTeam(deps, input.breachActions.reassignToTeamId);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.insert(slaPolicies).values(input).returning();
    if (!row) throw new Error('insert returned nothing');
    await recordAudit(tx, actor, {
      action: 'sla.policy_created',
      targetType: 'sla_policy',
      targetId: row.id,
      data: { name: row.name },
    });
    return toPolicy(row);
  });
}

export async function updateSlaPolicy(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  id: string,
  input: Partial<TSlaPolicyInput>,
): Promise<TSlaPolicy> {
  await checkTeam(deps, input.breachActions?.reassignToTeamId);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx.update(slaPolicies).set(input).where(eq(slaPolicies.id, id)).returning();
    if (!row) throw new AppError('sla.not_found');
    await recordAudit(tx, actor, {
      action: 'sla.policy_updated',
      targetType: 'sla_policy',
      targetId: id,
      data: { changes: input },
    });
    return toPolicy(row);
  });
}

export async function deleteSlaPolicy(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  id: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const rows = await tx
      .delete(slaPolicies)
      .where(eq(slaPolicies.id, id))
      .returning({ id: slaPolicies.id });
    if (rows.length === 0) throw new AppError('sla.not_found');
    await recordAudit(tx, actor, {
      action: 'sla.policy_deleted',
      targetType: 'sla_policy',
      targetId: id,
    });
  });
}
