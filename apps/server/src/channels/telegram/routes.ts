import { timingSafeEqual } from 'node:crypto';
import {
  ZCreateTelegramChannel,
  ZTelegramChannel,
  ZTelegramChannelList,
  ZTelegramUpdate,
  ZTelegramWebhookParams,
  ZUpdateTelegramChannel,
} from '@kefu/shared';
import type { Update } from 'grammy/types';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth-guard.ts';
import { type App, errorResponses } from '../../http/types.ts';
import { findInboxes, getInboxRow } from '../../inboxes/inboxes.ts';
import { AppError, orNullIfAppError } from '../../lib/app-error.ts';
import { sha256Hex } from '../../lib/crypto.ts';
import {
  createTelegramInbox,
  toTelegramChannel,
  updateTelegramInbox,
} from './create-telegram-inbox.ts';
import { handleTelegramUpdate } from './handle-update.ts';
import { telegramSettingsOf } from './settings.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function telegramRoutes(app: App, deps: Deps) {
  const tags = ['channels'];
  app.post(
    '/api/v1/channels/telegram',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: 'Connect a Telegram bot (admin)',
        description:
          'Checks the token with getMe and stores it encrypted. In webhook mode Kefu registers `<PUBLIC_URL>/api/v1/channels/telegram/<inboxId>/webhook` with a random secret token; in polling mode one node at a time runs getUpdates.',
        body: ZCreateTelegramChannel,
        response: { 201: ZTelegramChannel, ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await createTelegramInbox(deps, actorOf(request), request.body);
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/api/v1/channels/telegram',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: 'Telegram bots (admin)',
        description: 'With the last Bot API outcome of each; tokens are never returned.',
        response: { 200: ZTelegramChannelList, ...errorResponses },
      },
    },
    async () => ({
      channels: (await findInboxes(deps))
        .filter((row) => row.channel === 'telegram')
        .map((row) => toTelegramChannel(deps.config.publicUrl, row)),
    }),
  );

  app.patch(
    '/api/v1/channels/telegram/:inboxId',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: 'Change a Telegram bot (admin)',
        description:
          'Rename, switch between webhook and long polling, or store a renewed token of the same bot (write-only).',
        params: ZTelegramWebhookParams,
        body: ZUpdateTelegramChannel,
        response: { 200: ZTelegramChannel, ...errorResponses },
      },
    },
    async (request) =>
      updateTelegramInbox(deps, actorOf(request), request.params.inboxId, request.body),
  );

  app.post(
    '/api/v1/channels/telegram/:inboxId/webhook',
    {
      config: { access: 'public' },
      // After parsing, before validation: without the secret a caller learns nothing of the format.
      preValidation: async (request) => {
        const { inboxId } = request.params as { inboxId?: string };
        const header = request.headers['x-telegram-bot-api-secret-token'];
        if (!inboxId || !UUID.test(inboxId) || typeof header !== 'string' || !header)
          throw new AppError('channel.telegram_secret_invalid');
        const row = await getInboxRow(deps.db, inboxId).catch(orNullIfAppError);
        const expected =
          row?.channel === 'telegram' ? telegramSettingsOf(row).webhookSecretHash : null;
        if (!expected || !sameHash(sha256Hex(header), expected))
          throw new AppError('channel.telegram_secret_invalid');
      },
      schema: {
        tags,
        summary: "Telegram's webhook for a bot inbox",
        description:
          'Called by Telegram with the X-Telegram-Bot-Api-Secret-Token header set at setWebhook (401 otherwise). Answers 200 once the update is committed; the update id is its idempotency key, so a redelivery stores nothing new.',
        security: [],
        params: ZTelegramWebhookParams,
        body: ZTelegramUpdate,
        response: { 200: z.object({ ok: z.literal(true) }), ...errorResponses },
      },
    },
    async (request) => {
      const row = await getInboxRow(deps.db, request.params.inboxId);
      await handleTelegramUpdate(deps, row, request.body as unknown as Update);
      return { ok: true as const };
    },
  );
}
