import type { TApiChannelCreated, TCreateApiChannel } from '@kefu/shared';
import type { FastifyRequest } from 'fastify';
import type { Actor, Deps } from '../../deps.ts';
import { createInbox, findInboxByPublicToken, type InboxRow } from '../../inboxes/inboxes.ts';
import { AppError } from '../../lib/app-error.ts';
import { randomToken, sha256Hex } from '../../lib/crypto.ts';
import { sealWebhookSecret } from '../../webhooks/webhooks.ts';

/** What an API inbox keeps in `inboxes.settings`. */
export type ApiInboxSettings = { webhookUrl: string; webhookSecret: string };

export function apiSettingsOf(row: Pick<InboxRow, 'settings'>): ApiInboxSettings {
  const { webhookUrl, webhookSecret } = row.settings;
  return {
    webhookUrl: typeof webhookUrl === 'string' ? webhookUrl : '',
    webhookSecret: typeof webhookSecret === 'string' ? webhookSecret : '',
  };
}

/** An API inbox's token is stored as its sha256 in publicToken: a database dump cannot call the API. */
const tokenHash = (token: string) => `api_${sha256Hex(token)}`;

/**
 * Creates an API inbox: the app authenticates with the inbox token, and Kefu POSTs outbound
 * messages to `webhookUrl` signed with the webhook secret. Both are returned this once.
 */
export async function createApiInbox(
  deps: Pick<Deps, 'db' | 'config'>,
  actor: Actor,
  input: TCreateApiChannel,
): Promise<TApiChannelCreated> {
  const inboxToken = `kefu_api_${randomToken(32)}`;
  const webhookSecret = `whsec_${randomToken(32)}`;
  const inbox = await createInbox(deps, actor, {
    channel: 'api',
    name: input.name,
    defaultTeamId: input.defaultTeamId ?? null,
    publicToken: tokenHash(inboxToken),
    settings: {
      webhookUrl: input.webhookUrl,
      webhookSecret: sealWebhookSecret(deps.config.secretKey, webhookSecret),
    },
  });
  return {
    inboxId: inbox.id,
    name: inbox.name,
    webhookUrl: input.webhookUrl,
    inboxToken,
    webhookSecret,
  };
}

/** The API inbox of `Authorization: Bearer <inbox token>`, or 401. */
export async function apiInboxOf(
  deps: Pick<Deps, 'db'>,
  request: Pick<FastifyRequest, 'headers'>,
): Promise<InboxRow> {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
  if (!token.startsWith('kefu_api_')) throw new AppError('channel.token_invalid');
  const row = await findInboxByPublicToken(deps.db, tokenHash(token));
  if (row?.channel !== 'api') throw new AppError('channel.token_invalid');
  return row;
}
