import { ZCreateTeam, ZIdParams, ZTeam, ZTeamList, ZUpdateTeam } from '@kefu/shared';
import type { Deps } from '../deps.ts';
import { actorOf } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import { createTeam, findTeams, getTeam, updateTeam } from './teams.ts';

export function teamRoutes(app: App, deps: Deps) {
  app.get(
    '/api/v1/teams',
    {
      schema: {
        tags: ['teams'],
        summary: 'All teams',
        response: { 200: ZTeamList, ...errorResponses },
      },
    },
    async () => ({ teams: await findTeams(deps) }),
  );
  app.get(
    '/api/v1/teams/:id',
    {
      schema: {
        tags: ['teams'],
        summary: 'One team',
        params: ZIdParams,
        response: { 200: ZTeam, ...errorResponses },
      },
    },
    async (request) => getTeam(deps, request.params.id),
  );
  app.post(
    '/api/v1/teams',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['teams'],
        summary: 'Create a team (admin)',
        body: ZCreateTeam,
        response: { 201: ZTeam, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createTeam(deps, actorOf(request), request.body)),
  );
  app.patch(
    '/api/v1/teams/:id',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['teams'],
        summary: 'Change a team (admin)',
        params: ZIdParams,
        body: ZUpdateTeam,
        response: { 200: ZTeam, ...errorResponses },
      },
    },
    async (request) => updateTeam(deps, actorOf(request), request.params.id, request.body),
  );
}
