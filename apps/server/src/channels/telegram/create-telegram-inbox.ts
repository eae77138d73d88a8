import type { TCreateTelegramChannel, TTelegramChannel } from '@kefu/shared';
import type { Actor, Deps } from '../../deps.ts';
import type { InboxRow } from '../../inboxes/inboxes.ts';
import { createInbox, inboxStatusOf } from '../../inboxes/inboxes.ts';
import { AppError } from '../../lib/app-error.ts';
import { randomToken, sha256Hex } from '../../lib/crypto.ts';
import { botApi, DEFAULT_API_ROOT, sealBotToken, telegramSettingsOf } from './settings.ts';

export function telegramWebhookUrl(publicUrl: string, inboxId: string): string {
  return `${publicUrl}/api/v1/channels/telegram/${inboxId}/webhook`;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : String(error);
}

/**
 * Connects a bot: checks the token with getMe, stores it sealed in a new telegram inbox and, in
 * webhook mode, registers `<PUBLIC_URL>/api/v1/channels/telegram/<inbox>/webhook` with a random
 * secret_token that Telegram sends back on every call.
 */
export async function createTelegramInbox(
  deps: Pick<Deps, 'db' | 'config' | 'logger' | 'clock'>,
  actor: Actor,
  input: TCreateTelegramChannel,
): Promise<TTelegramChannel> {
  const apiRoot = (input.apiRoot ?? DEFAULT_API_ROOT).replace(/\/+$/, '');
  const api = botApi(input.botToken, apiRoot);
  const me = await api.getMe().catch((error: unknown) => {
    throw new AppError('channel.telegram_token_rejected', { vars: { reason: reasonOf(error) } });
  });
  const webhookSecret = randomToken(32);
  const inbox = await createInbox(deps, actor, {
    channel: 'telegram',
    name: input.name,
    defaultTeamId: input.defaultTeamId ?? null,
    // The unique public token of a bot inbox: its bot id (one inbox per bot).
    publicToken: `tg_${me.id}_${randomToken(6)}`,
    settings: {
      mode: input.mode,
      apiRoot,
      botToken: sealBotToken(deps.config.secretKey, input.botToken),
      botId: me.id,
      botUsername: me.username,
      webhookSecretHash: input.mode === 'webhook' ? sha256Hex(webhookSecret) : null,
      pollOffset: 0,
      status: { state: 'ok', at: deps.clock.now().toISOString(), error: null },
    },
  });
  let webhookUrl: string | null = null;
  if (input.mode === 'webhook') {
    webhookUrl = telegramWebhookUrl(deps.config.publicUrl, inbox.id);
    try {
      await api.setWebhook(webhookUrl, {
        secret_token: webhookSecret,
        allowed_updates: ['message', 'edited_message', 'callback_query'],
      });
    } catch (error) {
      // The inbox stays; the admin can fix PUBLIC_URL and connect again.
      deps.logger.warn({ inboxId: inbox.id, err: reasonOf(error) }, 'telegram setWebhook failed');
      throw new AppError('channel.telegram_token_rejected', { vars: { reason: reasonOf(error) } });
    }
  } else {
    // getUpdates is refused while a webhook is set.
    await api.deleteWebhook().catch(() => undefined);
  }
  return {
    inboxId: inbox.id,
    name: inbox.name,
    mode: input.mode,
    botUsername: me.username,
    webhookUrl,
    status: inboxStatusOf(inbox, 'status'),
  };
}

/** A bot inbox as admins see it: never its token or webhook secret. */
export function toTelegramChannel(publicUrl: string, row: InboxRow): TTelegramChannel {
  const s = telegramSettingsOf(row);
  return {
    inboxId: row.id,
    name: row.name,
    mode: s.mode,
    botUsername: s.botUsername,
    webhookUrl: s.mode === 'webhook' ? telegramWebhookUrl(publicUrl, row.id) : null,
    status: inboxStatusOf(row, 'status'),
  };
}
