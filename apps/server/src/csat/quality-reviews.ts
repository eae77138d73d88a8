import type { TQualityReview, TQualityReviewInput } from '@kefu/shared';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { recordAudit } from '../audit/record-audit.ts';
import { agents } from '../auth/schema.ts';
import { conversations } from '../conversations/schema.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { qualityReviews } from './schema.ts';

type ReviewRow = typeof qualityReviews.$inferSelect;

function toQualityReview(
  row: ReviewRow,
  extra: { number: number; agentName: string | null; reviewerName: string | null },
): TQualityReview {
  const scores = {
    responseSpeed: row.responseSpeed,
    attitude: row.attitude,
    resolution: row.resolution,
    followUp: row.followUp,
    accuracy: row.accuracy,
  };
  const total = Object.values(scores).reduce((sum, s) => sum + s, 0);
  return {
    id: row.id,
    conversationId: row.conversationId,
    conversationNumber: extra.number,
    agentId: row.agentId,
    agentName: extra.agentName,
    reviewerId: row.reviewerId,
    reviewerName: extra.reviewerName,
    scores,
    score: total / 5,
    comment: row.comment,
    createdAt: row.createdAt.toISOString(),
  };
}

const reviewer = alias(agents, 'reviewer');

/** Reviews, newest first: of one agent's work, of one conversation, or all. */
export async function findQualityReviews(
  db: DbOrTx,
  query: { agentId?: string; conversationId?: string; limit: number },
): Promise<TQualityReview[]> {
  const where: SQL[] = [];
  if (query.agentId) where.push(eq(qualityReviews.agentId, query.agentId));
  if (query.conversationId) where.push(eq(qualityReviews.conversationId, query.conversationId));
  const rows = await db
    .select({
      review: qualityReviews,
      number: conversations.number,
      agentName: agents.name,
      reviewerName: reviewer.name,
    })
    .from(qualityReviews)
    .innerJoin(conversations, eq(conversations.id, qualityReviews.conversationId))
    .leftJoin(agents, eq(agents.id, qualityReviews.agentId))
    .leftJoin(reviewer, eq(reviewer.id, qualityReviews.reviewerId))
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(qualityReviews.createdAt), desc(qualityReviews.id))
    .limit(query.limit);
  return rows.map((r) =>
    toQualityReview(r.review, {
      number: r.number,
      agentName: r.agentName,
      reviewerName: r.reviewerName,
    }),
  );
}

/**
 * A supervisor scores a conversation against the rubric. The review is of the conversation's
 * assignee at that moment; the conversation leaves the review queue.
 */
export async function createQualityReview(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: Actor & { id: string },
  input: TQualityReviewInput,
): Promise<TQualityReview> {
  const now = deps.clock.now();
  const id = await deps.db.transaction(async (tx) => {
    const [conversation] = await tx
      .update(conversations)
      .set({ needsReview: false })
      .where(eq(conversations.id, input.conversationId))
      .returning();
    if (!conversation) throw new AppError('conversation.not_found');
    const [row] = await tx
      .insert(qualityReviews)
      .values({
        conversationId: conversation.id,
        agentId: conversation.assigneeId,
        reviewerId: actor.id,
        ...input.scores,
        comment: input.comment,
        createdAt: now,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await recordAudit(tx, actor, {
      action: 'quality.reviewed',
      targetType: 'conversation',
      targetId: conversation.id,
      data: { reviewId: row.id, agentId: row.agentId, scores: input.scores },
    });
    return row.id;
  });
  const [review] = await findQualityReviewsById(deps.db, id);
  if (!review) throw new Error('review vanished');
  return review;
}

async function findQualityReviewsById(db: DbOrTx, id: string) {
  const rows = await db
    .select({
      review: qualityReviews,
      number: conversations.number,
      agentName: agents.name,
      reviewerName: reviewer.name,
    })
    .from(qualityReviews)
    .innerJoin(conversations, eq(conversations.id, qualityReviews.conversationId))
    .leftJoin(agents, eq(agents.id, qualityReviews.agentId))
    .leftJoin(reviewer, eq(reviewer.id, qualityReviews.reviewerId))
    .where(eq(qualityReviews.id, id));
  return rows.map((r) =>
    toQualityReview(r.review, {
      number: r.number,
      agentName: r.agentName,
      reviewerName: r.reviewerName,
    }),
  );
}
