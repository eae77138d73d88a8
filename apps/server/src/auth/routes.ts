import {
  ZAgent,
  ZAgentList,
  ZChangePassword,
  ZCreateAgent,
  ZIdParams,
  ZLoginRequest,
  ZMe,
  ZOk,
  ZRecoveryCodes,
  ZResetPassword,
  ZResetPasswordResult,
  ZSession,
  ZSetAvailability,
  ZTotpConfirm,
  ZTotpDisable,
  ZTotpSetup,
  ZUpdateAgent,
} from '@kefu/shared';
import { z } from 'zod';
import { recordAudit } from '../audit/record-audit.ts';
import type { Deps } from '../deps.ts';
import { actorOf, agentOf, SESSION_COOKIE } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import { getSecuritySettings } from '../settings/settings.ts';
import {
  createAgent,
  findAgents,
  getAgent,
  resetAgentPassword,
  setAvailability,
  unlockAgent,
  updateAgent,
} from './agents.ts';
import { changePassword } from './change-password.ts';
import { login } from './login.ts';
import {
  findActiveSessions,
  publishAccessChanged,
  revokeAllSessions,
  revokeSession,
} from './sessions.ts';
import {
  confirmTotpSetup,
  disableTotp,
  regenerateRecoveryCodes,
  resetAgentTwoFactor,
  startTotpSetup,
} from './two-factor.ts';

const ZSessionParams = z.object({ sessionId: z.uuid() });

