import { sql } from 'drizzle-orm';
import { jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { teams } from '../teams/schema.ts';

/** One configured channel instance: the website widget, a mailbox, a Telegram bot, an API source. */
export const inboxes = pgTable(
  'inboxes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel', { enum: ['widget', 'email', 'telegram', 'api'] }).notNull(),
    name: text('name').notNull(),
    /** Public identifier a site embeds (widget) or a channel's API token hash. */
    publicToken: text('public_token').notNull(),
    /** Secret the exchange's server uses to sign customer identities (HMAC-SHA256). */
    identitySecret: text('identity_secret').notNull(),
    defaultTeamId: uuid('default_team_id').references(() => teams.id, { onDelete: 'set null' }),
    settings: jsonb('settings')
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('inboxes_public_token_key').on(t.publicToken)],
);
