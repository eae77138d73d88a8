import {
  ZApiAccepted,
  ZApiChannelCreated,
  ZApiChannelList,
  ZApiContact,
  ZApiContactInput,
  ZApiCreateConversation,
  ZApiSendMessage,
  ZCreateApiChannel,
  ZIdParams,
  ZMessageList,
  ZMessageListQuery,
} from '@kefu/shared';
import type { FastifyRequest } from 'fastify';
import { type ContactRow, findOrCreateContact } from '../../contacts/contacts.ts';
import { findMessages, getConversationRow } from '../../conversations/queries.ts';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth-guard.ts';
import { type App, errorResponses } from '../../http/types.ts';
import { findInboxes, type InboxRow, inboxStatusOf } from '../../inboxes/inboxes.ts';
import { AppError, orNullIfAppError } from '../../lib/app-error.ts';
import { acceptInbound, type InboundResult } from '../../pipeline/accept-inbound.ts';
import { apiInboxOf, apiSettingsOf, createApiInbox } from './create-api-inbox.ts';

const toApiContact = (row: ContactRow) => ({
  id: row.id,
  identifier: row.exchangeUid ?? '',
  name: row.name,
  email: row.email,
  locale: row.locale,
});

const toAccepted = (result: InboundResult) => ({
  conversation: {
    id: result.conversation.id,
    number: result.conversation.number,
    status: result.conversation.status,
  },
  message: result.message,
});

/** A conversation of this inbox, or 404: another inbox's conversations do not exist for it. */
async function ownConversation(deps: Deps, inbox: InboxRow, id: string) {
  const row = await getConversationRow(deps.db, id).catch(orNullIfAppError);
  if (row?.inboxId !== inbox.id) throw new AppError('conversation.not_found');
  return row;
}

/**
 * The identifier is the app's user id, stored as the contact's exchange UID: an API inbox's
 * token is a server-side secret an admin hands to the exchange's own backend, so what it says
 * about who the user is, is trusted like a signed widget identity.
 */
function contactFor(
  deps: Deps,
  identity: {
    identifier: string;
    name?: string | undefined;
    email?: string | undefined;
    locale?: string | undefined;
  },
) {
  return findOrCreateContact(deps.db, {
    exchangeUid: identity.identifier,
    name: identity.name ?? null,
    email: identity.email ?? null,
    locale: identity.locale ?? null,
  });
}

export function apiChannelRoutes(app: App, deps: Deps) {
  const tags = ['api channel'];
  const security = [{ inboxToken: [] }];
  const limit = { max: Math.max(deps.config.rateLimitPublic * 10, 600), timeWindow: '1 minute' };
  const inboxOf = (request: FastifyRequest) => apiInboxOf(deps, request);

  app.post(
    '/api/v1/channels/api',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: 'Create an API inbox (admin)',
        description:
          'Returns the inbox token (Authorization: Bearer for the endpoints below) and the webhook signing secret, both shown this once. Outbound messages are POSTed to webhookUrl with X-Kefu-Signature: sha256=HMAC(secret, `<X-Kefu-Timestamp>.<body>`).',
        body: ZCreateApiChannel,
        response: { 201: ZApiChannelCreated, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createApiInbox(deps, actorOf(request), request.body)),
  );

  app.get(
    '/api/v1/channels/api',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: 'API inboxes (admin)',
        description:
          'Their webhook URL and last delivery; the inbox token and webhook secret were shown once, at creation.',
        response: { 200: ZApiChannelList, ...errorResponses },
      },
    },
    async () => ({
      channels: (await findInboxes(deps))
        .filter((row) => row.channel === 'api')
        .map((row) => ({
          inboxId: row.id,
          name: row.name,
          webhookUrl: apiSettingsOf(row).webhookUrl,
          status: inboxStatusOf(row, 'status'),
        })),
    }),
  );

  app.post(
    '/api/v1/channels/api/contacts',
    {
      config: { access: 'public', rateLimit: limit },
      preValidation: async (request) => {
        await inboxOf(request);
      },
      schema: {
        tags,
        summary: 'Find or create a contact by your user id (inbox token)',
        description:
          'Idempotent on identifier, which is stored as the contact’s exchange UID (the API inbox is trusted like the exchange’s own backend).',
        security,
        body: ZApiContactInput,
        response: { 200: ZApiContact, ...errorResponses },
      },
    },
    async (request) => toApiContact(await contactFor(deps, request.body)),
  );

  app.post(
    '/api/v1/channels/api/conversations',
    {
      config: { access: 'public', rateLimit: limit },
      preValidation: async (request) => {
        await inboxOf(request);
      },
      schema: {
        tags,
        summary: 'Start a conversation with its first message (inbox token)',
        description:
          'Answers once the message is committed: 201, or 200 with the same message for a repeated idempotencyKey.',
        security,
        body: ZApiCreateConversation,
        response: { 201: ZApiAccepted, 200: ZApiAccepted, ...errorResponses },
      },
    },
    async (request, reply) => {
      const inbox = await inboxOf(request);
      const contact = await contactFor(deps, { identifier: request.body.contactIdentifier });
      const result = await acceptInbound(deps, {
        channel: 'api',
        inboxId: inbox.id,
        idempotencyKey: `api:${request.body.idempotencyKey}`,
        contactId: contact.id,
        text: request.body.text,
        locale: contact.locale,
        meta: { api: { idempotencyKey: request.body.idempotencyKey } },
      });
      return reply.status(result.duplicate ? 200 : 201).send(toAccepted(result));
    },
  );

  app.post(
    '/api/v1/channels/api/conversations/:id/messages',
    {
      config: { access: 'public', rateLimit: limit },
      preValidation: async (request) => {
        await inboxOf(request);
      },
      schema: {
        tags,
        summary: "Add the customer's message to a conversation (inbox token)",
        description:
          'Answers once the message is committed: 201, or 200 with the same message for a repeated idempotencyKey. A resolved conversation reopens; one resolved long ago continues in a new conversation (see conversation.id in the answer).',
        security,
        params: ZIdParams,
        body: ZApiSendMessage,
        response: { 201: ZApiAccepted, 200: ZApiAccepted, ...errorResponses },
      },
    },
    async (request, reply) => {
      const inbox = await inboxOf(request);
      const conversation = await ownConversation(deps, inbox, request.params.id);
      const result = await acceptInbound(deps, {
        channel: 'api',
        inboxId: inbox.id,
        idempotencyKey: `api:${request.body.idempotencyKey}`,
        contactId: conversation.contactId,
        conversationId: conversation.id,
        text: request.body.text,
        meta: { api: { idempotencyKey: request.body.idempotencyKey } },
      });
      return reply.status(result.duplicate ? 200 : 201).send(toAccepted(result));
    },
  );

  app.get(
    '/api/v1/channels/api/conversations/:id/messages',
    {
      config: { access: 'public', rateLimit: limit },
      preValidation: async (request) => {
        await inboxOf(request);
      },
      schema: {
        tags,
        summary: 'Messages of a conversation after a seq, oldest first (inbox token; no notes)',
        security,
        params: ZIdParams,
        querystring: ZMessageListQuery,
        response: { 200: ZMessageList, ...errorResponses },
      },
    },
    async (request) => {
      const inbox = await inboxOf(request);
      const conversation = await ownConversation(deps, inbox, request.params.id);
      return {
        messages: await findMessages(deps.db, conversation.id, {
          ...request.query,
          includePrivate: false,
        }),
      };
    },
  );
}
