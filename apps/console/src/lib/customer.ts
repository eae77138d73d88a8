import type { TContact } from '@kefu/shared';
import i18n from '../i18n.ts';
import { isSecretKind } from './conversation.ts';

/** How agents name a customer: name, else email, else exchange UID, else "Visitor ab12cd". */
export function customerName(contact: TContact | undefined | null, contactId: string): string {
  return (
    contact?.name ||
    contact?.email ||
    contact?.exchangeUid ||
    i18n.t('ticket.visitor', { id: contactId.slice(0, 6) })
  );
}

/** Plain-text places (subjects, summaries): a masked secret reads "[seed phrase removed]". */
export function readableRedactions(text: string): string {
  return text.replace(/\[REDACTED:([a-z_]+)\]/g, (_token, kind: string) => {
    const key = isSecretKind(kind) ? kind : 'other';
    return `[${i18n.t(`workspace.redacted.${key}`)}]`;
  });
}
