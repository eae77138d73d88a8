import type { TConversation } from '@kefu/shared';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { toConversation } from '../conversations/queries.ts';
import { conversations } from '../conversations/schema.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';

/** Conversations a low rating or a complaint sent to the supervisors, latest change first. */
export async function findReviewQueue(
  deps: Pick<Deps, 'db'>,
  query: { limit: number },
): Promise<TConversation[]> {
  const rows = await deps.db
    .select()
    .from(conversations)
    .where(and(eq(conversations.needsReview, true), isNull(conversations.mergedIntoId)))
    .orderBy(desc(conversations.updatedAt), desc(conversations.id))
    .limit(query.limit);
  return rows.map(toConversation);
}

/** A supervisor has looked at it: off the review queue. */
export async function completeReview(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  conversationId: string,
): Promise<TConversation> {
  const row = await deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(conversations)
      .set({ needsReview: false })
      .where(eq(conversations.id, conversationId))
      .returning();
    if (!updated) throw new AppError('conversation.not_found');
    await recordAudit(tx, actor, {
      action: 'csat.reviewed',
      targetType: 'conversation',
      targetId: updated.id,
      data: { score: updated.csatScore },
    });
    return updated;
  });
  return toConversation(row);
}
