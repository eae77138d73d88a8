import {
  ZCustomerConversation,
  ZCustomerSend,
  ZEmailTranscriptRequest,
  ZEmailTranscriptResult,
  ZIdParams,
  ZMessageList,
  ZMessageListQuery,
  ZSendAck,
  ZWidgetSession,
  ZWidgetSessionRequest,
} from '@kefu/shared';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { emailTranscript } from '../../conversations/email-transcript.ts';
import {
  findContactConversations,
  findMessages,
  getConversationRow,
  toCustomerConversation,
} from '../../conversations/queries.ts';
import type { Deps } from '../../deps.ts';
import { type App, errorResponses, perCustomerLimit } from '../../http/types.ts';
import { AppError, orNullIfAppError } from '../../lib/app-error.ts';
import { admitNewConversationFrom } from '../../lib/ip-throttle.ts';
import { acceptInbound } from '../../pipeline/accept-inbound.ts';
import { type CustomerClaims, verifyCustomerToken } from '../../realtime/customer-token.ts';
import { startWidgetSession } from './start-session.ts';
import { preChatFields } from './widget-settings.ts';

async function customerOf(deps: Deps, request: FastifyRequest): Promise<CustomerClaims> {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  if (!token) throw new AppError('customer.unauthenticated');
  return verifyCustomerToken(deps.config.secretKey, token, deps.clock.now());
}

/** The customer's own conversation, or 404: another customer's ticket does not exist for them. */
async function ownConversation(deps: Deps, claims: CustomerClaims, id: string) {
  const row = await getConversationRow(deps.db, id).catch(orNullIfAppError);
  if (!row || row.contactId !== claims.contactId) throw new AppError('conversation.not_found');
  // A ticket-lookup token opens that one ticket only.
  if (claims.conversationId && claims.conversationId !== row.id)
    throw new AppError('conversation.not_found');
  return row;
}

export function widgetRoutes(app: App, deps: Deps) {
  const tags = ['customer'];
  const publicLimit = { max: deps.config.rateLimitPublic, timeWindow: '1 minute' };
  app.post(
    '/api/v1/widget/session',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags,
        summary: 'Open a customer chat session (anonymous, or identified by a signed exchange UID)',
        description:
          "identity.signature is HMAC-SHA256(inbox identity secret, exchangeUid) in hex, computed by the exchange's server. Returns a customer token for the /customer socket namespace and the customer endpoints (Authorization: Bearer).",
        security: [],
        body: ZWidgetSessionRequest,
        response: { 201: ZWidgetSession, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await startWidgetSession(deps, {
        siteToken: request.body.siteToken,
        origin: request.headers.origin ?? null,
        requestOrigin: request.headers.host
          ? `${request.protocol}://${request.headers.host}`
          : null,
        ...(request.body.contactToken ? { contactToken: request.body.contactToken } : {}),
        ...(request.body.identity ? { identity: request.body.identity } : {}),
        ...(request.body.locale ? { locale: request.body.locale } : {}),
      });
      return reply.status(201).send(session);
    },
  );

  app.get(
    '/api/v1/customer/conversations',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags,
        summary: "The customer's own conversations (customer token)",
        security: [{ customer: [] }],
        response: {
          200: z.object({ conversations: z.array(ZCustomerConversation) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const claims = await customerOf(deps, request);
      const rows = (await findContactConversations(deps.db, claims.contactId)).filter(
        (r) => !claims.conversationId || r.id === claims.conversationId,
      );
      return {
        conversations: await Promise.all(rows.map((r) => toCustomerConversation(deps.db, r))),
      };
    },
  );

  app.post(
    '/api/v1/customer/conversations/:id/transcript',
    {
      config: { access: 'public', rateLimit: perCustomerLimit(5) },
      schema: {
        tags,
        summary: 'Email me this conversation (customer token)',
        description:
          "Sends the conversation's public messages to the customer's email, in their language. A customer without an email gives one (`email`), which is kept on their profile; otherwise 400 transcript.email_required.",
        security: [{ customer: [] }],
        params: ZIdParams,
        body: ZEmailTranscriptRequest,
        response: { 202: ZEmailTranscriptResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      const claims = await customerOf(deps, request);
      const row = await ownConversation(deps, claims, request.params.id);
      const sent = await emailTranscript(
        deps,
        { type: 'contact', id: claims.contactId, ip: request.ip },
        row.id,
        request.body,
      );
      return reply.status(202).send({ ok: true as const, email: sent.email });
    },
  );

  app.get(
    '/api/v1/customer/conversations/:id/messages',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags,
        summary: 'Messages of my conversation after a seq (notes are never included)',
        security: [{ customer: [] }],
        params: ZIdParams,
        querystring: ZMessageListQuery,
        response: { 200: ZMessageList, ...errorResponses },
      },
    },
    async (request) => {
      const claims = await customerOf(deps, request);
      const row = await ownConversation(deps, claims, request.params.id);
      return {
        messages: await findMessages(deps.db, row.id, { ...request.query, includePrivate: false }),
      };
    },
  );

  app.post(
    '/api/v1/customer/messages',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags,
        summary: 'Send a message as the customer (the socket event message:send does the same)',
        description:
          'Answers once the message is committed (201; 200 for a retry with the same clientMessageId).',
        security: [{ customer: [] }],
        body: ZCustomerSend,
        response: { 201: ZSendAck, 200: ZSendAck, ...errorResponses },
      },
    },
    async (request, reply) => {
      const claims = await customerOf(deps, request);
      if (request.body.conversationId)
        await ownConversation(deps, claims, request.body.conversationId);
      else if (claims.conversationId) throw new AppError('conversation.not_found');
      const fields = request.body.conversationId
        ? undefined
        : await preChatFields(deps, claims.inboxId, request.body.topic);
      const result = await acceptInbound(deps, {
        ...(fields ? { fields } : {}),
        channel: 'widget',
        inboxId: claims.inboxId,
        idempotencyKey: `${claims.contactId}:${request.body.clientMessageId}`,
        contactId: claims.contactId,
        ...(request.body.conversationId ? { conversationId: request.body.conversationId } : {}),
        text: request.body.text,
        locale: request.body.locale ?? null,
        attachmentIds: request.body.attachmentIds,
        clientMessageId: request.body.clientMessageId,
        admitNewConversation: admitNewConversationFrom(deps.newConversationThrottle, request.ip),
      });
      return reply.status(result.duplicate ? 200 : 201).send({
        ok: true as const,
        message: result.message,
        conversationNumber: result.conversation.number,
        duplicate: result.duplicate,
        redactions: result.redactions,
        warning: result.warning,
      });
    },
  );
}
