import {
  ZTicketLookupSession,
  ZTicketLookupStart,
  ZTicketLookupStarted,
  ZTicketLookupVerify,
  ZTicketNumberParams,
  ZTicketView,
} from '@kefu/shared';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { actorOf } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import { AppError } from '../lib/app-error.ts';
import {
  type CustomerClaims,
  issueCustomerToken,
  verifyCustomerToken,
} from '../realtime/customer-token.ts';
import { findTicketByNumber, getTicketView } from './find-ticket.ts';
import { LOOKUP_TOKEN_TTL_SECONDS } from './lookup-code.ts';
import { startTicketLookup } from './start-lookup.ts';
import { verifyTicketLookup } from './verify-lookup.ts';

async function customerOf(deps: Deps, request: FastifyRequest): Promise<CustomerClaims> {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  if (!token) throw new AppError('customer.unauthenticated');
  return verifyCustomerToken(deps.config.secretKey, token, deps.clock.now());
}

export function ticketRoutes(app: App, deps: Deps) {
  const tags = ['tickets'];
  const publicLimit = { max: deps.config.rateLimitPublic, timeWindow: '1 minute' };

  app.post(
    '/api/v1/tickets/lookup/start',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags,
        summary: 'Look up a ticket: mail a one-time code to its customer',
        description:
          'When the ticket exists and the email is its customer’s, a 6-digit code valid for 10 minutes is mailed in the customer’s language. The answer is always 202 {sent: true}, whether or not they matched.',
        security: [],
        body: ZTicketLookupStart,
        response: { 202: ZTicketLookupStarted, ...errorResponses },
      },
    },
    async (request, reply) => {
      await startTicketLookup(deps, actorOf(request), request.body);
      return reply.status(202).send({ sent: true as const });
    },
  );

  app.post(
    '/api/v1/tickets/lookup/verify',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags,
        summary:
          'Look up a ticket: exchange the mailed code for the ticket and a short-lived token',
        description:
          'A code works once; five wrong codes burn it. The token (Authorization: Bearer) reads this ticket with GET /api/v1/tickets/{number} and answers it with POST /api/v1/customer/messages.',
        security: [],
        body: ZTicketLookupVerify,
        response: { 200: ZTicketLookupSession, ...errorResponses },
      },
    },
    async (request) => {
      const conversation = await verifyTicketLookup(deps, actorOf(request), request.body);
      const { token, expiresAt } = await issueCustomerToken(
        deps.config.secretKey,
        {
          contactId: conversation.contactId,
          inboxId: conversation.inboxId,
          verified: false,
          conversationId: conversation.id,
        },
        deps.clock.now(),
        { ttlSeconds: LOOKUP_TOKEN_TTL_SECONDS },
      );
      return {
        token,
        expiresAt: expiresAt.toISOString(),
        ticket: await getTicketView(deps.db, conversation),
      };
    },
  );

  app.get(
    '/api/v1/tickets/:number',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags,
        summary: 'A ticket as its customer sees it (customer token)',
        security: [{ customer: [] }],
        params: ZTicketNumberParams,
        response: { 200: ZTicketView, ...errorResponses },
      },
    },
    async (request) => {
      const claims = await customerOf(deps, request);
      const found = await findTicketByNumber(deps.db, request.params.number);
      // Another customer's ticket, or one this token was not given for, does not exist for them.
      if (
        !found ||
        found.row.contactId !== claims.contactId ||
        (claims.conversationId !== undefined && !found.chain.includes(claims.conversationId))
      )
        throw new AppError('conversation.not_found');
      return getTicketView(deps.db, found.row);
    },
  );
}
