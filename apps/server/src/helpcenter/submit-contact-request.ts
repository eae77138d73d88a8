import type { TLocale } from '@kefu/shared';
import { findOrCreateContact, getContactRow } from '../contacts/contacts.ts';
import type { Deps } from '../deps.ts';
import { findInboxes, type InboxRow } from '../inboxes/inboxes.ts';
import { AppError } from '../lib/app-error.ts';
import { acceptInbound } from '../pipeline/accept-inbound.ts';
import { normalizeText } from '../pipeline/normalize.ts';
import { guardSecrets } from '../safety/secret-guard.ts';
import { categoryName } from './strings.ts';

export type ContactRequest = {
  email: string;
  category: string;
  description: string;
  /** The page's language: the new contact's locale and the category name in the subject. */
  locale: TLocale;
  /** The form's nonce id: a second submit of the same form finds the first ticket. */
  formId: string;
};

export type ContactRequestResult =
  | {
      ok: true;
      number: number;
      conversationId: string;
      duplicate: boolean;
      /** Set when the secret guard masked something in the description. */
      warning: string | null;
    }
  /** The form was already used by someone else's email: render a fresh form. */
  | { ok: false; reason: 'form_reused' };

/** Where help-center requests arrive: the first website-widget inbox, else the first API inbox. */
export async function findHelpCenterInbox(deps: Pick<Deps, 'db'>): Promise<InboxRow> {
  const inboxes = await findInboxes(deps);
  const inbox =
    inboxes.find((i) => i.channel === 'widget') ?? inboxes.find((i) => i.channel === 'api');
  if (!inbox) throw new AppError('inbox.not_found');
  return inbox;
}

/**
 * "Contact us" from the help center: finds or creates the customer by email and opens a
 * conversation through the one inbound pipeline (secret guard, idempotency, routing, SLA).
 */
export async function submitContactRequest(
  deps: Deps,
  input: ContactRequest,
): Promise<ContactRequestResult> {
  const email = input.email.trim().toLowerCase();
  const inbox = await findHelpCenterInbox(deps);
  const contact = await findOrCreateContact(deps.db, { email, locale: input.locale });
  // The subject is stored as given, so it is built from the already-masked text.
  const excerpt = guardSecrets(normalizeText(input.description)).text.replace(/\s+/g, ' ');
  const subject = `[${categoryName(input.locale, input.category)}] ${excerpt}`.slice(0, 120);
  const result = await acceptInbound(deps, {
    channel: inbox.channel,
    inboxId: inbox.id,
    idempotencyKey: `help-center:${input.formId}`,
    contactId: contact.id,
    text: input.description,
    locale: null,
    subject,
    meta: { source: 'help_center', category: input.category },
  });
  if (result.duplicate && result.conversation.contactId !== contact.id) {
    const first = await getContactRow(deps.db, result.conversation.contactId).catch(() => null);
    if (first?.email?.toLowerCase() !== email) return { ok: false, reason: 'form_reused' };
  }
  return {
    ok: true,
    number: result.conversation.number,
    conversationId: result.conversation.id,
    duplicate: result.duplicate,
    warning: result.warning,
  };
}
