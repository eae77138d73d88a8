import type { ErrorCode } from '@kefu/shared';

/** The codes the attachments domain throws (a subset of the shared catalog). */
export type AttachmentErrorCode = Extract<ErrorCode, `attachment.${string}`>;
