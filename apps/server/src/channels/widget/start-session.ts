import { findOrCreateContact, getContactRow } from '../../contacts/contacts.ts';
import { contacts } from '../../contacts/schema.ts';
import type { Deps } from '../../deps.ts';
import { findInboxByPublicToken } from '../../inboxes/inboxes.ts';
import { AppError } from '../../lib/app-error.ts';
import {
  issueCustomerToken,
  verifyCustomerToken,
  verifyIdentitySignature,
} from '../../realtime/customer-token.ts';

export type WidgetSessionInput = {
  siteToken: string;
  origin: string | null;
  /** The origin Kefu itself was reached at (its preview page is always allowed). */
  requestOrigin?: string | null;
  contactToken?: string;
  identity?: { exchangeUid: string; name?: string; email?: string; signature: string };
  locale?: string;
};

/**
 * Opens a customer session for the widget. A signed identity (the exchange's server computed
 * HMAC-SHA256 of the UID) makes a verified contact; otherwise the visitor is anonymous and
 * keeps the same contact only by presenting its earlier token.
 */
export async function startWidgetSession(deps: Deps, input: WidgetSessionInput) {
  const inbox = await findInboxByPublicToken(deps.db, input.siteToken);
  if (inbox?.channel !== 'widget') throw new AppError('widget.unknown_site');
  const allowed = Array.isArray(inbox.settings.allowedOrigins)
    ? (inbox.settings.allowedOrigins as string[])
    : [];
  // Kefu's own preview page (the console's widget settings) may always open the widget.
  const ownOrigin = new URL(deps.config.publicUrl).origin;
  if (
    allowed.length > 0 &&
    input.origin &&
    !allowed.includes(input.origin) &&
    input.origin !== ownOrigin &&
    input.origin !== input.requestOrigin
  )
    throw new AppError('widget.origin_not_allowed');
  const now = deps.clock.now();

  if (input.identity) {
    if (
      !verifyIdentitySignature(
        inbox.identitySecret,
        input.identity.exchangeUid,
        input.identity.signature,
      )
    ) {
      throw new AppError('widget.identity_invalid');
    }
    const contact = await findOrCreateContact(deps.db, {
      exchangeUid: input.identity.exchangeUid,
      name: input.identity.name ?? null,
      email: input.identity.email ?? null,
      locale: input.locale ?? null,
    });
    const { token, expiresAt } = await issueCustomerToken(
      deps.config.secretKey,
      { contactId: contact.id, inboxId: inbox.id, verified: true },
      now,
    );
    return {
      contactToken: token,
      contactId: contact.id,
      verified: true,
      expiresAt: expiresAt.toISOString(),
    };
  }

  if (input.contactToken) {
    try {
      const claims = await verifyCustomerToken(deps.config.secretKey, input.contactToken, now);
      // An anonymous token never upgrades itself to a verified customer, and stays on its inbox.
      if (claims.inboxId === inbox.id && !claims.verified && !claims.conversationId) {
        const contact = await getContactRow(deps.db, claims.contactId);
        const { token, expiresAt } = await issueCustomerToken(
          deps.config.secretKey,
          { contactId: contact.id, inboxId: inbox.id, verified: false },
          now,
        );
        return {
          contactToken: token,
          contactId: contact.id,
          verified: false,
          expiresAt: expiresAt.toISOString(),
        };
      }
    } catch {
      // An expired or foreign token: start afresh as a new visitor.
    }
  }
  const [contact] = await deps.db
    .insert(contacts)
    .values({ locale: input.locale ?? null })
    .returning({ id: contacts.id });
  if (!contact) throw new Error('insert returned nothing');
  const { token, expiresAt } = await issueCustomerToken(
    deps.config.secretKey,
    { contactId: contact.id, inboxId: inbox.id, verified: false },
    now,
  );
  return {
    contactToken: token,
    contactId: contact.id,
    verified: false,
    expiresAt: expiresAt.toISOString(),
  };
}
