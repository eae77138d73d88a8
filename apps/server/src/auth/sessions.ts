import type { TSession } from '@kefu/shared';
import { and, desc, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { randomToken, sha256Hex } from '../lib/crypto.ts';
import { agents, sessions } from './schema.ts';

export type AgentRow = typeof agents.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

export async function createSession(
  deps: Pick<Deps, 'clock' | 'config'>,
  db: DbOrTx,
  agentId: string,
  context: { ip?: string | null; userAgent?: string | null },
): Promise<{ token: string; session: SessionRow }> {
  const token = randomToken(32);
  const now = deps.clock.now();
  const [session] = await db
    .insert(sessions)
    .values({
      agentId,
      tokenHash: sha256Hex(token),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + deps.config.sessionTtlHours * 3_600_000),
      ip: context.ip ?? null,
      userAgent: context.userAgent ? context.userAgent.slice(0, 300) : null,
    })
    .returning();
  if (!session) throw new Error('insert returned nothing');
  return { token, session };
}

/** The agent and session behind a cookie token, or null when it is unknown, expired, revoked or disabled. */
export async function authenticateSession(
  deps: Pick<Deps, 'db' | 'clock'>,
  token: string,
): Promise<{ agent: AgentRow; session: SessionRow } | null> {
  const now = deps.clock.now();
  const [row] = await deps.db
    .select({ agent: agents, session: sessions })
    .from(sessions)
    .innerJoin(agents, eq(agents.id, sessions.agentId))
    .where(
      and(
        eq(sessions.tokenHash, sha256Hex(token)),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, now),
        eq(agents.active, true),
      ),
    );
  if (!row) return null;
  // Touch at most once a minute: a write per request would cost more than it tells.
  if (now.getTime() - row.session.lastSeenAt.getTime() > 60_000) {
    await deps.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.session.id));
  }
  return row;
}

/**
 * Which of these sessions still hold (not revoked, not expired, the agent active), with their
 * agents: what open console sockets are checked against after an agent's access changed.
 */
export async function findValidSessions(
  deps: Pick<Deps, 'db' | 'clock'>,
  sessionIds: string[],
): Promise<Map<string, Pick<AgentRow, 'id' | 'role' | 'name'>>> {
  const valid = new Map<string, Pick<AgentRow, 'id' | 'role' | 'name'>>();
  if (sessionIds.length === 0) return valid;
  const rows = await deps.db
    .select({ sessionId: sessions.id, id: agents.id, role: agents.role, name: agents.name })
    .from(sessions)
    .innerJoin(agents, eq(agents.id, sessions.agentId))
    .where(
      and(
        inArray(sessions.id, sessionIds),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, deps.clock.now()),
        eq(agents.active, true),
      ),
    );
  for (const { sessionId, ...agent } of rows) valid.set(sessionId, agent);
  return valid;
}

/** After a commit that changed an agent's role, teams, account or sessions. */
export function publishAccessChanged(deps: Pick<Deps, 'publish'>, agentId: string): void {
  deps.publish({ type: 'agent.access_changed', agentId });
}

export async function findActiveSessions(
  deps: Pick<Deps, 'db' | 'clock'>,
  agentId: string,
  currentSessionId: string | null,
): Promise<TSession[]> {
  const rows = await deps.db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.agentId, agentId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, deps.clock.now()),
      ),
    )
    .orderBy(desc(sessions.lastSeenAt));
  return rows.map((s) => ({
    id: s.id,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    ip: s.ip,
    userAgent: s.userAgent,
    current: s.id === currentSessionId,
  }));
}

/** Revokes one session of an agent; 404 when it is not theirs or already ended. */
export async function revokeSession(
  deps: Pick<Deps, 'db' | 'clock' | 'publish'>,
  actor: Actor,
  agentId: string,
  sessionId: string,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const revoked = await tx
      .update(sessions)
      .set({ revokedAt: deps.clock.now() })
      .where(
        and(eq(sessions.id, sessionId), eq(sessions.agentId, agentId), isNull(sessions.revokedAt)),
      )
      .returning({ id: sessions.id });
    if (revoked.length === 0) throw new AppError('auth.session_not_found');
    await recordAudit(tx, actor, {
      action: 'auth.session_revoked',
      targetType: 'agent',
      targetId: agentId,
      data: { sessionId },
    });
  });
  publishAccessChanged(deps, agentId);
}

/** Ends every session of an agent, except `keepSessionId` when given. Returns how many ended. */
export async function revokeAllSessions(
  db: DbOrTx,
  now: Date,
  agentId: string,
  keepSessionId?: string,
): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(
      and(
        eq(sessions.agentId, agentId),
        isNull(sessions.revokedAt),
        keepSessionId ? ne(sessions.id, keepSessionId) : sql`true`,
      ),
    )
    .returning({ id: sessions.id });
  return rows.length;
}
