import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Banners for customers (maintenance, incidents, listings): shown in the help center and the
 * widget, and answered by the assistant when a question matches its intents/keywords/assets.
 */
export const announcements = pgTable(
  'announcements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    severity: text('severity', { enum: ['info', 'incident'] }).notNull(),
    /** The banner per locale: { en, 'zh-CN' }. */
    text: jsonb('text').$type<Record<'en' | 'zh-CN', string>>().notNull(),
    details: jsonb('details')
      .$type<Record<'en' | 'zh-CN', string>>()
      .notNull()
      .default(sql`'{"en":"","zh-CN":""}'::jsonb`),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull().defaultNow(),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    intents: jsonb('intents').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    keywords: jsonb('keywords').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    assets: jsonb('assets').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Customers' pages read the unresolved ones on every view.
  (t) => [index('announcements_current_idx').on(t.resolvedAt, t.startsAt)],
);
