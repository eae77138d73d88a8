import { z } from 'zod';

/** Every error Kefu answers over HTTP has this shape. */
export const ZErrorResponse = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. auth.invalid_credentials'),
      message: z.string().describe('A sentence a person understands, in the request language'),
      details: z.unknown().optional(),
      requestId: z.string().optional(),
    }),
  })
  .meta({ id: 'ErrorResponse' });
export type TErrorResponse = z.infer<typeof ZErrorResponse>;

/**
 * Every error code Kefu answers with. The server maps each to an HTTP status with an
 * exhaustive switch; i18n has a message for each in zh-CN and en.
 */
export const ERROR_CODES = [
  'request.invalid',
  'request.malformed_json',
  'request.too_large',
  'request.unsupported_media_type',
  'request.rate_limited',
  'request.not_found',
  'auth.unauthenticated',
  'auth.invalid_credentials',
  'auth.account_locked',
  'auth.account_disabled',
  'auth.totp_required',
  'auth.totp_invalid',
  'auth.totp_not_enrolled',
  'auth.totp_already_enrolled',
  'auth.totp_setup_missing',
  'auth.two_factor_enrollment_required',
  'auth.forbidden',
  'auth.password_too_weak',
  'auth.session_not_found',
  'agent.not_found',
  'agent.email_taken',
  'agent.cannot_change_self',
  'team.not_found',
  'team.name_taken',
  'contact.not_found',
  'contact.merge_invalid',
  'conversation.not_found',
  'conversation.merge_invalid',
  'conversation.closed',
  'inbox.not_found',
  'email.address_taken',
  'email.dkim_key_invalid',
  'email.password_required',
  'widget.unknown_site',
  'widget.origin_not_allowed',
  'widget.identity_invalid',
  'customer.unauthenticated',
  'channel.token_invalid',
  'channel.telegram_secret_invalid',
  'channel.telegram_token_rejected',
  'channel.telegram_other_bot',
  'sla.not_found',
  'article.not_found',
  'assistant.intent_reserved',
  'assistant.intent_taken',
  'assistant.intent_not_found',
  'article.slug_taken',
  'article.import_invalid',
  'team.invalid_hours',
  'ticket.code_invalid',
  'csat.not_requested',
  'csat.already_submitted',
  'webhook.not_found',
  'canned.not_found',
  'canned.shortcut_taken',
  'attachment.not_found',
  'attachment.too_large',
  'attachment.type_not_allowed',
  'official_channel.not_found',
  'official_channel.duplicate',
  'official_channel.invalid_value',
  'service.unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
