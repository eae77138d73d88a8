import type { ErrorCode, TLocale } from '@kefu/shared';
import { pickLocale, translate } from '@kefu/shared/i18n';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, assertUnreachable } from '../lib/app-error.ts';
import { isDatabaseConflict, isDatabaseUnavailable } from '../lib/database-unavailable.ts';

export function statusOf(code: ErrorCode): number {
  switch (code) {
    case 'request.invalid':
    case 'request.malformed_json':
    case 'team.invalid_hours':
    case 'article.import_invalid':
    case 'official_channel.invalid_value':
    case 'transcript.email_required':
    case 'prechat.incomplete':
    case 'prechat.email_invalid':
    case 'prechat.topic_unknown':
    case 'auth.password_too_weak':
    case 'channel.telegram_token_rejected':
    case 'channel.telegram_other_bot':
    case 'email.dkim_key_invalid':
    case 'email.password_required':
      return 400;
    case 'auth.unauthenticated':
    case 'customer.unauthenticated':
    case 'widget.identity_invalid':
    case 'auth.invalid_credentials':
    case 'auth.totp_required':
    case 'auth.totp_invalid':
    case 'ticket.code_invalid':
    case 'channel.token_invalid':
    case 'channel.telegram_secret_invalid':
      return 401;
    case 'auth.forbidden':
    case 'auth.account_disabled':
    case 'auth.two_factor_enrollment_required':
    case 'widget.origin_not_allowed':
      return 403;
    case 'request.not_found':
    case 'auth.session_not_found':
    case 'agent.not_found':
    case 'team.not_found':
    case 'contact.not_found':
    case 'sla.not_found':
    case 'article.not_found':
    case 'assistant.intent_not_found':
    case 'conversation.not_found':
    case 'inbox.not_found':
    case 'widget.unknown_site':
    case 'attachment.not_found':
    case 'webhook.not_found':
    case 'official_channel.not_found':
    case 'canned.not_found':
    case 'announcement.not_found':
      return 404;
    case 'auth.totp_not_enrolled':
    case 'auth.totp_already_enrolled':
    case 'auth.totp_setup_missing':
    case 'agent.email_taken':
    case 'agent.cannot_change_self':
    case 'team.name_taken':
    case 'article.slug_taken':
    case 'assistant.intent_taken':
    case 'assistant.intent_reserved':
    case 'contact.merge_invalid':
    case 'conversation.merge_invalid':
    case 'conversation.closed':
    case 'csat.not_requested':
    case 'csat.already_submitted':
    case 'official_channel.duplicate':
    case 'canned.shortcut_taken':
    case 'email.address_taken':
    case 'announcement.resolved':
      return 409;
    case 'request.too_large':
    case 'attachment.too_large':
      return 413;
    case 'request.unsupported_media_type':
    case 'attachment.type_not_allowed':
      return 415;
    case 'auth.account_locked':
      return 423;
    case 'request.rate_limited':
      return 429;
    case 'internal':
      return 500;
    case 'service.unavailable':
    case 'service.busy':
      return 503;
    default:
      return assertUnreachable(code);
  }
}

export function localeOf(request: FastifyRequest): TLocale {
  return pickLocale(request.headers['accept-language']);
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  vars: Record<string, string | number> = {},
  details?: unknown,
) {
  return reply.status(statusOf(code)).send({
    error: {
      code,
      message: translate(localeOf(request), `errors.${code}`, { requestId: request.id, ...vars }),
      ...(details !== undefined ? { details } : {}),
      requestId: request.id,
    },
  });
}

type Issue = { field: string; message: string };

function fieldPath(
  context: string | undefined,
  instancePath: string | undefined,
  issuePath: unknown,
): string {
  const fromIssue =
    Array.isArray(issuePath) && issuePath.length > 0 ? issuePath.join('.') : undefined;
  const fromInstance = instancePath
    ? instancePath.replace(/^\//, '').replaceAll('/', '.')
    : undefined;
  const name = fromIssue ?? fromInstance ?? '';
  const where =
    context === 'querystring'
      ? 'query'
      : context === 'params'
        ? 'path'
        : context === 'headers'
          ? 'header'
          : 'body';
  return name ? name : where;
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    if (statusOf(error.code) >= 500) request.log.error({ err: error.cause ?? error }, error.code);
    return sendError(request, reply, error.code, error.vars, error.details);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues: Issue[] = error.validation.map((v) => {
      const issue = (v.params as { issue?: { path?: unknown; code?: string; keys?: string[] } })
        .issue;
      const unknownKeys =
        issue?.code === 'unrecognized_keys' && issue.keys ? ` (${issue.keys.join(', ')})` : '';
      return {
        field: fieldPath(error.validationContext, v.instancePath, issue?.path),
        message: `${v.message}${unknownKeys}`,
      };
    });
    const fields = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    return sendError(request, reply, 'request.invalid', { fields }, { issues });
  }
  const status = error.statusCode ?? 500;
  if (status === 429) return sendError(request, reply, 'request.rate_limited', { seconds: 60 });
  if (status === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return sendError(request, reply, 'request.too_large');
  if (status === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return sendError(request, reply, 'request.unsupported_media_type');
  if (
    error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    (status === 400 && error instanceof SyntaxError)
  )
    return sendError(request, reply, 'request.malformed_json');
  if (status >= 400 && status < 500) {
    return sendError(request, reply, status === 404 ? 'request.not_found' : 'request.invalid', {
      fields: error.message,
    });
  }
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, 'database unavailable');
    return sendError(request, reply, 'service.unavailable');
  }
  if (isDatabaseConflict(error)) {
    request.log.warn({ err: error }, 'database conflict; nothing saved');
    return sendError(request, reply, 'service.busy');
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendError(request, reply, 'internal');
}