export function authRoutes(app: App, deps: Deps) {
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.config.cookieSecure,
    path: '/',
  };

  async function me(agentId: string, sessionId: string, expiresAt: Date) {
    const agent = await getAgent(deps, agentId);
    const security = await getSecuritySettings(deps.db);
    return {
      agent,
      session: { id: sessionId, expiresAt: expiresAt.toISOString() },
      twoFactorEnrollmentRequired: security.requireTwoFactor && !agent.twoFactorEnabled,
      twoFactorRequired: security.requireTwoFactor,
    };
  }

  app.post(
    '/api/v1/auth/login',
    {
      config: {
        access: 'public',
        rateLimit: { max: deps.config.rateLimitLogin, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email, password and (when enrolled) a TOTP or recovery code',
        description:
          'Sets the httpOnly session cookie. Answers 401 auth.totp_required when the password is right and a second factor is needed; 423 auth.account_locked after repeated failures.',
        body: ZLoginRequest,
        response: { 200: ZMe, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await login(deps, request.body, {
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      reply.setCookie(SESSION_COOKIE, result.token, {
        ...cookieOptions,
        expires: result.session.expiresAt,
      });
      return me(result.agent.id, result.session.id, result.session.expiresAt);
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      config: { enrollment: true },
      schema: {
        tags: ['auth'],
        summary: 'Sign out (ends this session)',
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { agent, session } = agentOf(request);
      await revokeSession(deps, actorOf(request), agent.id, session.id);
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      config: { enrollment: true },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in agent',
        response: { 200: ZMe, ...errorResponses },
      },
    },
    async (request) => {
      const { agent, session } = agentOf(request);
      return me(agent.id, session.id, session.expiresAt);
    },
  );

  app.get(
    '/api/v1/auth/sessions',
    {
      config: { enrollment: true },
      schema: {
        tags: ['auth'],
        summary: 'My active sessions',
        response: { 200: z.object({ sessions: z.array(ZSession) }), ...errorResponses },
      },
    },
    async (request) => {
      const { agent, session } = agentOf(request);
      return { sessions: await findActiveSessions(deps, agent.id, session.id) };
    },
  );

  app.delete(
    '/api/v1/auth/sessions/:sessionId',
    {
      config: { enrollment: true },
      schema: {
        tags: ['auth'],
        summary: 'End one of my sessions (e.g. a lost laptop)',
        params: ZSessionParams,
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request) => {
      const { agent } = agentOf(request);
      await revokeSession(deps, actorOf(request), agent.id, request.params.sessionId);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { enrollment: true },
      schema: {
        tags: ['auth'],
        summary: 'Change my password (ends my other sessions)',
        body: ZChangePassword,
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request) => {
      const { agent, session } = agentOf(request);
      await changePassword(deps, actorOf(request), agent.id, session.id, request.body);
      return { ok: true as const };
    },
  );

  app.put(
    '/api/v1/auth/availability',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set my availability (online, away, offline)',
        body: ZSetAvailability,
        response: { 200: ZAgent, ...errorResponses },
      },
    },
    async (request) =>
      setAvailability(deps, actorOf(request), agentOf(request).agent.id, request.body.availability),
  );

  app.post(
    '/api/v1/auth/2fa/setup',
    {
      config: { enrollment: true },
      schema: {
        tags: ['auth'],
        summary: 'Start TOTP enrolment: a secret, its otpauth URL and a QR code',
        response: { 200: ZTotpSetup, ...errorResponses },
      },
    },
    async (request) => startTotpSetup(deps, agentOf(request).agent.id),
  );

  app.post(
    '/api/v1/auth/2fa/confirm',
    {
      config: { enrollment: true },
      schema: {
        tags: ['auth'],
        summary: 'Finish TOTP enrolment with a code from the app; returns recovery codes once',
        body: ZTotpConfirm,
        response: { 200: ZRecoveryCodes, ...errorResponses },
      },
    },
    async (request) => ({
      recoveryCodes: await confirmTotpSetup(
        deps,
        actorOf(request),
        agentOf(request).agent.id,
        request.body.code,
      ),
    }),
  );

  app.post(
    '/api/v1/auth/2fa/disable',
    {
      schema: {
        tags: ['auth'],
        summary: 'Turn my 2FA off (password and a current code)',
        body: ZTotpDisable,
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request) => {
      await disableTotp(
        deps,
        actorOf(request),
        agentOf(request).agent.id,
        request.body.password,
        request.body.code,
      );
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/auth/2fa/recovery-codes',
    {
      schema: {
        tags: ['auth'],
        summary: 'Replace my recovery codes (a current code required)',
        body: ZTotpConfirm,
        response: { 200: ZRecoveryCodes, ...errorResponses },
      },
    },
    async (request) => ({
      recoveryCodes: await regenerateRecoveryCodes(
        deps,
        actorOf(request),
        agentOf(request).agent.id,
        request.body.code,
      ),
    }),
  );

  // Administration of agents.
  app.get(
    '/api/v1/agents',
    {
      schema: {
        tags: ['agents'],
        summary: 'All agents',
        response: { 200: ZAgentList, ...errorResponses },
      },
    },
    async () => ({ agents: await findAgents(deps) }),
  );

  app.post(
    '/api/v1/agents',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['agents'],
        summary: 'Create an agent (admin)',
        body: ZCreateAgent,
        response: { 201: ZAgent, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createAgent(deps, actorOf(request), request.body)),
  );

  app.get(
    '/api/v1/agents/:id',
    {
      schema: {
        tags: ['agents'],
        summary: 'One agent',
        params: ZIdParams,
        response: { 200: ZAgent, ...errorResponses },
      },
    },
    async (request) => getAgent(deps, request.params.id),
  );

  app.patch(
    '/api/v1/agents/:id',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['agents'],
        summary: 'Change an agent: role, languages, skills, capacity, teams, active (admin)',
        params: ZIdParams,
        body: ZUpdateAgent,
        response: { 200: ZAgent, ...errorResponses },
      },
    },
    async (request) => updateAgent(deps, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/v1/agents/:id/reset-password',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['agents'],
        summary: 'Set or generate a new password, unlock, end sessions (admin)',
        params: ZIdParams,
        body: ZResetPassword,
        response: { 200: ZResetPasswordResult, ...errorResponses },
      },
    },
    async (request) =>
      resetAgentPassword(deps, actorOf(request), request.params.id, request.body.password),
  );

  app.post(
    '/api/v1/agents/:id/unlock',
    {
      config: { access: ['admin', 'supervisor'] },
      schema: {
        tags: ['agents'],
        summary: 'Lift a sign-in lockout (admin, supervisor)',
        params: ZIdParams,
        response: { 200: ZAgent, ...errorResponses },
      },
    },
    async (request) => unlockAgent(deps, actorOf(request), request.params.id),
  );

  app.post(
    '/api/v1/agents/:id/2fa/reset',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['agents'],
        summary: "Clear an agent's 2FA (lost device) and end their sessions (admin)",
        params: ZIdParams,
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request) => {
      await resetAgentTwoFactor(deps, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/v1/agents/:id/sessions',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['agents'],
        summary: "An agent's active sessions (admin)",
        params: ZIdParams,
        response: { 200: z.object({ sessions: z.array(ZSession) }), ...errorResponses },
      },
    },
    async (request) => {
      await getAgent(deps, request.params.id);
      return {
        sessions: await findActiveSessions(deps, request.params.id, agentOf(request).session.id),
      };
    },
  );

  app.delete(
    '/api/v1/agents/:id/sessions',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['agents'],
        summary: "End all of an agent's sessions (admin)",
        params: ZIdParams,
        response: { 200: z.object({ ended: z.number().int() }), ...errorResponses },
      },
    },
    async (request) => {
      await getAgent(deps, request.params.id);
      const result = await deps.db.transaction(async (tx) => {
        const ended = await revokeAllSessions(tx, deps.clock.now(), request.params.id);
        await recordAudit(tx, actorOf(request), {
          action: 'agent.sessions_revoked',
          targetType: 'agent',
          targetId: request.params.id,
          data: { ended },
        });
        return { ended };
      });
      publishAccessChanged(deps, request.params.id);
      return result;
    },
  );

  app.delete(
    '/api/v1/agents/:id/sessions/:sessionId',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['agents'],
        summary: "End one of an agent's sessions (admin)",
        params: ZIdParams.extend(ZSessionParams.shape),
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request) => {
      await revokeSession(deps, actorOf(request), request.params.id, request.params.sessionId);
      return { ok: true as const };
    },
  );
}
