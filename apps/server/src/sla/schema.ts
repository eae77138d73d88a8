import { boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export type BreachActions = {
  /** Raise the conversation's priority one step (normal → high → urgent). */
  raisePriority: boolean;
  /** Move the conversation back to the queue of this team (null: keep). */
  reassignToTeamId: string | null;
  notifySupervisors: boolean;
};

export const slaPolicies = pgTable('sla_policies', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  /** Match conditions; null matches anything. */
  priority: text('priority', { enum: ['low', 'normal', 'high', 'urgent'] }),
  vipMin: integer('vip_min'),
  channel: text('channel'),
  businessHoursOnly: boolean('business_hours_only').notNull().default(true),
  firstResponseMinutes: integer('first_response_minutes'),
  nextResponseMinutes: integer('next_response_minutes'),
  resolutionMinutes: integer('resolution_minutes'),
  warnBeforeMinutes: integer('warn_before_minutes').notNull().default(10),
  breachActions: jsonb('breach_actions')
    .$type<BreachActions>()
    .notNull()
    .default({ raisePriority: true, reassignToTeamId: null, notifySupervisors: true }),
  position: integer('position').notNull().default(0),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
