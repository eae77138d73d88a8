import {
  ZCreateOfficialChannel,
  ZIdParams,
  ZOfficialChannel,
  ZOfficialChannelList,
  ZOk,
  ZUpdateOfficialChannel,
  ZVerifyRequest,
  ZVerifyResult,
} from '@kefu/shared';
import type { Deps } from '../deps.ts';
import { actorOf } from '../http/auth-guard.ts';
import { localeOf } from '../http/error-handler.ts';
import { type App, errorResponses } from '../http/types.ts';
import { checkOfficialChannel } from './check-official-channel.ts';
import {
  createOfficialChannel,
  deleteOfficialChannel,
  findOfficialChannels,
  getOfficialChannel,
  updateOfficialChannel,
} from './official-channels.ts';

export function officialChannelRoutes(app: App, deps: Deps) {
  const tags = ['official-channels'];
  const readers = { access: ['admin', 'supervisor'] as const };
  const admins = { access: ['admin'] as const };
  const publicLimit = { max: deps.config.rateLimitPublic, timeWindow: '1 minute' };

  app.get(
    '/api/v1/official-channels',
    {
      config: readers,
      schema: {
        tags,
        summary: 'The official-channel registry (admin, supervisor)',
        response: { 200: ZOfficialChannelList, ...errorResponses },
      },
    },
    async () => ({ officialChannels: await findOfficialChannels(deps) }),
  );
  app.get(
    '/api/v1/official-channels/:id',
    {
      config: readers,
      schema: {
        tags,
        summary: 'One official channel (admin, supervisor)',
        params: ZIdParams,
        response: { 200: ZOfficialChannel, ...errorResponses },
      },
    },
    async (request) => getOfficialChannel(deps, request.params.id),
  );
  app.post(
    '/api/v1/official-channels',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Add an official channel (admin)',
        description:
          'The value is normalized for its kind (a URL becomes its registrable domain, handles lose their @ and are lower-cased…). A value that is not valid for its kind is a 400; one already registered is a 409.',
        body: ZCreateOfficialChannel,
        response: { 201: ZOfficialChannel, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createOfficialChannel(deps, actorOf(request), request.body)),
  );
  app.patch(
    '/api/v1/official-channels/:id',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Change an official channel (admin)',
        params: ZIdParams,
        body: ZUpdateOfficialChannel,
        response: { 200: ZOfficialChannel, ...errorResponses },
      },
    },
    async (request) =>
      updateOfficialChannel(deps, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/v1/official-channels/:id',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Remove an official channel (admin)',
        params: ZIdParams,
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request) => {
      await deleteOfficialChannel(deps, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
  app.post(
    '/api/v1/verify',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags,
        summary: 'Is this link, email, account or phone number an official channel?',
        description:
          'Public. Answers `official` (in the registry; subdomains of an official domain count), `lookalike` (not official but imitating an official channel: the brand inside another name, a near spelling, look-alike characters or punycode, another domain ending, an official name on another network) or `unknown` (treat as untrusted), with reasons and a standing safety notice in the request language (`locale`, else Accept-Language). Rate-limited per IP.',
        security: [],
        body: ZVerifyRequest,
        response: { 200: ZVerifyResult, ...errorResponses },
      },
    },
    async (request) =>
      checkOfficialChannel(deps, request.body.value, request.body.locale ?? localeOf(request)),
  );
}
