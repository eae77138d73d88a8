import { sql } from 'drizzle-orm';
import {
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { agents } from '../auth/schema.ts';
import type { BusinessCalendar } from '../sla/business-hours.ts';

export const teams = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    languages: jsonb('languages').$type<string[]>().notNull().default(sql`'["en"]'::jsonb`),
    tier: text('tier', { enum: ['L1', 'L2'] })
      .notNull()
      .default('L1'),
    timezone: text('timezone').notNull().default('UTC'),
    /** Weekly hours and holidays in `timezone`; null = always open. */
    businessHours: jsonb('business_hours').$type<Omit<BusinessCalendar, 'timezone'> | null>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('teams_name_key').on(t.name)],
);

export const teamMembers = pgTable(
  'team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    agentId: uuid('agent_id')
      .notNull()
      .references(() => agents.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.agentId] })],
);
