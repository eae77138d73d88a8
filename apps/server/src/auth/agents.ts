import { randomBytes } from 'node:crypto';
import type { TAgent, TAvailability, TCreateAgent, TLocale, TUpdateAgent } from '@kefu/shared';
import { asc, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { scheduleRouting } from '../routing/schedule.ts';
import { findTeamIdsByAgent, setAgentTeams } from '../teams/teams.ts';
import { hashPassword } from './password.ts';
import { agents } from './schema.ts';
import { type AgentRow, publishAccessChanged, revokeAllSessions } from './sessions.ts';

export function toAgent(row: AgentRow, teamIds: string[]): TAgent {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    languages: row.languages as TLocale[],
    skills: row.skills,
    capacity: row.capacity,
    availability: row.availability,
    active: row.active,
    twoFactorEnabled: row.totpEnabledAt !== null,
    lockedUntil: row.lockedUntil ? row.lockedUntil.toISOString() : null,
    teamIds,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function findAgents(deps: Pick<Deps, 'db'>): Promise<TAgent[]> {
  const rows = await deps.db.select().from(agents).orderBy(asc(agents.name));
  const teams = await findTeamIdsByAgent(
    deps.db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toAgent(r, teams.get(r.id) ?? []));
}

export async function getAgentRow(db: DbOrTx, id: string): Promise<AgentRow> {
  const [row] = await db.select().from(agents).where(eq(agents.id, id));
  if (!row) throw new AppError('agent.not_found');
  return row;
}

export async function findAgentRowByEmail(
  db: DbOrTx,
  email: string,
): Promise<AgentRow | undefined> {
  const [row] = await db.select().from(agents).where(eq(agents.email, email.toLowerCase()));
  return row;
}

export async function getAgent(deps: Pick<Deps, 'db'>, id: string): Promise<TAgent> {
  const row = await getAgentRow(deps.db, id);
  return toAgent(row, (await findTeamIdsByAgent(deps.db, [id])).get(id) ?? []);
}

export async function createAgent(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  input: TCreateAgent,
): Promise<TAgent> {
  const passwordHash = await hashPassword(input.password);
  const id = await deps.db.transaction(async (tx) => {
    if (await findAgentRowByEmail(tx, input.email)) throw new AppError('agent.email_taken');
    const [row] = await tx
      .insert(agents)
      .values({
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        passwordHash,
        languages: input.languages,
        skills: input.skills,
        capacity: input.capacity,
      })
      .returning({ id: agents.id });
    if (!row) throw new Error('insert returned nothing');
    await setAgentTeams(tx, row.id, input.teamIds);
    await recordAudit(tx, actor, {
      action: 'agent.created',
      targetType: 'agent',
      targetId: row.id,
      data: { email: input.email, role: input.role },
    });
    return row.id;
  });
  return getAgent(deps, id);
}

export async function updateAgent(
  deps: Pick<Deps, 'db' | 'clock' | 'kickJobs' | 'publish'>,
  actor: Actor,
  id: string,
  input: TUpdateAgent,
): Promise<TAgent> {
  await deps.db.transaction(async (tx) => {
    const row = await getAgentRow(tx, id);
    const selfChange =
      actor.id === id && ((input.role && input.role !== row.role) || input.active === false);
    if (selfChange) throw new AppError('agent.cannot_change_self');
    const { teamIds, ...fields } = input;
    if (Object.keys(fields).length > 0) {
      await tx
        .update(agents)
        .set({ ...fields, updatedAt: deps.clock.now() })
        .where(eq(agents.id, id));
    }
    if (teamIds) await setAgentTeams(tx, id, teamIds);
    if (input.active === false) await revokeAllSessions(tx, deps.clock.now(), id);
    if (input.capacity !== undefined || teamIds || input.languages || input.skills) {
      await scheduleRouting(tx);
    }
    await recordAudit(tx, actor, {
      action: input.active === false ? 'agent.disabled' : 'agent.updated',
      targetType: 'agent',
      targetId: id,
      data: { changes: input },
    });
  });
  deps.kickJobs();
  publishAccessChanged(deps, id);
  return getAgent(deps, id);
}

function temporaryPassword(): string {
  return randomBytes(12).toString('base64url');
}

/** Sets a new password (given, or generated and returned once), unlocks the account and ends its sessions. */
export async function resetAgentPassword(
  deps: Pick<Deps, 'db' | 'clock' | 'publish'>,
  actor: Actor,
  id: string,
  password?: string,
): Promise<{ temporaryPassword?: string }> {
  const generated = password ? undefined : temporaryPassword();
  const passwordHash = await hashPassword(password ?? (generated as string));
  await deps.db.transaction(async (tx) => {
    await getAgentRow(tx, id);
    await tx
      .update(agents)
      .set({ passwordHash, failedLoginCount: 0, lockedUntil: null, updatedAt: deps.clock.now() })
      .where(eq(agents.id, id));
    const ended = await revokeAllSessions(tx, deps.clock.now(), id);
    await recordAudit(tx, actor, {
      action: 'agent.password_reset',
      targetType: 'agent',
      targetId: id,
      data: { sessionsEnded: ended },
    });
  });
  publishAccessChanged(deps, id);
  return generated ? { temporaryPassword: generated } : {};
}

export async function unlockAgent(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: Actor,
  id: string,
): Promise<TAgent> {
  await deps.db.transaction(async (tx) => {
    await getAgentRow(tx, id);
    await tx
      .update(agents)
      .set({ failedLoginCount: 0, lockedUntil: null, updatedAt: deps.clock.now() })
      .where(eq(agents.id, id));
    await recordAudit(tx, actor, { action: 'agent.unlocked', targetType: 'agent', targetId: id });
  });
  return getAgent(deps, id);
}

export async function setAvailability(
  deps: Pick<Deps, 'db' | 'clock' | 'kickJobs'>,
  actor: Actor,
  agentId: string,
  availability: TAvailability,
): Promise<TAgent> {
  await deps.db.transaction(async (tx) => {
    await tx
      .update(agents)
      .set({ availability, updatedAt: deps.clock.now() })
      .where(eq(agents.id, agentId));
    await recordAudit(tx, actor, {
      action: 'agent.availability_changed',
      targetType: 'agent',
      targetId: agentId,
      data: { availability },
    });
    // An agent coming online can take waiting conversations.
    if (availability === 'online') await scheduleRouting(tx);
  });
  deps.kickJobs();
  return getAgent(deps, agentId);
}

export async function countAgents(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(agents);
  return Number(row?.n ?? 0);
}
