import type { Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { ALLOWED_TYPE_LABELS, sanitizeAttachmentName, sniffAllowedType } from './file-types.ts';
import { type AttachmentRef, toAttachmentRef } from './queries.ts';
import { attachments } from './schema.ts';
import { discardReceived, keepReceived, receiveFile, removeStored } from './storage.ts';

/** Who uploaded a file: only they may attach it to a message. */
export type Uploader = { type: 'contact' | 'agent'; id: string };

export type UploadInput = {
  uploader: Uploader;
  /** Set for an agent's upload: the file may then only be sent in this conversation. */
  conversationId: string | null;
  /** The client's file name: shown (sanitized), never used to store or to decide the type. */
  filename: string;
  content: AsyncIterable<Uint8Array>;
};

export function maxUploadBytes(config: Deps['config']): number {
  return config.uploadMaxMb * 1024 * 1024;
}

/**
 * Stores an uploaded file not yet attached to a message. The size limit is enforced while
 * reading; the type is sniffed from the bytes (PNG, JPEG, GIF, WEBP, PDF).
 */
export async function uploadAttachment(
  deps: Pick<Deps, 'db' | 'config' | 'logger'>,
  input: UploadInput,
): Promise<AttachmentRef> {
  const { uploadDir } = deps.config;
  const received = await receiveFile(uploadDir, input.content, maxUploadBytes(deps.config));
  let storageKey: string | null = null;
  try {
    if (received.tooLarge)
      throw new AppError('attachment.too_large', { vars: { limit: deps.config.uploadMaxMb } });
    const type = await sniffAllowedType(received.head);
    if (!type)
      throw new AppError('attachment.type_not_allowed', { vars: { types: ALLOWED_TYPE_LABELS } });
    storageKey = await keepReceived(uploadDir, received);
    const [row] = await deps.db
      .insert(attachments)
      .values({
        conversationId: input.conversationId,
        uploaderType: input.uploader.type,
        uploaderId: input.uploader.id,
        name: sanitizeAttachmentName(input.filename, type),
        contentType: type,
        size: received.size,
        sha256: received.sha256,
        storageKey,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    deps.logger.info(
      { attachmentId: row.id, uploaderType: row.uploaderType, size: row.size, type },
      'attachment uploaded',
    );
    return toAttachmentRef(row);
  } catch (error) {
    await discardReceived(received);
    if (storageKey) await removeStored(uploadDir, storageKey).catch(() => {});
    throw error;
  }
}
