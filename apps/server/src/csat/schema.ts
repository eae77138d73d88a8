import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { agents } from '../auth/schema.ts';
import { conversations } from '../conversations/schema.ts';

/** A supervisor's review of one conversation against the quality rubric (each criterion 1–5). */
export const qualityReviews = pgTable(
  'quality_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id),
    /** The agent whose work is reviewed: the conversation's assignee when it was reviewed. */
    agentId: uuid('agent_id').references(() => agents.id, { onDelete: 'set null' }),
    reviewerId: uuid('reviewer_id')
      .notNull()
      .references(() => agents.id),
    responseSpeed: integer('response_speed').notNull(),
    attitude: integer('attitude').notNull(),
    resolution: integer('resolution').notNull(),
    followUp: integer('follow_up').notNull(),
    accuracy: integer('accuracy').notNull(),
    comment: text('comment').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('quality_reviews_agent_idx').on(t.agentId, t.createdAt),
    index('quality_reviews_conversation_idx').on(t.conversationId),
  ],
);
