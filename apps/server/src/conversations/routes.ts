import {
  ZAgentSendMessage,
  ZAssign,
  ZConversation,
  ZConversationCounts,
  ZConversationFilters,
  ZConversationList,
  ZConversationListQuery,
  ZEmailTranscriptRequest,
  ZEmailTranscriptResult,
  ZEscalate,
  ZIdParams,
  ZMergeConversation,
  ZMessage,
  ZMessageList,
  ZMessageListQuery,
  ZSetStatus,
  ZTransfer,
  ZUpdateConversation,
} from '@kefu/shared';
import { z } from 'zod';
import { getCopilot } from '../assistant/copilot.ts';
import type { Deps } from '../deps.ts';
import { actorOf, agentOf } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import { sendAgentMessage } from '../pipeline/send-outbound.ts';
import { emailTranscript } from './email-transcript.ts';
import {
  assignConversation,
  escalateConversation,
  mergeConversations,
  setConversationStatus,
  transferConversation,
  updateConversationFields,
} from './lifecycle.ts';
import {
  countConversationsForAgent,
  findConversationsForAgent,
  findMessages,
  getVisibleConversation,
  toConversation,
} from './queries.ts';

export function conversationRoutes(app: App, deps: Deps) {
  const tags = ['conversations'];
  app.get(
    '/api/v1/conversations',
    {
      schema: {
        tags,
        summary: 'Conversations (tickets) I may see, newest activity first',
        querystring: ZConversationListQuery,
        response: { 200: ZConversationList, ...errorResponses },
      },
    },
    async (request) => ({
      conversations: await findConversationsForAgent(
        deps.db,
        agentOf(request).agent,
        request.query,
        deps.clock.now(),
      ),
    }),
  );
  app.get(
    '/api/v1/conversations/counts',
    {
      schema: {
        tags,
        summary: 'How many conversations each inbox view holds, with the same filters as the list',
        querystring: ZConversationFilters,
        response: { 200: ZConversationCounts, ...errorResponses },
      },
    },
    async (request) =>
      countConversationsForAgent(deps.db, agentOf(request).agent, request.query, deps.clock.now()),
  );
  app.get(
    '/api/v1/conversations/:id',
    {
      schema: {
        tags,
        summary: 'One conversation',
        params: ZIdParams,
        response: { 200: ZConversation, ...errorResponses },
      },
    },
    async (request) =>
      toConversation(
        await getVisibleConversation(deps.db, agentOf(request).agent, request.params.id),
      ),
  );
  app.get(
    '/api/v1/conversations/:id/messages',
    {
      schema: {
        tags,
        summary: 'Messages, notes and events after a seq (resync)',
        params: ZIdParams,
        querystring: ZMessageListQuery,
        response: { 200: ZMessageList, ...errorResponses },
      },
    },
    async (request) => {
      const conversation = await getVisibleConversation(
        deps.db,
        agentOf(request).agent,
        request.params.id,
      );
      return {
        messages: await findMessages(deps.db, conversation.id, {
          ...request.query,
          includePrivate: true,
        }),
      };
    },
  );
  app.post(
    '/api/v1/conversations/:id/messages',
    {
      schema: {
        tags,
        summary: 'Reply to the customer, or add a private note (private: true)',
        description:
          'Answers 201 once the message and its outbox entry are committed; delivery follows. Same clientMessageId twice stores one message.',
        params: ZIdParams,
        body: ZAgentSendMessage,
        response: { 201: ZMessage, 200: ZMessage, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await sendAgentMessage(
        deps,
        agentOf(request).agent,
        request.params.id,
        request.body,
      );
      return reply.status(result.duplicate ? 200 : 201).send(result.message);
    },
  );
  app.get(
    '/api/v1/conversations/:id/copilot',
    {
      schema: {
        tags,
        summary:
          "The assistant's help for the agent: suggested reply, relevant articles, summary, collected fields",
        params: ZIdParams,
        response: {
          200: z.object({
            intent: z.string().nullable(),
            confidence: z.number().nullable(),
            suggestedReply: z.string().nullable(),
            articles: z.array(
              z.object({
                id: z.string(),
                slug: z.string(),
                title: z.string(),
                locale: z.string(),
                url: z.string(),
              }),
            ),
            summary: z.array(z.string()),
            fields: z.record(z.string(), z.unknown()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => getCopilot(deps, agentOf(request).agent, request.params.id),
  );
  app.post(
    '/api/v1/conversations/:id/transcript',
    {
      schema: {
        tags,
        summary: "Email the conversation's public messages to its customer",
        description:
          "Notes are never included and masked secrets stay masked; in the customer's language, through the mail queue. Sent to the customer's email; `email` is used only when the customer has none (400 transcript.email_required when neither exists).",
        params: ZIdParams,
        body: ZEmailTranscriptRequest,
        response: { 202: ZEmailTranscriptResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      await getVisibleConversation(deps.db, agentOf(request).agent, request.params.id);
      const sent = await emailTranscript(deps, actorOf(request), request.params.id, request.body);
      return reply.status(202).send({ ok: true as const, email: sent.email });
    },
  );
  app.post(
    '/api/v1/conversations/:id/assign',
    {
      schema: {
        tags,
        summary: 'Assign to an agent (or null: back to the queue)',
        params: ZIdParams,
        body: ZAssign,
        response: { 200: ZConversation, ...errorResponses },
      },
    },
    async (request) =>
      assignConversation(
        deps,
        agentOf(request).agent,
        actorOf(request),
        request.params.id,
        request.body.agentId,
      ),
  );
  app.post(
    '/api/v1/conversations/:id/status',
    {
      schema: {
        tags,
        summary: 'Open, pending, snooze, resolve or close',
        params: ZIdParams,
        body: ZSetStatus,
        response: { 200: ZConversation, ...errorResponses },
      },
    },
    async (request) =>
      setConversationStatus(
        deps,
        agentOf(request).agent,
        actorOf(request),
        request.params.id,
        request.body.status,
        request.body.snoozedUntil,
      ),
  );
  app.post(
    '/api/v1/conversations/:id/transfer',
    {
      schema: {
        tags,
        summary: 'Transfer to a team or an agent',
        params: ZIdParams,
        body: ZTransfer,
        response: { 200: ZConversation, ...errorResponses },
      },
    },
    async (request) =>
      transferConversation(
        deps,
        agentOf(request).agent,
        actorOf(request),
        request.params.id,
        request.body,
      ),
  );
  app.post(
    '/api/v1/conversations/:id/escalate',
    {
      schema: {
        tags,
        summary: 'Escalate to second-tier (L2) support with a reason',
        params: ZIdParams,
        body: ZEscalate,
        response: { 200: ZConversation, ...errorResponses },
      },
    },
    async (request) =>
      escalateConversation(
        deps,
        agentOf(request).agent,
        actorOf(request),
        request.params.id,
        request.body,
      ),
  );
  app.patch(
    '/api/v1/conversations/:id',
    {
      schema: {
        tags,
        summary: 'Priority, labels, intent',
        params: ZIdParams,
        body: ZUpdateConversation,
        response: { 200: ZConversation, ...errorResponses },
      },
    },
    async (request) =>
      updateConversationFields(
        deps,
        agentOf(request).agent,
        actorOf(request),
        request.params.id,
        request.body,
      ),
  );
  app.post(
    '/api/v1/conversations/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge this conversation into another of the same customer',
        params: ZIdParams,
        body: ZMergeConversation,
        response: { 200: ZConversation, ...errorResponses },
      },
    },
    async (request) =>
      mergeConversations(
        deps,
        agentOf(request).agent,
        actorOf(request),
        request.params.id,
        request.body.intoId,
      ),
  );
}
