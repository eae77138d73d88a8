/** Every domain's tables, for Drizzle and drizzle-kit. Domains own their schema files. */
export * from '../audit/schema.ts';
export * from '../auth/schema.ts';
export * from '../contacts/schema.ts';
export * from '../conversations/schema.ts';
export * from '../inboxes/schema.ts';
export * from '../jobs/schema.ts';
export * from '../settings/schema.ts';
export * from '../teams/schema.ts';
