import {
  ZCustomerWidgetConfig,
  ZIdentitySecret,
  ZIdParams,
  ZLeaveEmail,
  ZLocale,
  ZPreChatSubmit,
  ZUpdateWidgetInbox,
  ZWidgetInbox,
  ZWidgetInboxList,
} from '@kefu/shared';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { getContactRow } from '../../contacts/contacts.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth-guard.ts';
import { localeOf } from '../../http/error-handler.ts';
import { type App, errorResponses, perCustomerLimit } from '../../http/types.ts';
import { findInboxByPublicToken, getInboxRow } from '../../inboxes/inboxes.ts';
import { AppError } from '../../lib/app-error.ts';
import { verifyCustomerToken } from '../../realtime/customer-token.ts';
import {
  findWidgetInboxes,
  leaveEmail,
  preChatNeeds,
  regenerateIdentitySecret,
  submitPreChat,
  updateWidgetInbox,
  widgetConfigOf,
} from './widget-settings.ts';

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** Widget inboxes' settings (admin), the pre-chat form (customer) and the preview page. */
export function widgetSettingsRoutes(app: App, deps: Deps) {
  const tags = ['widget-settings'];
  const admins = { access: ['admin'] as const };
  const customerClaims = async (request: FastifyRequest) => {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token) throw new AppError('customer.unauthenticated');
    const claims = await verifyCustomerToken(deps.config.secretKey, token, deps.clock.now());
    // A ticket-lookup token is for that ticket's page only.
    if (claims.conversationId) throw new AppError('customer.unauthenticated');
    return claims;
  };

  app.get(
    '/api/v1/widget-inboxes',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Website widgets and their settings (admin)',
        response: { 200: ZWidgetInboxList, ...errorResponses },
      },
    },
    async () => ({ inboxes: await findWidgetInboxes(deps) }),
  );
  app.patch(
    '/api/v1/widget-inboxes/:id',
    {
      config: admins,
      schema: {
        tags,
        summary: "Change a widget's name, allowed sites, colour, greeting or pre-chat form (admin)",
        params: ZIdParams,
        body: ZUpdateWidgetInbox,
        response: { 200: ZWidgetInbox, ...errorResponses },
      },
    },
    async (request) => updateWidgetInbox(deps, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/v1/widget-inboxes/:id/identity-secret',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Generate a new identity-verification secret (admin)',
        description:
          "The exchange's server signs customer UIDs with it (HMAC-SHA256). Shown in this answer only; the previous secret stops working at once.",
        params: ZIdParams,
        response: { 200: ZIdentitySecret, ...errorResponses },
      },
    },
    async (request) => regenerateIdentitySecret(deps, actorOf(request), request.params.id),
  );

  app.get(
    '/api/v1/customer/widget-config',
    {
      config: {
        access: 'public',
        rateLimit: { max: deps.config.rateLimitPublic, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['customer'],
        summary:
          "The widget's colour, greeting and pre-chat form for this customer (customer token)",
        security: [{ customer: [] }],
        response: { 200: ZCustomerWidgetConfig, ...errorResponses },
      },
    },
    async (request) => {
      const claims = await customerClaims(request);
      const inbox = await getInboxRow(deps.db, claims.inboxId);
      const config = widgetConfigOf(inbox);
      const contact = await getContactRow(deps.db, claims.contactId);
      return {
        config,
        preChat: preChatNeeds(config.preChat, contact),
        hasEmail: Boolean(contact.email),
      };
    },
  );

  app.post(
    '/api/v1/customer/email',
    {
      config: { access: 'public', rateLimit: perCustomerLimit(10) },
      schema: {
        tags: ['customer'],
        summary: 'Leave an email for replies while away (customer token)',
        description:
          "Kept on the customer's profile when it has none: an agent's reply that reaches no open chat is then also emailed (through an email channel), and the customer's answer by email comes back into the same conversation.",
        security: [{ customer: [] }],
        body: ZLeaveEmail,
        response: {
          200: z.object({ ok: z.literal(true), email: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const claims = await customerClaims(request);
      return { ok: true as const, ...(await leaveEmail(deps, claims, request.body.email)) };
    },
  );

  app.post(
    '/api/v1/customer/pre-chat',
    {
      config: {
        access: 'public',
        rateLimit: { max: deps.config.rateLimitPublic, timeWindow: '1 minute' },
      },
      schema: {
        tags: ['customer'],
        summary: "The pre-chat form's answers (customer token)",
        description:
          "Checked against the widget's form; messages in the request language. Name and email are kept on the customer's profile (only what it lacks); send the returned topic with the first message.",
        security: [{ customer: [] }],
        body: ZPreChatSubmit,
        response: {
          200: z.object({ ok: z.literal(true), topic: z.string().nullable() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const claims = await customerClaims(request);
      const result = await submitPreChat(deps, claims, request.body, localeOf(request));
      return { ok: true as const, topic: result.topic };
    },
  );

  // The real widget on a page of Kefu's own, for the console's live preview.
  app.get(
    '/widget-preview',
    {
      config: { access: 'public' },
      schema: {
        hide: true,
        querystring: z.object({
          siteToken: z.string().min(8).max(200),
          locale: ZLocale.optional(),
        }),
      },
    },
    async (request, reply) => {
      const inbox = await findInboxByPublicToken(deps.db, request.query.siteToken);
      if (inbox?.channel !== 'widget') throw new AppError('widget.unknown_site');
      const locale = request.query.locale ?? 'en';
      const token = escapeHtml(inbox.publicToken);
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header(
          'content-security-policy',
          "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors 'self'",
        )
        .send(`<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(inbox.name)}</title>
<style>body{margin:0;font-family:system-ui,sans-serif;background:#f3f5f9;color:#56657a;min-height:100vh}p{padding:16px;margin:0;font-size:13px}</style>
<script src="/widget.js" data-site-token="${token}" data-locale="${locale}" data-open="true" async></script>
</head>
<body><p>${escapeHtml(inbox.name)}</p></body>
</html>`);
    },
  );
}
