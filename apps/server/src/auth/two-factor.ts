import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { decryptSecret, encryptSecret } from '../lib/crypto.ts';
import { getAgentRow } from './agents.ts';
import { claimTotpStep, TOTP_PURPOSE } from './login.ts';
import { verifyPassword } from './password.ts';
import { issueRecoveryCodes } from './recovery-codes.ts';
import { agents, recoveryCodes } from './schema.ts';
import { publishAccessChanged, revokeAllSessions } from './sessions.ts';
import { checkTotp, newTotpSecret, totpQrDataUrl, totpUri } from './totp.ts';

/** Starts enrolment: a new secret kept pending until the agent proves their app has it. */
export async function startTotpSetup(
  deps: Deps,
  agentId: string,
): Promise<{ secret: string; otpauthUrl: string; qrDataUrl: string }> {
  const agent = await getAgentRow(deps.db, agentId);
  if (agent.totpSecret) throw new AppError('auth.totp_already_enrolled');
  const secret = newTotpSecret();
  await deps.db
    .update(agents)
    .set({ totpPendingSecret: encryptSecret(deps.config.secretKey, TOTP_PURPOSE, secret) })
    .where(eq(agents.id, agentId));
  const otpauthUrl = totpUri(secret, agent.email, 'Kefu');
  return { secret, otpauthUrl, qrDataUrl: await totpQrDataUrl(otpauthUrl) };
}

/** Confirms enrolment with a code from the app; returns the recovery codes, shown once. */
export async function confirmTotpSetup(
  deps: Deps,
  actor: Actor,
  agentId: string,
  code: string,
): Promise<string[]> {
  const agent = await getAgentRow(deps.db, agentId);
  if (agent.totpSecret) throw new AppError('auth.totp_already_enrolled');
  if (!agent.totpPendingSecret) throw new AppError('auth.totp_setup_missing');
  const secret = decryptSecret(deps.config.secretKey, TOTP_PURPOSE, agent.totpPendingSecret);
  const now = deps.clock.now();
  const step = await checkTotp(secret, code, now, null);
  if (step === null) throw new AppError('auth.totp_invalid');
  return deps.db.transaction(async (tx) => {
    await tx
      .update(agents)
      .set({
        totpSecret: agent.totpPendingSecret,
        totpPendingSecret: null,
        totpEnabledAt: now,
        totpLastStep: step,
      })
      .where(eq(agents.id, agentId));
    const codes = await issueRecoveryCodes(tx, agentId);
    await recordAudit(tx, actor, {
      action: 'auth.2fa_enabled',
      targetType: 'agent',
      targetId: agentId,
    });
    return codes;
  });
}

async function requireValidTotp(deps: Deps, agentId: string, code: string): Promise<number> {
  const agent = await getAgentRow(deps.db, agentId);
  if (!agent.totpSecret) throw new AppError('auth.totp_not_enrolled');
  const secret = decryptSecret(deps.config.secretKey, TOTP_PURPOSE, agent.totpSecret);
  const step = await checkTotp(secret, code, deps.clock.now(), agent.totpLastStep);
  if (step === null || !(await claimTotpStep(deps.db, agentId, step)))
    throw new AppError('auth.totp_invalid');
  return step;
}

export async function regenerateRecoveryCodes(
  deps: Deps,
  actor: Actor,
  agentId: string,
  code: string,
): Promise<string[]> {
  await requireValidTotp(deps, agentId, code);
  return deps.db.transaction(async (tx) => {
    const codes = await issueRecoveryCodes(tx, agentId);
    await recordAudit(tx, actor, {
      action: 'auth.recovery_codes_regenerated',
      targetType: 'agent',
      targetId: agentId,
    });
    return codes;
  });
}

/** The agent turns 2FA off, proving both the password and a current code. */
export async function disableTotp(
  deps: Deps,
  actor: Actor,
  agentId: string,
  password: string,
  code: string,
): Promise<void> {
  const agent = await getAgentRow(deps.db, agentId);
  if (!(await verifyPassword(agent.passwordHash, password)))
    throw new AppError('auth.invalid_credentials');
  await requireValidTotp(deps, agentId, code);
  await clearTotp(deps, actor, agentId, 'auth.2fa_disabled');
}

/** An admin clears an agent's 2FA (lost phone); the agent's sessions end and they enrol again. */
export async function resetAgentTwoFactor(
  deps: Deps,
  actor: Actor,
  agentId: string,
): Promise<void> {
  await getAgentRow(deps.db, agentId);
  await clearTotp(deps, actor, agentId, 'agent.2fa_reset');
}

async function clearTotp(deps: Deps, actor: Actor, agentId: string, action: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await tx
      .update(agents)
      .set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null })
      .where(eq(agents.id, agentId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.agentId, agentId));
    if (action === 'agent.2fa_reset') await revokeAllSessions(tx, deps.clock.now(), agentId);
    await recordAudit(tx, actor, { action, targetType: 'agent', targetId: agentId });
  });
  if (action === 'agent.2fa_reset') publishAccessChanged(deps, agentId);
}
