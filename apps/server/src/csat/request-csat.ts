import type { TLocale } from '@kefu/shared';
import { isLocale, translate } from '@kefu/shared/i18n';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { getContactRow } from '../contacts/contacts.ts';
import { conversations } from '../conversations/schema.ts';
import type { Deps } from '../deps.ts';
import { sendSystemMessage } from '../pipeline/send-outbound.ts';

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
 * After an agent resolves a conversation (called after the commit): asks the customer to rate
 * it 1–5 with a system message the widget renders as buttons (meta.kind = 'csat_request').
 * Asks once per resolution the customer has not rated yet: not again when nothing was said
 * since the last request. Never throws: the resolution is already committed.
 */
export async function requestCsat(deps: Deps, conversationId: string): Promise<boolean> {
  try {
    const now = deps.clock.now();
    const [claimed] = await deps.db
      .update(conversations)
      .set({ csatRequestedAt: now })
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
    if (!claimed) return false;
    const contact = await getContactRow(deps.db, claimed.contactId).catch(() => null);
    const locale = customerLocale(claimed.language, contact?.locale);
    await sendSystemMessage(deps, claimed.id, {
      text: translate(locale, 'customer.csatRequest', { number: claimed.number }),
      meta: { kind: 'csat_request', scale: { min: 1, max: 5 } },
    });
    return true;
  } catch (error) {
    deps.logger.error({ err: error, conversationId }, 'csat request failed');
    return false;
  }
}
