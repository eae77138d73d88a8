import type { TLocale } from '@kefu/shared';
import { isLocale, translate } from '@kefu/shared/i18n';
import type { CallbackQuery, Message, Update, User } from 'grammy/types';
import { requestHuman } from '../../assistant/request-human.ts';
import { uploadAttachment } from '../../attachments/upload-attachment.ts';
import { recordAudit } from '../../audit/record-audit.ts';
import type { ContactRow } from '../../contacts/contacts.ts';
import { findOrCreateContact, updateContact } from '../../contacts/contacts.ts';
import { findContactConversations } from '../../conversations/queries.ts';
import { submitCsat } from '../../csat/submit-csat.ts';
import type { Actor, Deps } from '../../deps.ts';
import type { InboxRow } from '../../inboxes/inboxes.ts';
import { AppError } from '../../lib/app-error.ts';
import { acceptInbound } from '../../pipeline/accept-inbound.ts';
import { normalizeText } from '../../pipeline/normalize.ts';
import { checkOfficialChannel } from '../../safety/check-official-channel.ts';
import { findTicketByNumber } from '../../tickets/find-ticket.ts';
import { botOf, type TelegramBot } from './settings.ts';

/** Telegram's language_code (IETF tag) to a Kefu locale. */
export function localeOfTelegram(code: string | undefined): TLocale | null {
  if (!code) return null;
  const tag = code.toLowerCase();
  if (tag.startsWith('zh')) return 'zh-CN';
  if (tag.startsWith('en')) return 'en';
  return null;
}

function contactLocale(contact: ContactRow, user: User): TLocale {
  if (isLocale(contact.locale)) return contact.locale;
  return localeOfTelegram(user.language_code) ?? 'en';
}

async function contactOf(deps: Deps, user: User): Promise<ContactRow> {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ') || user.username || null;
  return findOrCreateContact(deps.db, {
    telegramId: String(user.id),
    name,
    locale: localeOfTelegram(user.language_code),
  });
}

/** The conversation a new message continues: the contact's latest one on this bot that is not closed. */
async function openConversationId(
  deps: Deps,
  inbox: InboxRow,
  contactId: string,
): Promise<string | undefined> {
  const rows = await findContactConversations(deps.db, contactId);
  return rows.find((r) => r.inboxId === inbox.id && r.status !== 'closed')?.id;
}

/** A reply to a command: protocol chatter, not a conversation message. */
async function answer(bot: TelegramBot, chatId: number, text: string): Promise<void> {
  await bot.api.sendMessage(chatId, text.slice(0, 4096));
}

type File = { kind: 'photo' | 'document'; fileId: string; name: string };

function fileOf(message: Message): File | null {
  const photo = message.photo?.at(-1);
  if (photo)
    return { kind: 'photo', fileId: photo.file_id, name: `photo-${message.message_id}.jpg` };
  if (message.document)
    return {
      kind: 'document',
      fileId: message.document.file_id,
      name: message.document.file_name ?? `document-${message.message_id}`,
    };
  return null;
}

