import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** The exchange's official channels: what the Verify check answers from. */
export const officialChannels = pgTable(
  'official_channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['domain', 'email', 'telegram', 'x', 'phone'] }).notNull(),
    /** Normalized: registrable domain, lower-case email, handle without @, E.164-like digits. */
    value: text('value').notNull(),
    label: text('label').notNull().default(''),
    notes: text('notes').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('official_channels_kind_value_key').on(t.kind, t.value),
    index('official_channels_kind_idx').on(t.kind),
  ],
);
