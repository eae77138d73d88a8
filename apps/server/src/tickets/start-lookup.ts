import { randomUUID } from 'node:crypto';
import type { TLocale, TTicketLookupStart } from '@kefu/shared';
import { isLocale, translate } from '@kefu/shared/i18n';
import { and, eq, gt, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { getContactRow } from '../contacts/contacts.ts';
import { conversations } from '../conversations/schema.ts';
import type { Actor, Deps } from '../deps.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { findTicketByNumber } from './find-ticket.ts';
import {
  generateLookupCode,
  hashLookupCode,
  LOOKUP_CODE_TTL_MS,
  LOOKUP_CODES_PER_HOUR,
} from './lookup-code.ts';
import { ticketLookupCodes } from './schema.ts';

/** "Demo Exchange Support" from `Demo Exchange Support <support@…>`, to sign the mail. */
function senderName(mailFrom: string): string {
  const name = mailFrom
    .replace(/<[^>]*>/, '')
    .trim()
    .replace(/^"(.*)"$/, '$1');
  return name || mailFrom;
}

/**
 * Step 1 of the public ticket lookup: when the number exists and the email is its customer's,
 * mails a one-time code in the customer's language. Says nothing either way: the caller
 * answers the same whatever happened here.
 */
export async function startTicketLookup(
  deps: Deps,
  actor: Actor,
  input: TTicketLookupStart,
): Promise<void> {
  const found = await findTicketByNumber(deps.db, input.number);
  const contact = found
    ? await getContactRow(deps.db, found.row.contactId).catch(() => null)
    : null;
  const email = contact?.email?.trim().toLowerCase();
  if (!found || !contact || !email || email !== input.email) {
    deps.logger.info({ ticket: input.number }, 'ticket lookup: no matching ticket and email');
    return;
  }
  const conversation = found.row;
  const locale: TLocale =
    input.locale ??
    (isLocale(conversation.language)
      ? conversation.language
      : isLocale(contact.locale)
        ? contact.locale
        : 'en');
  const now = deps.clock.now();
  const queued = await deps.db.transaction(async (tx) => {
    // One lookup of a ticket at a time, so the hourly cap holds under concurrent requests.
    await tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(eq(conversations.id, conversation.id))
      .for('update');
    const [recent] = await tx
      .select({ count: sql<number>`count(*)::int` })
      .from(ticketLookupCodes)
      .where(
        and(
          eq(ticketLookupCodes.conversationId, conversation.id),
          gt(ticketLookupCodes.createdAt, new Date(now.getTime() - 3_600_000)),
        ),
      );
    if (Number(recent?.count ?? 0) >= LOOKUP_CODES_PER_HOUR) return false;
    const id = randomUUID();
    const code = generateLookupCode();
    const expiresAt = new Date(now.getTime() + LOOKUP_CODE_TTL_MS);
    await tx.insert(ticketLookupCodes).values({
      id,
      conversationId: conversation.id,
      email,
      codeHash: hashLookupCode(deps.config.secretKey, id, code),
      expiresAt,
      createdAt: now,
    });
    const vars = {
      number: conversation.number,
      code,
      minutes: LOOKUP_CODE_TTL_MS / 60_000,
      brand: senderName(deps.config.mailFrom),
    };
    await queueMail(
      tx,
      deps.config,
      {
        to: email,
        subject: translate(locale, 'mail.ticketCodeSubject', vars),
        text: translate(locale, 'mail.ticketCodeText', vars),
        headers: { 'Auto-Submitted': 'auto-generated', 'Content-Language': locale },
      },
      { kind: 'ticket_lookup_code', discardAfter: expiresAt },
    );
    await recordAudit(tx, actor, {
      action: 'ticket.lookup_code_sent',
      targetType: 'conversation',
      targetId: conversation.id,
      data: { number: conversation.number, locale },
    });
    return true;
  });
  if (queued) deps.kickJobs();
  else
    deps.logger.warn(
      { conversationId: conversation.id },
      'ticket lookup: hourly code limit reached; no code sent',
    );
}
