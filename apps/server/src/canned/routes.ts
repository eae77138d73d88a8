import {
  ZCannedPreview,
  ZCannedResponse,
  ZCannedResponseList,
  ZCannedResponseQuery,
  ZCreateCannedResponse,
  ZIdParams,
  ZOk,
  ZPreviewCannedText,
  ZRenderCannedResponse,
  ZRenderedCannedResponse,
  ZUpdateCannedResponse,
} from '@kefu/shared';
import type { Deps } from '../deps.ts';
import { actorOf, agentOf } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import {
  createCannedResponse,
  deleteCannedResponse,
  findCannedResponses,
  getCannedResponse,
  updateCannedResponse,
} from './canned-responses.ts';
import { CANNED_VARIABLES, previewCannedText, renderCannedResponse } from './render.ts';

const VARIABLES = CANNED_VARIABLES.map((v) => `\`{{${v}}}\``).join(', ');

export function cannedRoutes(app: App, deps: Deps) {
  const tags = ['canned-responses'];
  const managers = { access: ['admin', 'supervisor'] as const };
  app.get(
    '/api/v1/canned-responses',
    {
      schema: {
        tags,
        summary: 'Canned responses, by shortcut; q finds shortcuts, titles and texts',
        querystring: ZCannedResponseQuery,
        response: { 200: ZCannedResponseList, ...errorResponses },
      },
    },
    async (request) => ({ cannedResponses: await findCannedResponses(deps, request.query) }),
  );
  app.get(
    '/api/v1/canned-responses/:id',
    {
      schema: {
        tags,
        summary: 'One canned response',
        params: ZIdParams,
        response: { 200: ZCannedResponse, ...errorResponses },
      },
    },
    async (request) => getCannedResponse(deps, request.params.id),
  );
  app.post(
    '/api/v1/canned-responses',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Create a canned response (admin, supervisor)',
        description: `Texts per locale (zh-CN, en), at least one. Variables: ${VARIABLES}. A shortcut used by another canned response is a 409.`,
        body: ZCreateCannedResponse,
        response: { 201: ZCannedResponse, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createCannedResponse(deps, actorOf(request), request.body)),
  );
  app.patch(
    '/api/v1/canned-responses/:id',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Change a canned response (admin, supervisor)',
        params: ZIdParams,
        body: ZUpdateCannedResponse,
        response: { 200: ZCannedResponse, ...errorResponses },
      },
    },
    async (request) =>
      updateCannedResponse(deps, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/v1/canned-responses/:id',
    {
      config: managers,
      schema: {
        tags,
        summary: 'Delete a canned response (admin, supervisor)',
        params: ZIdParams,
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request) => {
      await deleteCannedResponse(deps, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
  app.post(
    '/api/v1/canned-responses/:id/render',
    {
      schema: {
        tags,
        summary: 'The text for one conversation, variables filled',
        description: `Variables: ${VARIABLES}. Unknown variables stay as written; known ones without a value (a customer without a name) become empty and are listed in \`missing\`. The locale defaults to the conversation's language; when the canned response has no text in it, the other language's text is used.`,
        params: ZIdParams,
        body: ZRenderCannedResponse,
        response: { 200: ZRenderedCannedResponse, ...errorResponses },
      },
    },
    async (request) =>
      renderCannedResponse(deps, agentOf(request).agent, request.params.id, request.body),
  );
  app.post(
    '/api/v1/canned-responses/preview',
    {
      schema: {
        tags,
        summary: 'A draft text with its variables filled from a sample conversation',
        description: `Variables: ${VARIABLES}. Names that are not variables are listed in \`unknown\` and stay as written.`,
        body: ZPreviewCannedText,
        response: { 200: ZCannedPreview, ...errorResponses },
      },
    },
    async (request) => previewCannedText(agentOf(request).agent.name, request.body),
  );
}
