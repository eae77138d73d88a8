import {
  ZConversation,
  ZCsatResult,
  ZCsatSubmit,
  ZIdParams,
  ZQualityReview,
  ZQualityReviewInput,
  ZQualityReviewList,
  ZQualityReviewListQuery,
  ZReviewQueue,
  ZReviewQueueQuery,
} from '@kefu/shared';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import { actorOf, agentOf } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import { AppError } from '../lib/app-error.ts';
import { type CustomerClaims, verifyCustomerToken } from '../realtime/customer-token.ts';
import { createQualityReview, findQualityReviews } from './quality-reviews.ts';
import { completeReview, findReviewQueue } from './review-queue.ts';
import { submitCsat } from './submit-csat.ts';

async function customerOf(deps: Deps, request: FastifyRequest): Promise<CustomerClaims> {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  if (!token) throw new AppError('customer.unauthenticated');
  return verifyCustomerToken(deps.config.secretKey, token, deps.clock.now());
}

export function csatRoutes(app: App, deps: Deps) {
  const publicLimit = { max: deps.config.rateLimitPublic, timeWindow: '1 minute' };

  app.post(
    '/api/v1/customer/conversations/:id/csat',
    {
      config: { access: 'public', rateLimit: publicLimit },
      schema: {
        tags: ['customer'],
        summary: 'Rate my conversation 1–5, with an optional comment (customer token)',
        description:
          'After the csat_request message. A second rating replaces the first within 24 hours, then 409. The socket event csat:submit does the same.',
        security: [{ customer: [] }],
        params: ZIdParams,
        body: ZCsatSubmit,
        response: { 200: ZCsatResult, ...errorResponses },
      },
    },
    async (request) => {
      const claims = await customerOf(deps, request);
      return submitCsat(
        deps,
        { ...actorOf(request), type: 'contact', id: claims.contactId },
        claims,
        request.params.id,
        request.body,
      );
    },
  );

  app.get(
    '/api/v1/reviews/queue',
    {
      config: { access: ['supervisor', 'admin'] },
      schema: {
        tags: ['reviews'],
        summary: 'Conversations needing review: low ratings and complaints (supervisor, admin)',
        querystring: ZReviewQueueQuery,
        response: { 200: ZReviewQueue, ...errorResponses },
      },
    },
    async (request) => ({ conversations: await findReviewQueue(deps, request.query) }),
  );

  app.post(
    '/api/v1/reviews/:id/complete',
    {
      config: { access: ['supervisor', 'admin'] },
      schema: {
        tags: ['reviews'],
        summary: 'Mark a conversation reviewed: it leaves the review queue (supervisor, admin)',
        params: ZIdParams,
        response: { 200: ZConversation, ...errorResponses },
      },
    },
    async (request) => completeReview(deps, actorOf(request), request.params.id),
  );

  app.post(
    '/api/v1/reviews',
    {
      config: { access: ['supervisor', 'admin'] },
      schema: {
        tags: ['reviews'],
        summary:
          'Review a conversation against the quality rubric, 1–5 per criterion (supervisor, admin)',
        description:
          "The review scores the conversation's assignee; the conversation leaves the review queue.",
        body: ZQualityReviewInput,
        response: { 201: ZQualityReview, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = { ...actorOf(request), id: agentOf(request).agent.id };
      return reply.status(201).send(await createQualityReview(deps, actor, request.body));
    },
  );

  app.get(
    '/api/v1/reviews',
    {
      config: { access: ['supervisor', 'admin'] },
      schema: {
        tags: ['reviews'],
        summary: "Quality reviews, newest first: one agent's history or one conversation's",
        querystring: ZQualityReviewListQuery,
        response: { 200: ZQualityReviewList, ...errorResponses },
      },
    },
    async (request) => ({ reviews: await findQualityReviews(deps.db, request.query) }),
  );
}
