import { z } from 'zod';
import { ZId } from './common.ts';
import { ZMessage, ZMessageText } from './conversations.ts';
import { ZChannelStatus } from './email.ts';

/** Admin: connect a Telegram bot as an inbox. */
export const ZCreateTelegramChannel = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    botToken: z
      .string()
      .trim()
      .regex(/^\d{3,20}:[\w-]{20,80}$/, 'A bot token looks like 123456:ABC-… (from @BotFather)'),
    mode: z.enum(['webhook', 'polling']).default('webhook'),
    defaultTeamId: ZId.nullable().optional(),
    apiRoot: z
      .url()
      .max(200)
      .optional()
      .describe('Bot API server; default https://api.telegram.org (a local Bot API server works)'),
  })
  .meta({ id: 'CreateTelegramChannel' });
export type TCreateTelegramChannel = z.infer<typeof ZCreateTelegramChannel>;

/** Admin: change a bot inbox. A new token must belong to the same bot (a token BotFather renewed). */
export const ZUpdateTelegramChannel = z
  .strictObject({
    name: z.string().trim().min(1).max(120).optional(),
    botToken: ZCreateTelegramChannel.shape.botToken.optional(),
    mode: z.enum(['webhook', 'polling']).optional(),
  })
  .meta({ id: 'UpdateTelegramChannel' });
export type TUpdateTelegramChannel = z.infer<typeof ZUpdateTelegramChannel>;

export const ZTelegramChannel = z
  .object({
    inboxId: ZId,
    name: z.string(),
    mode: z.enum(['webhook', 'polling']),
    botUsername: z.string().nullable(),
    webhookUrl: z.string().nullable(),
    status: ZChannelStatus.nullable().optional().describe('The last call to the Bot API'),
  })
  .meta({ id: 'TelegramChannel' });

export const ZTelegramChannelList = z
  .object({ channels: z.array(ZTelegramChannel) })
  .meta({ id: 'TelegramChannelList' });

/** An API inbox as admins see it after creation: its secrets are never shown again. */
export const ZApiChannel = z
  .object({
    inboxId: ZId,
    name: z.string(),
    webhookUrl: z.string(),
    status: ZChannelStatus.nullable().describe('The last delivery to the webhook'),
  })
  .meta({ id: 'ApiChannel' });
export type TApiChannel = z.infer<typeof ZApiChannel>;

export const ZApiChannelList = z
  .object({ channels: z.array(ZApiChannel) })
  .meta({ id: 'ApiChannelList' });
export type TTelegramChannel = z.infer<typeof ZTelegramChannel>;

export const ZTelegramWebhookParams = z.object({ inboxId: ZId });

/** A Telegram Update; only update_id is checked here, the adapter reads the rest. */
export const ZTelegramUpdate = z
  .looseObject({ update_id: z.number().int().nonnegative() })
  .meta({ id: 'TelegramUpdate' });

/** Admin: an API inbox for the exchange's own app or backend. */
export const ZCreateApiChannel = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    webhookUrl: z
      .url()
      .max(500)
      .refine((u) => /^https?:\/\//.test(u), 'The webhook URL must be http(s)')
      .describe('Agent replies and assistant answers are POSTed here, signed (X-Kefu-Signature)'),
    defaultTeamId: ZId.nullable().optional(),
  })
  .meta({ id: 'CreateApiChannel' });
export type TCreateApiChannel = z.infer<typeof ZCreateApiChannel>;

export const ZApiChannelCreated = z
  .object({
    inboxId: ZId,
    name: z.string(),
    webhookUrl: z.string(),
    inboxToken: z.string().describe('Shown this once: send it as Authorization: Bearer <token>'),
    webhookSecret: z.string().describe('Shown this once: verifies X-Kefu-Signature'),
  })
  .meta({ id: 'ApiChannelCreated' });
export type TApiChannelCreated = z.infer<typeof ZApiChannelCreated>;

const ZIdentifier = z
  .string()
  .trim()
  .min(1, 'The identifier is your user id')
  .max(128)
  .describe("The app's own user id (stored as the contact's exchange UID)");

export const ZApiContactInput = z
  .strictObject({
    identifier: ZIdentifier,
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(254).optional(),
    locale: z.enum(['zh-CN', 'en']).optional(),
  })
  .meta({ id: 'ApiContactUpsert' });
export type TApiContactInput = z.infer<typeof ZApiContactInput>;

export const ZApiContact = z
  .object({
    id: ZId,
    identifier: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    locale: z.string().nullable(),
  })
  .meta({ id: 'ApiContact' });
export type TApiContact = z.infer<typeof ZApiContact>;

const ZIdempotencyKey = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe('Your id for this message: a retry with the same key stores nothing new');

export const ZApiCreateConversation = z
  .strictObject({
    contactIdentifier: ZIdentifier,
    text: ZMessageText,
    idempotencyKey: ZIdempotencyKey,
  })
  .meta({ id: 'ApiCreateConversation' });
export type TApiCreateConversation = z.infer<typeof ZApiCreateConversation>;

export const ZApiSendMessage = z
  .strictObject({ text: ZMessageText, idempotencyKey: ZIdempotencyKey })
  .meta({ id: 'ApiSendMessage' });
export type TApiSendMessage = z.infer<typeof ZApiSendMessage>;

export const ZApiConversationRef = z.object({
  id: ZId,
  number: z.number().int(),
  status: z.string(),
});

export const ZApiAccepted = z
  .object({ conversation: ZApiConversationRef, message: ZMessage })
  .meta({ id: 'ApiAccepted' });
export type TApiAccepted = z.infer<typeof ZApiAccepted>;
