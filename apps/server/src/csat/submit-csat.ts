import type { TCsatResult, TCsatSubmit } from '@kefu/shared';
import { eq } from 'drizzle-orm';
import { findAuditEntries, recordAudit } from '../audit/record-audit.ts';
import { conversations } from '../conversations/schema.ts';
import type { Tx } from '../db/client.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { normalizeText } from '../pipeline/normalize.ts';
import { guardSecrets } from '../safety/secret-guard.ts';
import { enqueueCsatSubmittedWebhook } from '../webhooks/dispatch-event.ts';
import { needsReviewFor } from './needs-review.ts';

/** A rating may be changed for this long after the first one; then it stands. */
export const CSAT_UPDATE_WINDOW_MS = 24 * 3_600_000;

export type CsatCustomer = {
  contactId: string;
  /** A ticket-lookup token's conversation: the customer may rate only that one. */
  conversationId?: string;
};

/** When the first rating came: the last `csat.submitted` audit entry carries it forward. */
async function firstSubmission(tx: Tx, conversationId: string): Promise<Date | null> {
  const [entry] = await findAuditEntries(
    { db: tx as unknown as Deps['db'] },
    { action: 'csat.submitted', targetId: conversationId, limit: 1 },
  );
  if (!entry) return null;
  const first = entry.data.firstSubmittedAt;
  return new Date(typeof first === 'string' ? first : entry.at);
}

/**
 * The customer rates their conversation 1–5 with an optional comment (masked like every
 * customer text). One rating per conversation: a new one replaces it for 24 hours, then 409.
 * A low score, or a comment on a complaint, marks it for review and tells the supervisors.
 */
export async function submitCsat(
  deps: Deps,
  actor: Actor,
  customer: CsatCustomer,
  conversationId: string,
  input: TCsatSubmit,
): Promise<TCsatResult> {
  const now = deps.clock.now();
  const comment = input.comment ? guardSecrets(normalizeText(input.comment)).text || null : null;
  const result = await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(conversations)
      .where(eq(conversations.id, conversationId))
      .for('update');
    // Another customer's conversation does not exist for this one.
    if (
      !row ||
      row.contactId !== customer.contactId ||
      (customer.conversationId !== undefined && customer.conversationId !== row.id)
    )
      throw new AppError('conversation.not_found');
    if (!row.csatRequestedAt) throw new AppError('csat.not_requested');
    const previous = await firstSubmission(tx, row.id);
    if (row.csatScore !== null && !previous) throw new AppError('csat.already_submitted');
    const firstSubmittedAt = previous ?? now;
    if (previous && now.getTime() - firstSubmittedAt.getTime() > CSAT_UPDATE_WINDOW_MS)
      throw new AppError('csat.already_submitted');
    const flagged = needsReviewFor({ score: input.score, comment, intent: row.intent });
    const [updated] = await tx
      .update(conversations)
      .set({
        csatScore: input.score,
        csatComment: comment,
        needsReview: row.needsReview || flagged,
      })
      .where(eq(conversations.id, row.id))
      .returning();
    if (!updated) throw new AppError('conversation.not_found');
    await recordAudit(tx, actor, {
      action: 'csat.submitted',
      targetType: 'conversation',
      targetId: row.id,
      data: {
        score: input.score,
        commented: comment !== null,
        needsReview: updated.needsReview,
        replaces: previous !== null,
        firstSubmittedAt: firstSubmittedAt.toISOString(),
        submittedAt: now.toISOString(),
      },
    });
    await enqueueCsatSubmittedWebhook(tx, row.id, now);
    return { row: updated, firstSubmittedAt, newlyFlagged: flagged && !row.needsReview };
  });
  deps.kickJobs();
  if (result.newlyFlagged) {
    deps.publish({
      type: 'supervisors.notification',
      kind: 'review',
      conversationId: result.row.id,
      number: result.row.number,
    });
  }
  return {
    conversationId: result.row.id,
    number: result.row.number,
    score: input.score,
    comment,
    submittedAt: now.toISOString(),
    updatableUntil: new Date(
      result.firstSubmittedAt.getTime() + CSAT_UPDATE_WINDOW_MS,
    ).toISOString(),
  };
}
