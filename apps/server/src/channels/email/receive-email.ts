import { createHash } from 'node:crypto';
import { isLocale, translate } from '@kefu/shared/i18n';
import { and, eq, sql } from 'drizzle-orm';
import { uploadAttachment } from '../../attachments/upload-attachment.ts';
import { findOrCreateContact } from '../../contacts/contacts.ts';
import { getConversationRow } from '../../conversations/queries.ts';
import { messages } from '../../conversations/schema.ts';
import type { Deps } from '../../deps.ts';
import type { InboxRow } from '../../inboxes/inboxes.ts';
import { acceptInbound } from '../../pipeline/accept-inbound.ts';
import { normalizeText } from '../../pipeline/normalize.ts';
import { markDeliveryFailed, sendSystemMessage } from '../../pipeline/send-outbound.ts';
import { guardSecrets } from '../../safety/secret-guard.ts';
import { findTicketByNumber } from '../../tickets/find-ticket.ts';
import {
  checkEmailAuthentication,
  type DNSResolver,
  type EmailAuthSummary,
  summarizeAuthenticationResults,
} from './authenticate.ts';
import { type ParsedEmail, parseEmail, ticketNumberInSubject } from './parse-email.ts';
import {
  countInboundEmails,
  findConversationByEmailIds,
  findOutboxOfMessage,
  kefuMessageIdsIn,
} from './queries.ts';
import { domainOf, emailSettingsOf } from './settings.ts';

/** Automatic answers per sender and hour; mail over it is still accepted, only not answered. */
export const EMAIL_AUTO_REPLIES_PER_HOUR = 20;
const MAX_KEPT_CHARS = 100_000;
const MAX_ATTACHMENTS = 10;

export type EmailEnvelope =
  | { source: 'smtp'; remoteAddress: string; helo: string | null; mailFrom: string | null }
  | { source: 'imap' };

export type ReceiveEmailResult =
  | { status: 'accepted' | 'duplicate'; conversationId: string; number: number; messageId: string }
  | { status: 'bounce' | 'ignored'; reason: string };

/** The brand in `Demo Exchange Support <support@…>`, to sign mails and name the anti-phishing code. */
export function brandOf(mailFrom: string): string {
  return (
    mailFrom
      .replace(/<[^>]*>/, '')
      .trim()
      .replace(/^"(.*)"$/, '$1') || mailFrom
  );
}

/**
 * The email channel's inbound adapter, shared by the SMTP listener and IMAP: one raw mail in,
 * one call to the pipeline. Returns only after the message is committed (or found to be a
 * duplicate), so the caller may then answer 250 / advance its IMAP position.
 */
export async function receiveEmail(
  deps: Deps,
  inbox: InboxRow,
  raw: Buffer,
  envelope: EmailEnvelope,
  options: { resolver?: DNSResolver } = {},
): Promise<ReceiveEmailResult> {
  const settings = emailSettingsOf(inbox);
  const mail = await parseEmail(raw);
  const logger = deps.logger.child({ component: 'email', inboxId: inbox.id });
  if (mail.bounce) return handleBounce(deps, raw, mail);
  if (!mail.from) return { status: 'ignored', reason: 'no From address' };

  const auth: EmailAuthSummary =
    envelope.source === 'smtp'
      ? await checkEmailAuthentication(raw, {
          ip: envelope.remoteAddress,
          helo: envelope.helo,
          mailFrom: envelope.mailFrom,
          fromAddress: mail.from.address,
          ownAddress: settings.address,
          ...(options.resolver ? { resolver: options.resolver } : {}),
        })
      : summarizeAuthenticationResults(
          mail.authenticationResults,
          mail.from.address,
          settings.address,
        );
  const fromOwnDomain = domainOf(mail.from.address) === domainOf(settings.address);

  const contact = await findOrCreateContact(deps.db, {
    email: mail.from.address,
    name: mail.from.name,
  });
  const conversationId = await threadOf(deps, mail, contact.id);
  const since = new Date(deps.clock.now().getTime() - 3_600_000);
  const recent = await countInboundEmails(deps.db, {
    inboxId: inbox.id,
    contactId: contact.id,
    since,
  });
  const rateLimited = recent >= EMAIL_AUTO_REPLIES_PER_HOUR;

  const { attachmentIds, skipped } = await storeAttachments(deps, contact.id, mail);
  // Everything kept from the mail goes through the secret guard, not only the text agents read.
  const subject = guardSecrets(mail.subject).text.slice(0, 500);
  const meta = {
    emailMessageId: mail.messageId,
    email: {
      source: envelope.source,
      messageId: mail.messageId,
      inReplyTo: mail.inReplyTo,
      references: mail.references.slice(-20),
      from: mail.from.address,
      to: mail.to,
      subject,
      auth,
      spoofed: auth.spoofed,
      automated: mail.automated,
      rateLimited,
      fullText: guardSecrets(mail.fullText.slice(0, MAX_KEPT_CHARS)).text,
      html: mail.safeHtml ? guardSecrets(mail.safeHtml.slice(0, MAX_KEPT_CHARS)).text : null,
      skippedAttachments: skipped,
    },
  };
  const idempotencyKey = mail.messageId
    ? `email:${mail.messageId}`
    : `email-sha256:${createHash('sha256').update(raw).digest('hex')}`;
  const result = await acceptInbound(deps, {
    channel: 'email',
    inboxId: inbox.id,
    idempotencyKey,
    contactId: contact.id,
    ...(conversationId ? { conversationId } : {}),
    // A mail of only control characters or blanks still opens its ticket: nothing accepted is lost.
    text: normalizeText(mail.replyText) || normalizeText(subject) || '—',
    subject: subject || null,
    locale: mail.contentLanguage,
    meta,
    ...(attachmentIds.length ? { attachmentIds } : {}),
  });
  const accepted: ReceiveEmailResult = {
    status: result.duplicate ? 'duplicate' : 'accepted',
    conversationId: result.conversation.id,
    number: result.conversation.number,
    messageId: result.message.id,
  };

  // Committed: what follows must not turn into a retry of the whole mail. A mail delivered
  // again (the sender retried, IMAP read it again after a crash) gets what the first delivery
  // did not finish: each note is written once.
  const threadId = result.conversation.id;
  const locale = isLocale(result.conversation.language) ? result.conversation.language : 'en';
  const openedIt = result.createdConversation || (result.duplicate && result.message.seq === 1);
  try {
    if (auth.spoofed && !(await hasNote(deps, threadId, 'email_spoofing_warning', result)))
      await sendSystemMessage(deps, threadId, {
        private: true,
        text: translate(locale, 'mail.noteSpoofed', {
          domain: domainOf(settings.address),
          spf: auth.spf,
          dmarc: auth.dmarc,
        }),
        meta: { kind: 'email_spoofing_warning', messageId: result.message.id },
      });
    const answer = openedIt && !mail.automated && !auth.spoofed && !fromOwnDomain;
    if (answer && !rateLimited && !(await hasNote(deps, threadId, 'email_ack', result)))
      await sendSystemMessage(deps, threadId, {
        text: translate(locale, 'mail.emailAck', { number: result.conversation.number }),
        meta: { kind: 'email_ack', replyTo: result.message.id },
      });
    if (answer && rateLimited)
      logger.warn({ contactId: contact.id }, 'email: sender over the hourly limit; not answered');
  } catch (error) {
    logger.error({ err: error, conversationId: threadId }, 'email: after-commit step failed');
  }
  return accepted;
}

