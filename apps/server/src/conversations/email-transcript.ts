import type { TLocale, TMessage } from '@kefu/shared';
import { translate } from '@kefu/shared/i18n';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { getContactRow } from '../contacts/contacts.ts';
import { contacts } from '../contacts/schema.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { findMessages, getConversationRow } from './queries.ts';

/** The most messages one transcript mail carries (the latest are kept). */
export const TRANSCRIPT_MAX_MESSAGES = 500;

/** "Demo Exchange Support" from `Demo Exchange Support <support@…>`. */
function brandOf(mailFrom: string): string {
  return (
    mailFrom
      .replace(/<[^>]*>/, '')
      .trim()
      .replace(/^"(.*)"$/, '$1') || mailFrom
  );
}

function senderLabel(locale: TLocale, m: TMessage): string {
  if (m.senderType === 'contact') return translate(locale, 'mail.transcriptYou');
  if (m.senderType === 'assistant') return translate(locale, 'mail.transcriptAssistant');
  if (m.senderType === 'agent') return m.senderName ?? translate(locale, 'mail.transcriptSupport');
  return translate(locale, 'mail.transcriptSupport');
}

/** The public messages as plain text: time (UTC), who, what. Notes never; secrets stay masked. */
export function renderTranscript(locale: TLocale, list: TMessage[]): string {
  const time = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  });
  return list
    .filter((m) => !m.private)
    .map((m) => {
      const files = m.attachments.map((a) =>
        translate(locale, 'mail.transcriptAttachment', { name: a.name }),
      );
      // Masked secrets read as words in a mail, e.g. "[a seed phrase removed]".
      const text = m.text.replace(/\[REDACTED:([a-z_]+)\]/g, (_, kind: string) =>
        translate(locale, 'customer.redacted', {
          kind: translate(locale, `customer.kind_${kind}`),
        }),
      );
      const body = [text, ...files].filter(Boolean).join('\n');
      return `[${time.format(new Date(m.createdAt))} UTC] ${senderLabel(locale, m)}:\n${body}`;
    })
    .join('\n\n');
}

export type EmailTranscriptInput = {
  /** Where to send it; only when the customer has no email yet (it is then kept on the contact). */
  email?: string;
  locale?: TLocale;
};

/**
 * Mails the conversation's public messages to its customer through the mail queue, in the
 * customer's language. A customer without an email gives one, which is stored on the contact;
 * a customer who has one always gets it there (a chat never sends a transcript elsewhere).
 */
export async function emailTranscript(
  deps: Deps,
  actor: Actor,
  conversationId: string,
  input: EmailTranscriptInput = {},
): Promise<{ email: string }> {
  const conversation = await getConversationRow(deps.db, conversationId);
  const contact = await getContactRow(deps.db, conversation.contactId);
  const email = contact.email ?? input.email ?? null;
  if (!email) throw new AppError('transcript.email_required');
  const locale: TLocale =
    input.locale ??
    (conversation.language === 'zh-CN' || conversation.language === 'en'
      ? conversation.language
      : contact.locale === 'zh-CN'
        ? 'zh-CN'
        : 'en');
  const all = await findMessages(deps.db, conversation.id, {
    afterSeq: 0,
    limit: 100_000,
    includePrivate: false,
  });
  const list = all.slice(-TRANSCRIPT_MAX_MESSAGES);
  const vars = { number: conversation.number, brand: brandOf(deps.config.mailFrom) };
  const text = [
    translate(locale, 'mail.transcriptIntro', vars),
    renderTranscript(locale, list),
    translate(locale, 'mail.transcriptOutro', vars),
  ].join('\n\n');

  await deps.db.transaction(async (tx) => {
    if (!contact.email) await tx.update(contacts).set({ email }).where(eq(contacts.id, contact.id));
    await queueMail(
      tx,
      deps.config,
      {
        to: email,
        subject: translate(locale, 'mail.transcriptSubject', vars),
        text,
        headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': locale },
      },
      { kind: 'conversation_transcript' },
    );
    await recordAudit(tx, actor, {
      action: 'conversation.transcript_sent',
      targetType: 'conversation',
      targetId: conversation.id,
      data: { number: conversation.number, messages: list.length, locale },
    });
  });
  deps.kickJobs();
  return { email };
}
