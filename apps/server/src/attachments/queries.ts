import type { TMessage } from '@kefu/shared';
import { eq } from 'drizzle-orm';
import type { AgentRow } from '../auth/sessions.ts';
import { canAgentSee, getConversationRow } from '../conversations/queries.ts';
import { messages } from '../conversations/schema.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { attachments } from './schema.ts';
import { openStored } from './storage.ts';

export type AttachmentRow = typeof attachments.$inferSelect;
/** What a message carries about a file: `{ id, name, type, size }`. */
export type AttachmentRef = TMessage['attachments'][number];

export function toAttachmentRef(row: AttachmentRow): AttachmentRef {
  return { id: row.id, name: row.name, type: row.contentType, size: row.size };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isAttachmentId(id: string): boolean {
  return UUID.test(id);
}

/** The attachment and whether the message it was sent in is a private note. */
async function findAttachment(
  db: DbOrTx,
  id: string,
): Promise<{ row: AttachmentRow; inPrivateNote: boolean } | null> {
  if (!isAttachmentId(id)) return null;
  // The note flag lives on the message: a customer must never fetch a file from an agents' note.
  const [found] = await db
    .select({ row: attachments, inPrivateNote: messages.private })
    .from(attachments)
    .leftJoin(messages, eq(messages.id, attachments.messageId))
    .where(eq(attachments.id, id));
  if (!found) return null;
  return { row: found.row, inPrivateNote: found.inPrivateNote ?? false };
}

/**
 * Who may read a file: before it is sent, only its uploader; once sent, the agents who may see
 * the conversation and, unless it is in a private note, the customer who owns it. Everyone else
 * gets the same answer as for a file that does not exist.
 */
export type Reader =
  | { type: 'agent'; agent: Pick<AgentRow, 'id' | 'role'> }
  | { type: 'contact'; contactId: string };

async function mayRead(
  db: DbOrTx,
  reader: Reader,
  found: { row: AttachmentRow; inPrivateNote: boolean },
): Promise<boolean> {
  const { row } = found;
  if (!row.messageId || !row.conversationId) {
    const uploaderId = reader.type === 'agent' ? reader.agent.id : reader.contactId;
    return row.uploaderType === reader.type && row.uploaderId === uploaderId;
  }
  const conversation = await getConversationRow(db, row.conversationId);
  if (reader.type === 'agent') return canAgentSee(db, reader.agent, conversation);
  return conversation.contactId === reader.contactId && !found.inPrivateNote;
}

export type AttachmentDownload = AttachmentRef & {
  sha256: string;
  stream: NodeJS.ReadableStream;
};

/** The file for this reader, opened for streaming; `attachment.not_found` when they may not read it. */
export async function openAttachment(
  deps: Pick<Deps, 'db' | 'config' | 'logger'>,
  reader: Reader,
  id: string,
): Promise<AttachmentDownload> {
  const found = await findAttachment(deps.db, id);
  if (!found || !(await mayRead(deps.db, reader, found)))
    throw new AppError('attachment.not_found');
  try {
    const stream = await openStored(deps.config.uploadDir, found.row.storageKey);
    return { ...toAttachmentRef(found.row), sha256: found.row.sha256, stream };
  } catch (error) {
    // The row exists but its bytes do not: storage is misconfigured (another node's directory?).
    deps.logger.error({ err: error, attachmentId: id }, 'attachment file missing');
    throw new AppError('attachment.not_found', { cause: error });
  }
}
