import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Tx } from '../db/client.ts';
import { AppError } from '../lib/app-error.ts';
import { type AttachmentRef, isAttachmentId, toAttachmentRef } from './queries.ts';
import { attachments } from './schema.ts';
import type { Uploader } from './upload-attachment.ts';

/**
 * Attaches uploaded files to a message, inside the transaction that writes the message. Each
 * file must have been uploaded by the same sender and not be attached yet (an agent's upload only
 * in its own conversation); otherwise `attachment.not_found` and the transaction rolls back.
 * Returns the refs to store in `messages.attachments`, in the order given.
 */
export async function claimAttachments(
  tx: Tx,
  input: { ids: string[]; conversationId: string; messageId: string; uploader: Uploader },
): Promise<AttachmentRef[]> {
  const ids = [...new Set(input.ids)];
  if (ids.length === 0) return [];
  if (!ids.every(isAttachmentId)) throw new AppError('attachment.not_found');
  // One conditional update: a concurrent send of the same file waits on the row lock, then no
  // longer matches `message_id is null`.
  const rows = await tx
    .update(attachments)
    .set({ conversationId: input.conversationId, messageId: input.messageId })
    .where(
      and(
        inArray(attachments.id, ids),
        eq(attachments.uploaderType, input.uploader.type),
        eq(attachments.uploaderId, input.uploader.id),
        isNull(attachments.messageId),
        or(
          isNull(attachments.conversationId),
          eq(attachments.conversationId, input.conversationId),
        ),
      ),
    )
    .returning();
  if (rows.length !== ids.length) throw new AppError('attachment.not_found');
  const byId = new Map(rows.map((r) => [r.id, toAttachmentRef(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
