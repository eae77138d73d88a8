import type { TLoginRequest } from '@kefu/shared';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { decryptSecret } from '../lib/crypto.ts';
import { getSecuritySettings } from '../settings/settings.ts';
import { findAgentRowByEmail } from './agents.ts';
import { burnPasswordCheck, verifyPassword } from './password.ts';
import { consumeRecoveryCode } from './recovery-codes.ts';
import { agents } from './schema.ts';
import { type AgentRow, createSession, type SessionRow } from './sessions.ts';
import { checkTotp } from './totp.ts';

export const TOTP_PURPOSE = 'agent-totp';

export type LoginResult = {
  token: string;
  session: SessionRow;
  agent: AgentRow;
  twoFactorEnrollmentRequired: boolean;
};

type Context = { ip?: string | null; userAgent?: string | null };

/**
 * Signs an agent in: password, then TOTP or a recovery code when enrolled. Repeated failures
 * lock the account for a while; every outcome is audited.
 */
export async function login(
  deps: Deps,
  input: TLoginRequest,
  context: Context,
): Promise<LoginResult> {
  const now = deps.clock.now();
  const anonymous: Actor = { type: 'anonymous', id: null, ...context };
  const agent = await findAgentRowByEmail(deps.db, input.email);
  if (!agent) {
    await burnPasswordCheck(input.password);
    await recordAudit(deps.db, anonymous, {
      action: 'auth.login_failed',
      data: { email: input.email, reason: 'unknown_email' },
    });
    throw new AppError('auth.invalid_credentials');
  }
  const actor: Actor = { type: 'agent', id: agent.id, ...context };
  const lockedMessage = (until: Date) =>
    new AppError('auth.account_locked', {
      vars: { until: until.toISOString() },
      details: { lockedUntil: until.toISOString() },
    });

  if (agent.lockedUntil && agent.lockedUntil > now) {
    await recordAudit(deps.db, actor, {
      action: 'auth.login_blocked',
      targetType: 'agent',
      targetId: agent.id,
    });
    throw lockedMessage(agent.lockedUntil);
  }

  const fail = async (reason: string, error: AppError): Promise<never> => {
    // Counted in SQL so concurrent attempts cannot slip past the limit.
    const [row] = await deps.db
      .update(agents)
      .set({ failedLoginCount: sql`${agents.failedLoginCount} + 1` })
      .where(eq(agents.id, agent.id))
      .returning({ failed: agents.failedLoginCount });
    await recordAudit(deps.db, actor, {
      action: 'auth.login_failed',
      targetType: 'agent',
      targetId: agent.id,
      data: { reason, failedAttempts: row?.failed ?? 0 },
    });
    if ((row?.failed ?? 0) >= deps.config.loginMaxAttempts) {
      const until = new Date(now.getTime() + deps.config.loginLockMinutes * 60_000);
      await deps.db
        .update(agents)
        .set({ lockedUntil: until, failedLoginCount: 0 })
        .where(eq(agents.id, agent.id));
      await recordAudit(deps.db, actor, {
        action: 'auth.account_locked',
        targetType: 'agent',
        targetId: agent.id,
        data: { until: until.toISOString() },
      });
      throw lockedMessage(until);
    }
    throw error;
  };

  if (!(await verifyPassword(agent.passwordHash, input.password))) {
    return fail('wrong_password', new AppError('auth.invalid_credentials'));
  }
  if (!agent.active) throw new AppError('auth.account_disabled');

  let totpStep: number | null = null;
  if (agent.totpSecret) {
    if (input.totpCode) {
      const secret = decryptSecret(deps.config.secretKey, TOTP_PURPOSE, agent.totpSecret);
      totpStep = await checkTotp(secret, input.totpCode, now, agent.totpLastStep);
      if (totpStep === null) return fail('wrong_totp', new AppError('auth.totp_invalid'));
    } else if (input.recoveryCode) {
      if (!(await consumeRecoveryCode(deps.db, agent.id, input.recoveryCode, now))) {
        return fail('wrong_recovery_code', new AppError('auth.totp_invalid'));
      }
      await recordAudit(deps.db, actor, {
        action: 'auth.recovery_code_used',
        targetType: 'agent',
        targetId: agent.id,
      });
    } else {
      throw new AppError('auth.totp_required');
    }
  }

  const security = await getSecuritySettings(deps.db);
  return deps.db.transaction(async (tx) => {
    // The same code sent twice at once passes the check twice: only one sign-in takes it.
    if (totpStep !== null && !(await claimTotpStep(tx, agent.id, totpStep)))
      throw new AppError('auth.totp_invalid');
    await tx
      .update(agents)
      .set({ failedLoginCount: 0, lockedUntil: null, lastLoginAt: now })
      .where(eq(agents.id, agent.id));
    const { token, session } = await createSession(deps, tx, agent.id, context);
    await recordAudit(tx, actor, {
      action: 'auth.login',
      targetType: 'agent',
      targetId: agent.id,
      data: {
        sessionId: session.id,
        secondFactor: agent.totpSecret ? (input.totpCode ? 'totp' : 'recovery_code') : 'none',
      },
    });
    return {
      token,
      session,
      agent,
      twoFactorEnrollmentRequired: security.requireTwoFactor && !agent.totpSecret,
    };
  });
}

/**
 * Records the time step of a code just accepted, unless this or a later step was recorded
 * meanwhile: false means the code was used already (a replay racing the first use).
 */
export async function claimTotpStep(db: DbOrTx, agentId: string, step: number): Promise<boolean> {
  const claimed = await db
    .update(agents)
    .set({ totpLastStep: step })
    .where(
      and(eq(agents.id, agentId), or(isNull(agents.totpLastStep), lt(agents.totpLastStep, step))),
    )
    .returning({ id: agents.id });
  return claimed.length > 0;
}
