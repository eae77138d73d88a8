import {
  ZAnnouncement,
  ZAnnouncementList,
  ZCreateAnnouncement,
  ZIdParams,
  ZPublicAnnouncementList,
  ZUpdateAnnouncement,
} from '@kefu/shared';
import type { Deps } from '../deps.ts';
import { actorOf } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import {
  createAnnouncement,
  findAnnouncements,
  findCurrentAnnouncements,
  resolveAnnouncement,
  toPublicAnnouncement,
  updateAnnouncement,
} from './announcements.ts';

export function announcementRoutes(app: App, deps: Deps) {
  const tags = ['announcements'];
  const readers = { access: ['admin', 'supervisor', 'agent'] as const };
  const admins = { access: ['admin'] as const };
  const publicLimit = { max: deps.config.rateLimitPublic, timeWindow: '1 minute' };

  app.get(
    '/api/v1/announcements',
    {
      config: readers,
      schema: {
        tags,
        summary: 'Announcements and incidents, newest first (the last 200)',
        response: { 200: ZAnnouncementList, ...errorResponses },
      },
    },
    async () => ({ announcements: await findAnnouncements(deps) }),
  );
  app.post(
    '/api/v1/announcements',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Publish an announcement or incident (admin)',
        description:
          "Shown at once (or from startsAt) at the top of every help-center page and in open widgets, in the customer's language. With intents, keywords or assets, the assistant answers matching questions with it first.",
        body: ZCreateAnnouncement,
        response: { 201: ZAnnouncement, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createAnnouncement(deps, actorOf(request), request.body)),
  );
  app.patch(
    '/api/v1/announcements/:id',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Change an announcement that is not resolved (admin)',
        params: ZIdParams,
        body: ZUpdateAnnouncement,
        response: { 200: ZAnnouncement, ...errorResponses },
      },
    },
    async (request) => updateAnnouncement(deps, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/v1/announcements/:id/resolve',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Resolve an announcement: it leaves the banners and the assistant (admin)',
        params: ZIdParams,
        response: { 200: ZAnnouncement, ...errorResponses },
      },
    },
    async (request) => resolveAnnouncement(deps, actorOf(request), request.params.id),
  );
  app.get(
    '/api/v1/widget/announcements',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags: ['customer'],
        summary: 'The announcements customers see now (both languages)',
        security: [],
        response: { 200: ZPublicAnnouncementList, ...errorResponses },
      },
    },
    async () => ({
      announcements: (await findCurrentAnnouncements(deps)).map(toPublicAnnouncement),
    }),
  );
}