/** Whether the note or answer of this kind about this mail was written already. */
async function hasNote(
  deps: Deps,
  conversationId: string,
  kind: 'email_spoofing_warning' | 'email_ack',
  result: { message: { id: string } },
): Promise<boolean> {
  const key = kind === 'email_ack' ? 'replyTo' : 'messageId';
  const [found] = await deps.db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        sql`${messages.meta}->>'kind' = ${kind}`,
        sql`${messages.meta}->>${key} = ${result.message.id}`,
      ),
    )
    .limit(1);
  return found !== undefined;
}

/** In-Reply-To / References first, then `[#number]` in the subject; only the customer's own tickets. */
async function threadOf(deps: Deps, mail: ParsedEmail, contactId: string): Promise<string | null> {
  const candidates: string[] = [];
  const byIds = await findConversationByEmailIds(deps.db, [
    ...mail.inReplyTo,
    ...[...mail.references].reverse(),
  ]);
  if (byIds) candidates.push(byIds);
  const number = ticketNumberInSubject(mail.subject);
  if (number) {
    const found = await findTicketByNumber(deps.db, number);
    if (found) candidates.push(found.row.id);
  }
  for (const id of candidates) {
    const row = await getConversationRow(deps.db, id);
    // Someone else's reply (a forwarded thread, a guessed number) opens a ticket of its own.
    if (row.contactId === contactId) return row.mergedIntoId ?? row.id;
  }
  return null;
}

async function storeAttachments(
  deps: Deps,
  contactId: string,
  mail: ParsedEmail,
): Promise<{ attachmentIds: string[]; skipped: string[] }> {
  const attachmentIds: string[] = [];
  const skipped: string[] = [];
  for (const file of mail.attachments.slice(0, MAX_ATTACHMENTS)) {
    try {
      const ref = await uploadAttachment(deps, {
        uploader: { type: 'contact', id: contactId },
        conversationId: null,
        filename: file.filename,
        content: (async function* () {
          yield file.content;
        })(),
      });
      attachmentIds.push(ref.id);
    } catch {
      // Types the attachments domain does not serve (archives, office files…) are only named.
      skipped.push(file.filename.slice(0, 200));
    }
  }
  for (const file of mail.attachments.slice(MAX_ATTACHMENTS))
    skipped.push(file.filename.slice(0, 200));
  return { attachmentIds, skipped };
}

/** A bounce of a mail Kefu sent: the delivery failed for good, and the agent is told. */
async function handleBounce(
  deps: Deps,
  raw: Buffer,
  mail: ParsedEmail,
): Promise<ReceiveEmailResult> {
  for (const messageId of kefuMessageIdsIn(raw.toString('latin1'))) {
    const row = await findOutboxOfMessage(deps.db, messageId);
    if (!row) continue;
    await markDeliveryFailed(deps, row.outboxId);
    const conversation = await getConversationRow(deps.db, row.conversationId);
    const locale = isLocale(conversation.language) ? conversation.language : 'en';
    await sendSystemMessage(deps, row.conversationId, {
      private: true,
      text: translate(locale, 'mail.noteBounce', {
        recipient: mail.bounce?.recipient ?? '?',
        reason: mail.bounce?.reason ?? translate(locale, 'mail.noteBounceUnknown'),
      }),
      meta: { kind: 'email_bounce', messageId },
    });
    return { status: 'bounce', reason: `bounce of message ${messageId}` };
  }
  return { status: 'ignored', reason: 'bounce of no known message' };
}
