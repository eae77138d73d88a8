import type { TTicketLookupVerify } from '@kefu/shared';
import { and, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { getContactRow } from '../contacts/contacts.ts';
import type { ConversationRow } from '../conversations/queries.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { findTicketByNumber } from './find-ticket.ts';
import { LOOKUP_CODE_MAX_ATTEMPTS, lookupCodeMatches } from './lookup-code.ts';
import { ticketLookupCodes } from './schema.ts';

/**
 * Step 2 of the public ticket lookup: checks the mailed code. A code works once; every wrong
 * guess counts against each code still open for that ticket and email, and the fifth burns it.
 * Any failure, including an unknown number or email, is the same `ticket.code_invalid`.
 */
export async function verifyTicketLookup(
  deps: Deps,
  actor: Actor,
  input: TTicketLookupVerify,
): Promise<ConversationRow> {
  const found = await findTicketByNumber(deps.db, input.number);
  if (!found) throw new AppError('ticket.code_invalid');
  const now = deps.clock.now();
  const verified = await deps.db.transaction(async (tx) => {
    const open = await tx
      .select()
      .from(ticketLookupCodes)
      .where(
        and(
          inArray(ticketLookupCodes.conversationId, found.chain),
          eq(ticketLookupCodes.email, input.email),
          isNull(ticketLookupCodes.usedAt),
          gt(ticketLookupCodes.expiresAt, now),
          lt(ticketLookupCodes.attempts, LOOKUP_CODE_MAX_ATTEMPTS),
        ),
      )
      .for('update');
    const match = open.find((row) => lookupCodeMatches(deps.config.secretKey, row, input.code));
    if (match) {
      await tx
        .update(ticketLookupCodes)
        .set({ usedAt: now })
        .where(eq(ticketLookupCodes.id, match.id));
      return true;
    }
    if (open.length > 0) {
      await tx
        .update(ticketLookupCodes)
        .set({ attempts: sql`${ticketLookupCodes.attempts} + 1` })
        .where(
          inArray(
            ticketLookupCodes.id,
            open.map((row) => row.id),
          ),
        );
    }
    return false;
  });
  if (!verified) {
    deps.logger.info({ ticket: input.number }, 'ticket lookup: wrong or expired code');
    throw new AppError('ticket.code_invalid');
  }
  // The customer's email may have changed since the code was sent.
  const contact = await getContactRow(deps.db, found.row.contactId);
  if (contact.email?.trim().toLowerCase() !== input.email)
    throw new AppError('ticket.code_invalid');
  await recordAudit(
    deps.db,
    { ...actor, type: 'contact', id: contact.id },
    {
      action: 'ticket.lookup_verified',
      targetType: 'conversation',
      targetId: found.row.id,
      data: { number: found.row.number },
    },
  );
  return found.row;
}
