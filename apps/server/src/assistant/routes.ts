import { ZIdParams, ZOk } from '@kefu/shared';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { actorOf } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import {
  createCustomIntent,
  deleteCustomIntent,
  findCustomIntents,
  toCustomIntent,
  updateCustomIntent,
} from './custom-intents.ts';
import { INTENTS } from './intent-classifier.ts';
import { getAssistantSettings, saveAssistantSettings } from './settings.ts';

const ZIntentInput = z.strictObject({
  name: z
    .string()
    .trim()
    .regex(
      /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/,
      'name: lowercase words separated by dots, e.g. promo.airdrop',
    )
    .max(60),
  description: z.string().trim().max(500).default(''),
  examples: z.array(z.string().trim().min(2).max(500)).min(5, 'Give at least 5 examples').max(500),
  replies: z
    .strictObject({
      'zh-CN': z.string().trim().max(2000).optional(),
      en: z.string().trim().max(2000).optional(),
    })
    .default({}),
  handoff: z.enum(['never', 'always']).default('never'),
});
const ZIntent = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    examples: z.array(z.string()),
    replies: z.record(z.string(), z.string()),
    handoff: z.enum(['never', 'always']),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'AssistantIntent' });
const ZSettings = z.object({
  enabled: z.boolean().describe('New conversations are answered by the assistant first'),
  humanForVipFrom: z
    .number()
    .int()
    .min(0)
    .max(20)
    .nullable()
    .describe('VIP level from which customers go straight to a person'),
});

export function assistantRoutes(app: App, deps: Deps) {
  const tags = ['assistant'];
  const admin = { access: ['admin'] as const };
  app.get(
    '/api/v1/assistant/settings',
    {
      config: { access: ['admin', 'supervisor'] },
      schema: {
        tags,
        summary: 'Assistant settings',
        response: { 200: ZSettings, ...errorResponses },
      },
    },
    async () => getAssistantSettings(deps.db),
  );
  app.put(
    '/api/v1/assistant/settings',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Turn the assistant on or off; VIPs to people (admin)',
        body: ZSettings.strict(),
        response: { 200: ZSettings, ...errorResponses },
      },
    },
    async (request) => {
      await saveAssistantSettings(deps.db, request.body);
      return getAssistantSettings(deps.db);
    },
  );
  app.get(
    '/api/v1/assistant/intents',
    {
      schema: {
        tags,
        summary: 'The default taxonomy and the intents admins added',
        response: {
          200: z.object({ builtIn: z.array(z.string()), custom: z.array(ZIntent) }),
          ...errorResponses,
        },
      },
    },
    async () => ({
      builtIn: [...INTENTS],
      custom: (await findCustomIntents(deps)).map(toCustomIntent),
    }),
  );
  app.post(
    '/api/v1/assistant/intents',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Add an intent with examples; the classifier retrains (admin)',
        body: ZIntentInput,
        response: { 201: ZIntent, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(toCustomIntent(await createCustomIntent(deps, actorOf(request), request.body))),
  );
  app.patch(
    '/api/v1/assistant/intents/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change an added intent (admin)',
        params: ZIdParams,
        body: ZIntentInput.partial(),
        response: { 200: ZIntent, ...errorResponses },
      },
    },
    async (request) =>
      toCustomIntent(
        await updateCustomIntent(deps, actorOf(request), request.params.id, request.body),
      ),
  );
  app.delete(
    '/api/v1/assistant/intents/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Remove an added intent (admin)',
        params: ZIdParams,
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request) => {
      await deleteCustomIntent(deps, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
}
