import { translate } from '@kefu/shared/i18n';
import { GrammyError, InputFile } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { type AttachmentRef, openAttachment } from '../../attachments/queries.ts';
import { getContactRow } from '../../contacts/contacts.ts';
import { customerLocale } from '../../csat/request-csat.ts';
import type { Deps } from '../../deps.ts';
import { getInboxRow } from '../../inboxes/inboxes.ts';
import type { Deliverer } from '../../pipeline/send-outbound.ts';
import { botOf, noteTelegramStatus } from './settings.ts';

export const TELEGRAM_TEXT_MAX = 4096;
/** A 429 asking to wait at most this long is waited out inside the job; longer ones retry the job. */
const MAX_INLINE_WAIT_S = 10;

/** Splits text into Telegram-sized parts, at a line break or space when one is near the limit. */
export function splitForTelegram(text: string, max = TELEGRAM_TEXT_MAX): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    // Never split a surrogate pair.
    const code = rest.charCodeAt(cut - 1);
    if (cut === max && code >= 0xd800 && code <= 0xdbff) cut -= 1;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/** Sent as photos (Telegram recompresses them); GIF and PDF go as documents, kept as they are. */
const PHOTO_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp']);
const TELEGRAM_PHOTO_MAX = 10 * 1024 * 1024;

/**
 * The bytes of an attachment of this conversation, read as its customer may read them (never a
 * private note's file), as a fresh InputFile per call so a 429 retry uploads again.
 */
async function fileFor(
  deps: Deps,
  contactId: string,
  file: AttachmentRef,
): Promise<() => InputFile> {
  const opened = await openAttachment(deps, { type: 'contact', contactId }, file.id);
  const chunks: Buffer[] = [];
  for await (const chunk of opened.stream) chunks.push(Buffer.from(chunk));
  const bytes = Buffer.concat(chunks);
  return () => new InputFile(bytes, file.name);
}

export class TelegramRetryError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`telegram rate limit: retry after ${retryAfterSeconds} s`);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls the Bot API, waiting out a short 429 `retry_after`; a long one becomes a retryable error. */
async function withRetryAfter<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof GrammyError) || error.error_code !== 429) throw error;
      const wait = error.parameters.retry_after ?? 1;
      if (wait > MAX_INLINE_WAIT_S || attempt >= 3) throw new TelegramRetryError(wait);
      await sleep(wait * 1000);
    }
  }
}

/**
 * Agent replies, assistant answers and system notices to a Telegram chat (a private chat's id is
 * the contact's Telegram id). Long text is sent in parts; parts already sent are not resent when
 * the job retries on this node.
 */
export function createTelegramDeliverer(deps: Deps): Deliverer {
  const progress = new Map<string, number>();
  return async ({ outboxId, message, conversation }) => {
    const inbox = await getInboxRow(deps.db, conversation.inboxId);
    const contact = await getContactRow(deps.db, conversation.contactId);
    if (!contact.telegramId) throw new Error('the contact has no Telegram id');
    const chatId = Number(contact.telegramId);
    const bot = botOf(deps, inbox);
    const locale = customerLocale(conversation.language, contact.locale);
    let markup: InlineKeyboardMarkup | undefined;
    if (message.kind === 'csat_request') {
      markup = {
        inline_keyboard: [
          [1, 2, 3, 4, 5].map((n) => ({
            text: '⭐'.repeat(n),
            callback_data: `c:${conversation.id}:${n}`,
          })),
        ],
      };
    } else if (message.senderType === 'assistant' && message.kind === null) {
      markup = {
        inline_keyboard: [
          [
            { text: translate(locale, 'telegram.helpfulYes'), callback_data: `h:${message.id}:1` },
            { text: translate(locale, 'telegram.helpfulNo'), callback_data: `h:${message.id}:0` },
          ],
        ],
      };
    }
    // One step per text part, then one per file; a retry resumes at the first step not sent.
    const parts = message.text.trim() ? splitForTelegram(message.text) : [];
    const files = message.attachments;
    const steps = parts.length + files.length;
    const start = progress.get(outboxId) ?? 0;
    try {
      for (let i = start; i < steps; i++) {
        const last = i === steps - 1;
        const extra = last && markup ? { reply_markup: markup } : {};
        const file = i >= parts.length ? files[i - parts.length] : undefined;
        if (file) {
          const input = await fileFor(deps, contact.id, file);
          const asPhoto = PHOTO_TYPES.has(file.type) && file.size <= TELEGRAM_PHOTO_MAX;
          await withRetryAfter<unknown>(() =>
            asPhoto
              ? bot.api.sendPhoto(chatId, input(), extra)
              : bot.api.sendDocument(chatId, input(), extra),
          );
        } else {
          await withRetryAfter(() => bot.api.sendMessage(chatId, parts[i] ?? '', extra));
        }
        progress.set(outboxId, i + 1);
      }
    } catch (error) {
      await noteTelegramStatus(deps, inbox, error);
      throw error;
    }
    progress.delete(outboxId);
    await noteTelegramStatus(deps, inbox, null);
    return 'sent';
  };
}