async function* bodyChunks(response: Response): AsyncIterable<Uint8Array> {
  if (!response.body) return;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

/** Downloads a customer's file through getFile and stores it as an attachment; null when it cannot be kept. */
async function storeFile(
  deps: Deps,
  bot: TelegramBot,
  contactId: string,
  file: File,
): Promise<string | null> {
  try {
    const info = await bot.api.getFile(file.fileId);
    if (!info.file_path) return null;
    const response = await fetch(`${bot.apiRoot}/file/bot${bot.token}/${info.file_path}`, {
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) return null;
    const ref = await uploadAttachment(deps, {
      uploader: { type: 'contact', id: contactId },
      conversationId: null,
      filename: file.name,
      content: bodyChunks(response),
    });
    return ref.id;
  } catch (error) {
    deps.logger.warn(
      { err: error instanceof Error ? error.message : String(error) },
      'telegram file not stored',
    );
    return null;
  }
}

const COMMAND = /^\/([a-z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/i;

/** Handles a bot command; false when it is not one (the text is then a normal message). */
async function handleCommand(
  deps: Deps,
  inbox: InboxRow,
  bot: TelegramBot,
  message: Message,
  contact: ContactRow,
  locale: TLocale,
): Promise<boolean> {
  const match = COMMAND.exec((message.text ?? '').trim());
  if (!match) return false;
  const command = (match[1] ?? '').toLowerCase();
  const args = (match[2] ?? '').trim();
  const chatId = message.chat.id;
  const actor: Actor = { type: 'contact', id: contact.id };
  switch (command) {
    case 'start':
      await answer(bot, chatId, translate(locale, 'telegram.start', { brand: inbox.name }));
      return true;
    case 'language': {
      const chosen = localeOfTelegram(args.toLowerCase().replace(/^cn$/, 'zh'));
      if (!chosen) {
        await answer(bot, chatId, translate(locale, 'telegram.languageUsage'));
        return true;
      }
      await updateContact(deps, actor, contact.id, { locale: chosen });
      await answer(bot, chatId, translate(chosen, 'telegram.languageChanged'));
      return true;
    }
    case 'human': {
      const conversationId = await openConversationId(deps, inbox, contact.id);
      if (!conversationId) {
        await answer(bot, chatId, translate(locale, 'telegram.humanNoConversation'));
        return true;
      }
      // The handoff notice itself goes out through the outbox like any assistant message.
      const { queued } = await requestHuman(deps, contact.id, conversationId);
      if (!queued) await answer(bot, chatId, translate(locale, 'telegram.humanAlready'));
      return true;
    }
    case 'ticket': {
      const number = Number(args.replace(/^#/, ''));
      if (!Number.isInteger(number) || number <= 0) {
        await answer(bot, chatId, translate(locale, 'telegram.ticketUsage'));
        return true;
      }
      const found = await findTicketByNumber(deps.db, number);
      // Another customer's ticket does not exist for this one.
      if (!found || found.row.contactId !== contact.id) {
        await answer(bot, chatId, translate(locale, 'telegram.ticketNotFound', { number }));
        return true;
      }
      await answer(
        bot,
        chatId,
        translate(locale, 'telegram.ticketStatus', {
          number: found.row.number,
          status: translate(locale, `help.status_${found.row.status}`),
          subject: found.row.subject ?? '',
        }).trim(),
      );
      return true;
    }
    case 'verify': {
      if (!args) {
        await answer(bot, chatId, translate(locale, 'telegram.verifyUsage'));
        return true;
      }
      const result = await checkOfficialChannel(deps, args.slice(0, 500), locale);
      const lines = [result.message, ...result.reasons.map((r) => `• ${r.message}`), result.notice];
      await answer(bot, chatId, lines.filter(Boolean).join('\n'));
      return true;
    }
    default:
      return false;
  }
}

async function handleMessage(
  deps: Deps,
  inbox: InboxRow,
  updateId: number,
  message: Message,
): Promise<void> {
  const user = message.from;
  if (!user || user.is_bot) return;
  const bot = botOf(deps, inbox);
  // Support happens one to one: in a group the bot only points to a private chat, when addressed.
  if (message.chat.type !== 'private') {
    if (message.text?.startsWith('/'))
      await answer(
        bot,
        message.chat.id,
        translate(localeOfTelegram(user.language_code) ?? 'en', 'telegram.groupsUnsupported'),
      );
    return;
  }
  const contact = await contactOf(deps, user);
  const locale = contactLocale(contact, user);
  if (message.text && (await handleCommand(deps, inbox, bot, message, contact, locale))) return;

  const file = fileOf(message);
  const text = message.text ?? message.caption ?? '';
  if (!normalizeText(text) && !file) {
    await answer(bot, message.chat.id, translate(locale, 'telegram.unsupported'));
    return;
  }
  const attachmentId = file ? await storeFile(deps, bot, contact.id, file) : null;
  // A file Kefu cannot keep (type or size) is named for the agent; its file_id stays in meta.
  const note =
    file && !attachmentId
      ? translate(locale, 'telegram.fileNotStored', { kind: file.kind, name: file.name })
      : '';
  await acceptInbound(deps, {
    channel: 'telegram',
    inboxId: inbox.id,
    idempotencyKey: `tg:${updateId}`,
    contactId: contact.id,
    ...(await openConversationId(deps, inbox, contact.id).then((id) =>
      id ? { conversationId: id } : {},
    )),
    text: [text, note].filter(Boolean).join('\n'),
    locale: contact.locale ?? localeOfTelegram(user.language_code),
    ...(attachmentId ? { attachmentIds: [attachmentId] } : {}),
    meta: {
      telegram: {
        updateId,
        chatId: message.chat.id,
        messageId: message.message_id,
        ...(file ? { fileId: file.fileId, fileKind: file.kind } : {}),
      },
    },
  });
}

const CALLBACK = /^([hc]):([0-9a-f-]{36}):(\d)$/;

/** Inline buttons: "was this helpful?" on assistant answers (h:) and the CSAT scale (c:). */
async function handleCallback(deps: Deps, inbox: InboxRow, query: CallbackQuery): Promise<void> {
  const bot = botOf(deps, inbox);
  const match = CALLBACK.exec(query.data ?? '');
  if (!match) {
    await bot.api.answerCallbackQuery(query.id).catch(() => undefined);
    return;
  }
  const [, kind, id = '', value = ''] = match;
  const contact = await contactOf(deps, query.from);
  const locale = contactLocale(contact, query.from);
  const actor: Actor = { type: 'contact', id: contact.id };
  let reply: string;
  if (kind === 'h') {
    await recordAudit(deps.db, actor, {
      action: 'assistant.feedback',
      targetType: 'message',
      targetId: id,
      data: { helpful: value === '1', channel: 'telegram' },
    });
    reply = translate(locale, 'telegram.feedbackThanks');
  } else {
    try {
      const score = Number(value);
      await submitCsat(deps, actor, { contactId: contact.id }, id, { score });
      const conversation = (await findContactConversations(deps.db, contact.id)).find(
        (c) => c.id === id,
      );
      reply = translate(locale, 'telegram.csatThanks', {
        number: conversation?.number ?? '',
        score,
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      reply = translate(locale, 'telegram.csatUnavailable');
    }
  }
  await bot.api.answerCallbackQuery(query.id, { text: reply }).catch(() => undefined);
  const source = query.message;
  if (source)
    await bot.api
      .editMessageReplyMarkup(source.chat.id, source.message_id, {
        reply_markup: { inline_keyboard: [] },
      })
      .catch(() => undefined);
}

/**
 * Translates one Telegram update into the pipeline (messages) or a direct answer (commands,
 * buttons). Returns once what it accepted is committed: the webhook answers 200 after this.
 */
export async function handleTelegramUpdate(
  deps: Deps,
  inbox: InboxRow,
  update: Update,
): Promise<void> {
  if (update.message) return handleMessage(deps, inbox, update.update_id, update.message);
  if (update.callback_query) return handleCallback(deps, inbox, update.callback_query);
}
