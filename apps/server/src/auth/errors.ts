import type { ErrorCode } from '@kefu/shared';

/** The codes the auth domain throws (a subset of the shared catalog). */
export type AuthErrorCode = Extract<ErrorCode, `auth.${string}` | `agent.${string}`>;
