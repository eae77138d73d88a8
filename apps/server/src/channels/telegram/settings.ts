import { sql } from 'drizzle-orm';
import { Api } from 'grammy';
import type { DbOrTx } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { type InboxRow, inboxStatusOf, recordInboxStatus } from '../../inboxes/inboxes.ts';
import { inboxes } from '../../inboxes/schema.ts';
import { decryptSecret, encryptSecret } from '../../lib/crypto.ts';

export const DEFAULT_API_ROOT = 'https://api.telegram.org';
const TOKEN_PURPOSE = 'telegram-bot-token';

/** What a Telegram inbox keeps in `inboxes.settings` (no schema of its own). */
export type TelegramSettings = {
  mode: 'webhook' | 'polling';
  apiRoot: string;
  /** The bot token, sealed with KEFU_SECRET_KEY. */
  botToken: string;
  botId: number | null;
  botUsername: string | null;
  /** sha256 of the webhook `secret_token`: compared, never needed in clear again. */
  webhookSecretHash: string | null;
  /** The next getUpdates offset (polling): a restart neither refetches nor skips updates. */
  pollOffset: number;
};

export function sealBotToken(secretKey: string, token: string): string {
  return encryptSecret(secretKey, TOKEN_PURPOSE, token);
}

export function telegramSettingsOf(row: Pick<InboxRow, 'settings'>): TelegramSettings {
  const s = row.settings;
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    mode: s.mode === 'polling' ? 'polling' : 'webhook',
    apiRoot: str(s.apiRoot) ?? DEFAULT_API_ROOT,
    botToken: str(s.botToken) ?? '',
    botId: num(s.botId),
    botUsername: str(s.botUsername),
    webhookSecretHash: str(s.webhookSecretHash),
    pollOffset: num(s.pollOffset) ?? 0,
  };
}

export type TelegramBot = { api: Api; token: string; apiRoot: string };

/** The Bot API client of an inbox (grammy), pointed at its configured API root. */
export function botOf(deps: Pick<Deps, 'config'>, row: Pick<InboxRow, 'settings'>): TelegramBot {
  const settings = telegramSettingsOf(row);
  const token = decryptSecret(deps.config.secretKey, TOKEN_PURPOSE, settings.botToken);
  return { api: botApi(token, settings.apiRoot), token, apiRoot: settings.apiRoot };
}

export function botApi(token: string, apiRoot: string): Api {
  return new Api(token, { apiRoot, timeoutSeconds: 60 });
}

/** Merges keys into an inbox's settings; the adapter owns these keys only. */
export async function patchInboxSettings(
  db: DbOrTx,
  inboxId: string,
  patch: Record<string, unknown>,
): Promise<void> {
  await db
    .update(inboxes)
    .set({ settings: sql`${inboxes.settings} || ${JSON.stringify(patch)}::jsonb` })
    .where(sql`${inboxes.id} = ${inboxId}`);
}

/**
 * Records the outcome of a Bot API call for the admin screen: every error, and success only when
 * the stored state was not already ok (no write per message).
 */
export async function noteTelegramStatus(
  deps: Pick<Deps, 'db' | 'clock'>,
  row: Pick<InboxRow, 'id' | 'settings'>,
  error: unknown,
): Promise<void> {
  const current = inboxStatusOf(row, 'status');
  if (!error && current?.state === 'ok') return;
  await recordInboxStatus(deps.db, row.id, 'status', {
    state: error ? 'error' : 'ok',
    at: deps.clock.now().toISOString(),
    error: error ? (error instanceof Error ? error.message : String(error)).slice(0, 500) : null,
  }).catch(() => undefined);
}
