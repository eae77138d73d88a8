import type {
  TCreateTelegramChannel,
  TTelegramChannel,
  TUpdateTelegramChannel,
} from '@kefu/shared';
import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../audit/record-audit.ts';
import type { Actor, Deps } from '../../deps.ts';
import type { InboxRow } from '../../inboxes/inboxes.ts';
import { createInbox, getInboxRow, inboxStatusOf } from '../../inboxes/inboxes.ts';
import { inboxes } from '../../inboxes/schema.ts';
import { AppError } from '../../lib/app-error.ts';
import { randomToken, sha256Hex } from '../../lib/crypto.ts';
import { botApi, botOf, DEFAULT_API_ROOT, sealBotToken, telegramSettingsOf } from './settings.ts';

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

/**
 * Renames a bot inbox, switches webhook ⇄ long polling, or stores a renewed token of the same bot.
 * A mode or token change registers the webhook again with a fresh secret (or removes it).
 */
export async function updateTelegramInbox(
  deps: Pick<Deps, 'db' | 'config' | 'logger' | 'clock'>,
  actor: Actor,
  inboxId: string,
  input: TUpdateTelegramChannel,
): Promise<TTelegramChannel> {
  const row = await getInboxRow(deps.db, inboxId);
  if (row.channel !== 'telegram') throw new AppError('inbox.not_found');
  const current = telegramSettingsOf(row);
  const token = input.botToken ?? botOf(deps, row).token;
  const api = botApi(token, current.apiRoot);
  const patch: Record<string, unknown> = {};
  if (input.botToken) {
    const me = await api.getMe().catch((error: unknown) => {
      throw new AppError('channel.telegram_token_rejected', { vars: { reason: reasonOf(error) } });
    });
    if (current.botId !== null && me.id !== current.botId)
      throw new AppError('channel.telegram_other_bot', { vars: { username: me.username } });
    Object.assign(patch, {
      botToken: sealBotToken(deps.config.secretKey, input.botToken),
      botUsername: me.username,
    });
  }
  const mode = input.mode ?? current.mode;
  if (input.botToken || mode !== current.mode) {
    if (mode === 'webhook') {
      const secret = randomToken(32);
      await api
        .setWebhook(telegramWebhookUrl(deps.config.publicUrl, inboxId), {
          secret_token: secret,
          allowed_updates: ['message', 'edited_message', 'callback_query'],
        })
        .catch((error: unknown) => {
          throw new AppError('channel.telegram_token_rejected', {
            vars: { reason: reasonOf(error) },
          });
        });
      patch.webhookSecretHash = sha256Hex(secret);
    } else {
      await api.deleteWebhook().catch(() => undefined);
      patch.webhookSecretHash = null;
    }
    patch.mode = mode;
  }
  const updated = await deps.db.transaction(async (tx) => {
    const [saved] = await tx
      .update(inboxes)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        settings: sql`${inboxes.settings} || ${JSON.stringify(patch)}::jsonb`,
      })
      .where(eq(inboxes.id, inboxId))
      .returning();
    if (!saved) throw new AppError('inbox.not_found');
    await recordAudit(tx, actor, {
      action: 'inbox.updated',
      targetType: 'inbox',
      targetId: inboxId,
      data: { channel: 'telegram', changed: Object.keys(input).sort() },
    });
    return saved;
  });
  return toTelegramChannel(deps.config.publicUrl, updated);
}
