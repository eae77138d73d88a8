import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const contacts = pgTable(
  'contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The customer's id at the exchange; set only from a verified source (signed widget identity, connector). */
    exchangeUid: text('exchange_uid'),
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    telegramId: text('telegram_id'),
    locale: text('locale'),
    vipLevel: integer('vip_level').notNull().default(0),
    kycLevel: integer('kyc_level').notNull().default(0),
    attributes: jsonb('attributes')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    /** Set when this contact was merged into another; lookups follow it. */
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => contacts.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('contacts_exchange_uid_key')
      .on(t.exchangeUid)
      .where(sql`${t.exchangeUid} is not null and ${t.mergedIntoId} is null`),
    index('contacts_email_idx').on(t.email),
    index('contacts_telegram_idx').on(t.telegramId),
  ],
);
