import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { actorOf } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import { createInbox, findInboxes, type InboxRow } from './inboxes.ts';

const ZInbox = z
  .object({
    id: z.uuid(),
    channel: z.enum(['widget', 'email', 'telegram', 'api']),
    name: z.string(),
    publicToken: z.string(),
    identitySecret: z
      .string()
      .describe('Shown to admins: the exchange server signs customer UIDs with it'),
    defaultTeamId: z.uuid().nullable(),
    settings: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .meta({ id: 'Inbox' });

/** Channel secrets (sealed passwords, keys, tokens, hashes) never leave the server, even sealed. */
const SECRET_SETTING = /(Sealed|Hash)$|^(botToken|webhookSecret)$/;

function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !SECRET_SETTING.test(key))
      .map(([key, v]) => [key, withoutSecrets(v)]),
  );
}

const toInbox = (row: InboxRow) => ({
  ...row,
  settings: withoutSecrets(row.settings) as Record<string, unknown>,
  createdAt: row.createdAt.toISOString(),
});

export function inboxRoutes(app: App, deps: Deps) {
  const tags = ['inboxes'];
  app.get(
    '/api/v1/inboxes',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: 'Channels (admin)',
        response: { 200: z.object({ inboxes: z.array(ZInbox) }), ...errorResponses },
      },
    },
    async () => ({ inboxes: (await findInboxes(deps)).map(toInbox) }),
  );
  app.post(
    '/api/v1/inboxes',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: 'Add a channel (admin)',
        body: z.strictObject({
          channel: z.enum(['widget', 'email', 'telegram', 'api']),
          name: z.string().trim().min(1).max(120),
          defaultTeamId: z.uuid().nullable().optional(),
          allowedOrigins: z.array(z.url().max(200)).max(50).optional(),
        }),
        response: { 201: ZInbox, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { allowedOrigins, ...rest } = request.body;
      const row = await createInbox(deps, actorOf(request), {
        ...rest,
        settings: allowedOrigins
          ? { allowedOrigins: allowedOrigins.map((o) => new URL(o).origin) }
          : {},
      });
      return reply.status(201).send(toInbox(row));
    },
  );
}
