import type { TCreateTeam, TLocale, TTeam, TUpdateTeam } from '@kefu/shared';
import { asc, eq, inArray } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { ALWAYS_OPEN, type BusinessCalendar } from '../sla/business-hours.ts';
import { teamMembers, teams } from './schema.ts';

type TeamRow = typeof teams.$inferSelect;

function toTeam(row: TeamRow, memberIds: string[]): TTeam {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    languages: row.languages as TLocale[],
    tier: row.tier,
    timezone: row.timezone,
    memberIds,
    createdAt: row.createdAt.toISOString(),
  };
}

async function membersByTeam(db: DbOrTx, teamIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (teamIds.length === 0) return map;
  const rows = await db.select().from(teamMembers).where(inArray(teamMembers.teamId, teamIds));
  for (const row of rows) map.set(row.teamId, [...(map.get(row.teamId) ?? []), row.agentId]);
  return map;
}

export async function findTeams(deps: Pick<Deps, 'db'>): Promise<TTeam[]> {
  const rows = await deps.db.select().from(teams).orderBy(asc(teams.name));
  const members = await membersByTeam(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toTeam(r, members.get(r.id) ?? []));
}

export async function getTeam(deps: Pick<Deps, 'db'>, id: string): Promise<TTeam> {
  const [row] = await deps.db.select().from(teams).where(eq(teams.id, id));
  if (!row) throw new AppError('team.not_found');
  return toTeam(row, (await membersByTeam(deps.db, [id])).get(id) ?? []);
}

async function assertNameFree(db: DbOrTx, name: string, exceptId?: string): Promise<void> {
  const [existing] = await db.select({ id: teams.id }).from(teams).where(eq(teams.name, name));
  if (existing && existing.id !== exceptId) throw new AppError('team.name_taken');
}

export async function createTeam(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  input: TCreateTeam,
): Promise<TTeam> {
  const id = await deps.db.transaction(async (tx) => {
    await assertNameFree(tx, input.name);
    const [row] = await tx.insert(teams).values(input).returning({ id: teams.id });
    if (!row) throw new Error('insert returned nothing');
    await recordAudit(tx, actor, {
      action: 'team.created',
      targetType: 'team',
      targetId: row.id,
      data: { name: input.name },
    });
    return row.id;
  });
  return getTeam(deps, id);
}

export async function updateTeam(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  id: string,
  input: TUpdateTeam,
): Promise<TTeam> {
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, id));
    if (!row) throw new AppError('team.not_found');
    if (input.name) await assertNameFree(tx, input.name, id);
    if (Object.keys(input).length > 0) await tx.update(teams).set(input).where(eq(teams.id, id));
    await recordAudit(tx, actor, {
      action: 'team.updated',
      targetType: 'team',
      targetId: id,
      data: { changes: input },
    });
  });
  return getTeam(deps, id);
}

/** Team ids per agent, for agent listings. */
export async function findTeamIdsByAgent(
  db: DbOrTx,
  agentIds: string[],
): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (agentIds.length === 0) return map;
  const rows = await db.select().from(teamMembers).where(inArray(teamMembers.agentId, agentIds));
  for (const row of rows) map.set(row.agentId, [...(map.get(row.agentId) ?? []), row.teamId]);
  return map;
}

/** Replaces an agent's team memberships; unknown team ids are refused. */
export async function setAgentTeams(db: DbOrTx, agentId: string, teamIds: string[]): Promise<void> {
  const unique = [...new Set(teamIds)];
  if (unique.length > 0) {
    const found = await db.select({ id: teams.id }).from(teams).where(inArray(teams.id, unique));
    if (found.length !== unique.length) throw new AppError('team.not_found');
  }
  await db.delete(teamMembers).where(eq(teamMembers.agentId, agentId));
  if (unique.length > 0)
    await db.insert(teamMembers).values(unique.map((teamId) => ({ teamId, agentId })));
}

/** The first-line team that speaks this language (by primary subtag), for new conversations. */
export async function findTeamForLanguage(
  db: DbOrTx,
  language: string | null,
  tier: 'L1' | 'L2' = 'L1',
): Promise<string | null> {
  const rows = await db
    .select()
    .from(teams)
    .where(eq(teams.tier, tier))
    .orderBy(asc(teams.createdAt));
  const primary = (language ?? '').split('-')[0]?.toLowerCase();
  const match = rows.find((t) =>
    t.languages.some((l) => l.split('-')[0]?.toLowerCase() === primary),
  );
  return (match ?? rows[0])?.id ?? null;
}

/** The team's business calendar (always open when it has no hours set). */
export async function getTeamCalendar(
  db: DbOrTx,
  teamId: string | null,
): Promise<BusinessCalendar> {
  if (!teamId) return ALWAYS_OPEN;
  const [row] = await db
    .select({ timezone: teams.timezone, hours: teams.businessHours })
    .from(teams)
    .where(eq(teams.id, teamId));
  if (!row?.hours) return ALWAYS_OPEN;
  return { timezone: row.timezone, weekly: row.hours.weekly, holidays: row.hours.holidays };
}
