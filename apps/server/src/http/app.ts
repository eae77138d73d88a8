import { existsSync } from 'node:fs';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { announcementRoutes } from '../announcements/routes.ts';
import { assistantRoutes } from '../assistant/routes.ts';
import { attachmentRoutes } from '../attachments/routes.ts';
import { auditRoutes } from '../audit/routes.ts';
import { authRoutes } from '../auth/routes.ts';
import { cannedRoutes } from '../canned/routes.ts';
import { apiChannelRoutes } from '../channels/api/routes.ts';
import { emailChannelRoutes } from '../channels/email/routes.ts';
import { telegramRoutes } from '../channels/telegram/routes.ts';
import { widgetRoutes } from '../channels/widget/routes.ts';
import { widgetSettingsRoutes } from '../channels/widget/settings-routes.ts';
import { contactRoutes } from '../contacts/routes.ts';
import { conversationRoutes } from '../conversations/routes.ts';
import { csatRoutes } from '../csat/routes.ts';
import type { Database } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { helpCenterRoutes } from '../helpcenter/routes.ts';
import { inboxRoutes } from '../inboxes/routes.ts';
import { knowledgeRoutes } from '../knowledge/routes.ts';
import { serverPath } from '../paths.ts';
import { reportRoutes } from '../reports/routes.ts';
import { officialChannelRoutes } from '../safety/official-channels-routes.ts';
import { settingsRoutes } from '../settings/routes.ts';
import { slaRoutes } from '../sla/routes.ts';
import { teamRoutes } from '../teams/routes.ts';
import { ticketRoutes } from '../tickets/routes.ts';
import { VERSION } from '../version.ts';
import { webhookRoutes } from '../webhooks/routes.ts';
import { registerAuthGuard } from './auth-guard.ts';
import { errorHandler, sendError } from './error-handler.ts';
import { registerMetrics } from './metrics.ts';
import type { App } from './types.ts';

export const CONSOLE_DIST = serverPath('..', 'console', 'dist');
export const WIDGET_DIST = serverPath('..', 'widget', 'dist');

export type BuildAppOptions = {
  deps: Deps;
  database: Database;
  /** Shared rate-limit counters between nodes (server mode). */
  redis?: Redis;
};

export async function buildApp({ deps, database, redis }: BuildAppOptions): Promise<App> {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
    // Errors raised before routing (a URL with a broken %-escape…) get the same error format.
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        frameAncestors: ["'self'"],
      },
    },
    // The widget's script and API are loaded cross-origin by exchange sites.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  // Customer endpoints authenticate with a bearer token, never a cookie, so any exchange site may
  // call them (the widget session still checks the inbox's allowed origins). Cookie-based agent
  // endpoints answer only the configured origins.
  const TOKEN_ROUTES = /^\/api\/v1\/(widget|customer|kb|verify|tickets)\b/;
  await app.register(fastifyCors, {
    delegator: (request, callback) => {
      const origin = request.headers.origin;
      if (TOKEN_ROUTES.test(request.url ?? '')) {
        callback(null, { origin: origin ?? false, credentials: false });
        return;
      }
      callback(null, {
        origin: origin !== undefined && config.widgetOrigins.includes(origin),
        credentials: true,
      });
    },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    ...(redis ? { redis, nameSpace: 'kefu-rate-limit:' } : {}),
    errorResponseBuilder: (_request, context) => {
      const error = new Error('rate limited') as Error & { statusCode: number; retryAfter: number };
      error.statusCode = 429;
      error.retryAfter = Math.ceil(context.ttl / 1000);
      return error;
    },
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kefu API',
        version: VERSION,
        description:
          'Kefu (客服) customer-service platform for crypto exchanges. Errors are JSON `{ "error": { "code", "message", "details"? } }`; send `Accept-Language: zh-CN` for Chinese messages. Agents authenticate with the session cookie set by `POST /api/v1/auth/login`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'kefu_session' },
          customer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'customer token from POST /api/v1/widget/session',
          },
          inboxToken: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'API inbox token from POST /api/v1/channels/api',
          },
        },
      },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  registerAuthGuard(app, deps);
  const metrics = registerMetrics(app, database);

  // Sign-in first: it is the route people look for first in the document.
  authRoutes(app, deps);
  teamRoutes(app, deps);
  settingsRoutes(app, deps);
  auditRoutes(app, deps);
  conversationRoutes(app, deps);
  contactRoutes(app, deps);
  inboxRoutes(app, deps);
  widgetRoutes(app, deps);
  emailChannelRoutes(app, deps);
  telegramRoutes(app, deps);
  apiChannelRoutes(app, deps);
  helpCenterRoutes(app, deps);
  officialChannelRoutes(app, deps);
  knowledgeRoutes(app, deps);
  assistantRoutes(app, deps);
  attachmentRoutes(app, deps);
  ticketRoutes(app, deps);
  reportRoutes(app, deps);
  csatRoutes(app, deps);
  webhookRoutes(app, deps);
  cannedRoutes(app, deps);
  slaRoutes(app, deps);
  announcementRoutes(app, deps);
  widgetSettingsRoutes(app, deps);

  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['ops'],
        summary: 'The process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['ops'],
        summary: 'The database answers and every migration is applied',
        response: {
          200: z.object({ status: z.literal('ready') }),
          503: z.object({ status: z.literal('unavailable'), reason: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      if (!(await database.ping()))
        return reply.status(503).send({ status: 'unavailable' as const, reason: 'database' });
      if (!(await database.migrationsApplied()))
        return reply.status(503).send({ status: 'unavailable' as const, reason: 'migrations' });
      return { status: 'ready' as const };
    },
  );
  app.get(
    '/metrics',
    { config: { access: 'public' }, schema: { hide: true } },
    async (_request, reply) => {
      reply.header('content-type', metrics.contentType);
      return metrics.metrics();
    },
  );

  // The built console at /, the widget at /widget.js.
  const consoleBuilt = existsSync(CONSOLE_DIST);
  if (consoleBuilt) {
    await app.register(fastifyStatic, {
      root: CONSOLE_DIST,
      prefix: '/',
      // Looked up per request, so a rebuilt console is served without a restart.
      wildcard: true,
      index: ['index.html'],
    });
  }
  if (existsSync(WIDGET_DIST)) {
    await app.register(fastifyStatic, {
      root: WIDGET_DIST,
      prefix: '/widget/',
      decorateReply: !consoleBuilt,
    });
    app.get('/widget.js', { schema: { hide: true } }, (_request, reply) =>
      reply.sendFile('widget.js', WIDGET_DIST),
    );
  }

  app.setNotFoundHandler((request, reply) => {
    const wantsHtml =
      request.method === 'GET' && (request.headers.accept ?? '').includes('text/html');
    const isApi = request.url.startsWith('/api/');
    if (wantsHtml && !isApi && consoleBuilt) {
      // Client-side routes of the console.
      return reply.type('text/html').sendFile('index.html', CONSOLE_DIST);
    }
    return sendError(request, reply, 'request.not_found');
  });

  return app;
}
