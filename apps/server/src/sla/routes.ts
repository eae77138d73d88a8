import { ZBusinessHours, ZIdParams, ZOk, ZSlaPolicy, ZSlaPolicyInput, ZTeam } from '@kefu/shared';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../audit/record-audit.ts';
import type { Deps } from '../deps.ts';
import { actorOf } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import { AppError } from '../lib/app-error.ts';
import { teams } from '../teams/schema.ts';
import { getTeam } from '../teams/teams.ts';
import { validateCalendar } from './business-hours.ts';
import { createSlaPolicy, deleteSlaPolicy, findSlaPolicies, updateSlaPolicy } from './policies.ts';

export function slaRoutes(app: App, deps: Deps) {
  const tags = ['sla'];
  const managers = { access: ['admin', 'supervisor'] as const };
  app.get(
    '/api/v1/sla-policies',
    {
      schema: {
        tags,
        summary: 'SLA policies',
        response: { 200: z.object({ policies: z.array(ZSlaPolicy) }), ...errorResponses },
      },
    },
    async () => ({ policies: await findSlaPolicies(deps) }),
  );
  app.post(
    '/api/v1/sla-policies',
    {
      config: managers,
      schema: {
        tags,
        summary:
          'Create an SLA policy: targets by priority, VIP level and channel, and what a breach does (admin, supervisor)',
        body: ZSlaPolicyInput,
        response: { 201: ZSlaPolicy, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createSlaPolicy(deps, actorOf(request), request.body)),
  );
  app.patch(
    '/api/v1/sla-policies/:id',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Change an SLA policy (admin, supervisor)',
        params: ZIdParams,
        body: ZSlaPolicyInput.partial(),
        response: { 200: ZSlaPolicy, ...errorResponses },
      },
    },
    async (request) => updateSlaPolicy(deps, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/v1/sla-policies/:id',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Delete an SLA policy (admin, supervisor)',
        params: ZIdParams,
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request) => {
      await deleteSlaPolicy(deps, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
  app.get(
    '/api/v1/teams/:id/business-hours',
    {
      config: managers,
      schema: {
        tags: ['teams'],
        summary:
          "A team's weekly hours and holidays in its time zone; null = always open (admin, supervisor)",
        params: ZIdParams,
        response: { 200: ZTeam.extend({ businessHours: ZBusinessHours }), ...errorResponses },
      },
    },
    async (request) => {
      const team = await getTeam(deps, request.params.id);
      const [row] = await deps.db
        .select({ hours: teams.businessHours })
        .from(teams)
        .where(eq(teams.id, team.id));
      return { ...team, businessHours: row?.hours ?? null };
    },
  );
  app.put(
    '/api/v1/teams/:id/business-hours',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['teams'],
        summary: "A team's weekly hours and holidays in its time zone; null = always open (admin)",
        params: ZIdParams,
        body: z.strictObject({ businessHours: ZBusinessHours }),
        response: { 200: ZTeam.extend({ businessHours: ZBusinessHours }), ...errorResponses },
      },
    },
    async (request) => {
      const team = await getTeam(deps, request.params.id);
      const hours = request.body.businessHours;
      if (hours) {
        const problems = validateCalendar({
          timezone: team.timezone,
          weekly: hours.weekly as never,
          holidays: hours.holidays,
        });
        if (problems.length > 0)
          throw new AppError('team.invalid_hours', { vars: { problems: problems.join('; ') } });
      }
      await deps.db.transaction(async (tx) => {
        await tx
          .update(teams)
          .set({ businessHours: hours as never })
          .where(eq(teams.id, team.id));
        await recordAudit(tx, actorOf(request), {
          action: 'team.hours_changed',
          targetType: 'team',
          targetId: team.id,
          data: { businessHours: hours },
        });
      });
      return { ...(await getTeam(deps, team.id)), businessHours: hours };
    },
  );
}
