import { jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { agents } from '../auth/schema.ts';

/** Reusable replies, per locale, with {{variables}} filled in when inserted. */
export const cannedResponses = pgTable(
  'canned_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Typed after `/` in the reply box. */
    shortcut: text('shortcut').notNull(),
    title: text('title').notNull(),
    texts: jsonb('texts').$type<Partial<Record<'zh-CN' | 'en', string>>>().notNull(),
    createdBy: uuid('created_by').references(() => agents.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('canned_responses_shortcut_key').on(t.shortcut)],
);
