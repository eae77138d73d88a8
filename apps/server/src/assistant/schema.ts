import { sql } from 'drizzle-orm';
import { jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** Intents an admin adds to the default taxonomy, with the examples the classifier learns from. */
export const assistantIntents = pgTable(
  'assistant_intents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** e.g. `promo.airdrop`; the default taxonomy's ids are reserved. */
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    examples: jsonb('examples').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    /** The assistant's answer for this intent, per locale (articles tagged with the intent are linked too). */
    replies: jsonb('replies')
      .$type<Partial<Record<'zh-CN' | 'en', string>>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    handoff: text('handoff', { enum: ['never', 'always'] })
      .notNull()
      .default('never'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('assistant_intents_name_key').on(t.name)],
);
