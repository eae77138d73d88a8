import type { TRole } from '@kefu/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type AgentRow, authenticateSession, type SessionRow } from '../auth/sessions.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { getSecuritySettings } from '../settings/settings.ts';

export const SESSION_COOKIE = 'kefu_session';

/**
 * Per-route access, declared in the route's `config.access`:
 * - 'public': anyone (rate-limited where it matters);
 * - 'agent' (the default under /api/v1): any signed-in agent;
 * - a list of roles: only those.
 * `enrollment: true` lets an agent who must still set up 2FA through.
 */
export type RouteAccess = { access?: 'public' | 'agent' | readonly TRole[]; enrollment?: boolean };

declare module 'fastify' {
  interface FastifyContextConfig extends RouteAccess {}
  interface FastifyRequest {
    auth: { agent: AgentRow; session: SessionRow } | null;
  }
}

export function actorOf(request: FastifyRequest): Actor {
  return {
    type: request.auth ? 'agent' : 'anonymous',
    id: request.auth?.agent.id ?? null,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  };
}

/** The signed-in agent; only call in routes whose access is not 'public'. */
export function agentOf(request: FastifyRequest): { agent: AgentRow; session: SessionRow } {
  if (!request.auth) throw new AppError('auth.unauthenticated');
  return request.auth;
}

export function registerAuthGuard(app: FastifyInstance, deps: Deps) {
  app.decorateRequest('auth', null);
  // onRequest runs before the body is parsed and validated: an anonymous caller gets 401,
  // not a list of what its body got wrong.
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config as RouteAccess;
    const url = request.routeOptions.url ?? '';
    if (!url.startsWith('/api/v1')) return;
    const access = config.access ?? 'agent';
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.auth = await authenticateSession(deps, token);
    if (access === 'public') return;
    if (!request.auth) throw new AppError('auth.unauthenticated');
    if (!config.enrollment && !request.auth.agent.totpSecret) {
      const security = await getSecuritySettings(deps.db);
      if (security.requireTwoFactor) throw new AppError('auth.two_factor_enrollment_required');
    }
    if (access !== 'agent' && !access.includes(request.auth.agent.role))
      throw new AppError('auth.forbidden');
  });
}
