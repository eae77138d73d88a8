import type { TLocale } from '@kefu/shared';
import { isLocale, translate } from '@kefu/shared/i18n';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { getContactRow } from '../contacts/contacts.ts';
import { conversations } from '../conversations/schema.ts';
import type { Tx } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import type { DomainEvent } from '../lib/events.ts';
import { writeSystemMessage } from '../pipeline/send-outbound.ts';

/** The customer's language: the conversation's, else the contact's, else English. */
export function customerLocale(
  conversationLanguage: string | null,
  contactLocale: string | null | undefined,
): TLocale {
  if (isLocale(conversationLanguage)) return conversationLanguage;
  if (isLocale(contactLocale)) return contactLocale;
  return 'en';
}

/**
 * When an agent resolves a conversation, in the same transaction: asks the customer to rate it
 * 1–5 with a system message the widget renders as buttons (meta.kind = 'csat_request').
 * Asks once per resolution the customer has not rated yet: not again when nothing was said
 * since the last request. Returns the event to publish after the commit (none when not asked).
 */
export async function writeCsatRequest(
  tx: Tx,
  deps: Deps,
  conversationId: string,
): Promise<DomainEvent[]> {
  const [claimed] = await tx
    .update(conversations)
    .set({ csatRequestedAt: deps.clock.now() })
    .where(
      and(
        eq(conversations.id, conversationId),
        eq(conversations.status, 'resolved'),
        isNull(conversations.csatScore),
        isNull(conversations.mergedIntoId),
        or(
          isNull(conversations.csatRequestedAt),
          lt(conversations.csatRequestedAt, conversations.lastCustomerMessageAt),
        ),
      ),
    )
    .returning();
  if (!claimed) return [];
  const contact = await getContactRow(tx, claimed.contactId).catch(() => null);
  const locale = customerLocale(claimed.language, contact?.locale);
  const { event } = await writeSystemMessage(tx, deps, claimed.id, {
    text: translate(locale, 'customer.csatRequest', { number: claimed.number }),
    meta: { kind: 'csat_request', scale: { min: 1, max: 5 } },
  });
  return [event];
}
