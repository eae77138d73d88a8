import type { ErrorCode } from '@kefu/shared';

export type AppErrorOptions = {
  /** Values for the {{placeholders}} of the code's i18n message. */
  vars?: Record<string, string | number>;
  details?: unknown;
  /** For logs only; never sent to the client. */
  cause?: unknown;
};

/** A failure a caller can act on. The HTTP layer maps `code` to a status and a localized message. */
export class AppError extends Error {
  readonly vars: Record<string, string | number>;
  readonly details: unknown;
  constructor(
    readonly code: ErrorCode,
    options: AppErrorOptions = {},
  ) {
    super(code, { cause: options.cause });
    this.name = 'AppError';
    this.vars = options.vars ?? {};
    this.details = options.details;
  }
}

export function assertUnreachable(value: never): never {
  throw new Error(`Unhandled case: ${String(value)}`);
}

/**
 * For `.catch(orNullIfAppError)` on a `get*` that throws when a row is missing: a known failure
 * (not found…) becomes null, anything else (the database is down) still propagates, so a
 * restart of the database is answered 503 and never "does not exist".
 */
export function orNullIfAppError(error: unknown): null {
  if (error instanceof AppError) return null;
  throw error;
}
