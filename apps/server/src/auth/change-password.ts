import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { getAgentRow } from './agents.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { agents } from './schema.ts';
import { publishAccessChanged, revokeAllSessions } from './sessions.ts';

/** An agent changes their own password; their other sessions end. */
export async function changePassword(
  deps: Pick<Deps, 'db' | 'clock' | 'publish'>,
  actor: Actor,
  agentId: string,
  currentSessionId: string,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const agent = await getAgentRow(deps.db, agentId);
  if (!(await verifyPassword(agent.passwordHash, input.currentPassword))) {
    throw new AppError('auth.invalid_credentials');
  }
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(agents)
      .set({ passwordHash, updatedAt: deps.clock.now() })
      .where(eq(agents.id, agentId));
    const ended = await revokeAllSessions(tx, deps.clock.now(), agentId, currentSessionId);
    await recordAudit(tx, actor, {
      action: 'auth.password_changed',
      targetType: 'agent',
      targetId: agentId,
      data: { otherSessionsEnded: ended },
    });
  });
  publishAccessChanged(deps, agentId);
}
