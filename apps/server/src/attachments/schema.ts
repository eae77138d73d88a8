import { bigint, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { conversations, messages } from '../conversations/schema.ts';

/** Files customers and agents attach (screenshots, PDFs). Bytes live in storage, not here. */
export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    conversationId: uuid('conversation_id').references(() => conversations.id),
    messageId: uuid('message_id').references(() => messages.id),
    uploaderType: text('uploader_type', { enum: ['contact', 'agent'] }).notNull(),
    uploaderId: text('uploader_id').notNull(),
    name: text('name').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('attachments_conversation_idx').on(t.conversationId),
    index('attachments_message_idx').on(t.messageId),
  ],
);
