import { isLocale, translate } from '@kefu/shared/i18n';
import { getContactRow } from '../../contacts/contacts.ts';
import type { ConversationRow } from '../../conversations/queries.ts';
import type { Deps } from '../../deps.ts';
import { getInboxRow, type InboxRow } from '../../inboxes/inboxes.ts';
import type { MailMessage } from '../../mail/transport.ts';
import type { Deliverer } from '../../pipeline/send-outbound.ts';
import { baseSubject } from './parse-email.ts';
import { findInboundEmailIds, latestInboundEmailMeta, ownMessageId } from './queries.ts';
import { brandOf } from './receive-email.ts';
import { queueEmail } from './send-email.ts';
import { domainOf, emailSettingsOf, findEmailInboxes } from './settings.ts';

type Delivery = Parameters<Deliverer>[0];

/** The mail for one outbound message: ticket number in the subject, threading headers, anti-phishing code. */
export async function composeEmail(
  deps: Deps,
  delivery: Delivery,
  inbox: InboxRow,
  to: string,
  antiPhishingCode: string | null,
): Promise<MailMessage> {
  const { message, conversation } = delivery;
  const locale = isLocale(conversation.language) ? conversation.language : 'en';
  const brand = brandOf(deps.config.mailFrom);
  const address = emailSettingsOf(inbox).address;
  const domain = domainOf(address);
  const number = conversation.number;
  const subject = baseSubject(conversation.subject ?? '') || `#${number}`;
  const ids = (await findInboundEmailIds(deps.db, conversation.id)).map((id) => `<${id}>`);
  const lines = [message.text.trim(), ''];
  if (antiPhishingCode)
    lines.push(translate(locale, 'mail.antiPhishing', { code: antiPhishingCode, brand }));
  lines.push('--', translate(locale, 'mail.ticketFooter', { number, brand }));
  const automatic = message.senderType !== 'agent';
  return {
    to,
    subject: translate(locale, 'mail.replySubject', { subject, number }),
    text: lines.join('\n'),
    headers: {
      // The same id on every retry: a receiver that got it once drops the copy.
      'Message-ID': `<${ownMessageId(message.id, domain)}>`,
      'Reply-To': address,
      ...(ids.length
        ? { 'In-Reply-To': ids[ids.length - 1] ?? '', References: ids.slice(-10).join(' ') }
        : {}),
      'Content-Language': locale,
      ...(automatic ? { 'Auto-Submitted': 'auto-replied' } : {}),
      'X-Kefu-Ticket': String(number),
    },
  };
}

/**
 * Whether an automatic message (assistant, system) must not be mailed: the customer's last mail
 * was itself automatic, spoofed or over the hourly limit. Answering those is how loops start.
 */
async function suppressAutomatic(deps: Deps, delivery: Delivery): Promise<boolean> {
  if (delivery.message.senderType === 'agent') return false;
  const meta = await latestInboundEmailMeta(deps.db, delivery.conversation.id);
  return !!meta && (!!meta.automated || meta.spoofed === true || meta.rateLimited === true);
}

async function sendByEmail(
  deps: Deps,
  delivery: Delivery,
  inbox: InboxRow,
  options: { fallback?: boolean } = {},
): Promise<'sent'> {
  const contact = await getContactRow(deps.db, delivery.conversation.contactId);
  if (!contact.email) throw new Error('the customer has no email address');
  const code = contact.attributes.antiPhishingCode;
  const mail = await composeEmail(
    deps,
    delivery,
    inbox,
    contact.email,
    typeof code === 'string' && code.trim() ? code.trim() : null,
  );
  // The mail job retries on its own; the outbox row records that the mail was handed over (in
  // the same commit as the job, so a re-run after a crash mails nothing twice), and the job marks
  // it failed if the receiving server refuses it for good.
  await deps.db.transaction(async (tx) => {
    await queueEmail(tx, deps.config, {
      inboxId: inbox.id,
      outboxId: options.fallback ? null : delivery.outboxId,
      mail,
    });
    await delivery.handedOver(tx);
  });
  deps.kickJobs();
  return 'sent';
}

/** The email channel's deliverer: answers go out through the durable mail job. */
export function createEmailDeliverer(deps: Deps): Deliverer {
  return async (delivery) => {
    if (await suppressAutomatic(deps, delivery)) {
      deps.logger.info(
        { conversationId: delivery.conversation.id, messageId: delivery.message.id },
        'email: automatic answer not mailed (loop protection)',
      );
      return 'sent';
    }
    return sendByEmail(deps, delivery, await getInboxRow(deps.db, delivery.conversation.inboxId));
  };
}

async function fallbackInbox(deps: Deps, conversation: ConversationRow): Promise<InboxRow | null> {
  const inboxes = await findEmailInboxes(deps.db);
  return inboxes.find((i) => i.defaultTeamId === conversation.teamId) ?? inboxes[0] ?? null;
}

/**
 * Widget conversations whose customer has left: an agent's reply that no open tab confirmed
 * (the widget deliverer answers 'sent', not 'delivered') is also mailed, when the customer gave
 * an email and an email channel exists. The customer's answer threads back by `[#number]`.
 */
export function withEmailFallback(deps: Deps, widget: Deliverer): Deliverer {
  return async (delivery) => {
    const status = await widget(delivery);
    if (status === 'delivered' || delivery.message.senderType !== 'agent') return status;
    const contact = await getContactRow(deps.db, delivery.conversation.contactId);
    if (!contact.email) return status;
    const inbox = await fallbackInbox(deps, delivery.conversation);
    if (!inbox) return status;
    await sendByEmail(deps, delivery, inbox, { fallback: true });
    return status;
  };
}
