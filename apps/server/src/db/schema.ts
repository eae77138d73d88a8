/** Every domain's tables, for Drizzle and drizzle-kit. Domains own their schema files. */
export * from '../assistant/schema.ts';
export * from '../attachments/schema.ts';
export * from '../audit/schema.ts';
export * from '../auth/schema.ts';
export * from '../canned/schema.ts';
export * from '../contacts/schema.ts';
export * from '../conversations/schema.ts';
export * from '../csat/schema.ts';
export * from '../inboxes/schema.ts';
export * from '../jobs/schema.ts';
export * from '../knowledge/schema.ts';
export * from '../safety/schema.ts';
export * from '../settings/schema.ts';
export * from '../sla/schema.ts';
export * from '../teams/schema.ts';
export * from '../tickets/schema.ts';
export * from '../webhooks/schema.ts';
