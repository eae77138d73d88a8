import {
  WEBHOOK_EVENTS,
  ZCreateWebhook,
  ZIdParams,
  ZOk,
  ZUpdateWebhook,
  ZWebhook,
  ZWebhookCreated,
  ZWebhookDelivery,
  ZWebhookDeliveryList,
  ZWebhookDeliveryQuery,
  ZWebhookList,
} from '@kefu/shared';
import type { Deps } from '../deps.ts';
import { actorOf } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import { sendWebhookPing, WEBHOOK_TIMEOUT_MS } from './deliver-webhook.ts';
import { WEBHOOK_MAX_ATTEMPTS } from './dispatch-event.ts';
import {
  createWebhook,
  deleteWebhook,
  findWebhookDeliveries,
  findWebhooks,
  updateWebhook,
} from './webhooks.ts';

/** The delivery contract, shown in the API document next to the routes that configure it. */
export const WEBHOOK_SCHEME = [
  `Kefu POSTs JSON \`{ "id", "event", "createdAt", "data" }\` to the webhook's URL for the events it subscribes to: ${WEBHOOK_EVENTS.map((e) => `\`${e}\``).join(', ')} (and \`ping\` from the test route).`,
  '`data.conversation` holds `id, number, status, channel, contactId, teamId, assigneeId, priority`; `message.created` adds `data.message` (`id, senderType` contact or agent, `text` as stored, i.e. with secrets already masked, `createdAt`) and is never sent for private notes; `conversation.status_changed` and `conversation.assigned` add `data.change: { from, to }` (status, or assignee id; null = the queue); `csat.submitted` adds `data.csat: { score, comment }`.',
  'Headers: `X-Kefu-Event`, `X-Kefu-Delivery` (the body `id`; the same on every retry, so receivers can drop duplicates), `X-Kefu-Timestamp` (Unix seconds) and `X-Kefu-Signature: sha256=<hex>`, where hex is HMAC-SHA256 of `<timestamp>.<raw body>` keyed with the webhook secret. Compare in constant time and refuse timestamps older than a few minutes.',
  `A 2xx answer within ${WEBHOOK_TIMEOUT_MS / 1000} s marks the delivery delivered; anything else (including redirects) is retried with exponential backoff, ${WEBHOOK_MAX_ATTEMPTS} attempts in all, then marked failed.`,
].join('\n\n');

export function webhookRoutes(app: App, deps: Deps) {
  const tags = ['webhooks'];
  const admins = { access: ['admin'] as const };
  app.get(
    '/api/v1/webhooks',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Outgoing webhooks (admin)',
        description: WEBHOOK_SCHEME,
        response: { 200: ZWebhookList, ...errorResponses },
      },
    },
    async () => ({ webhooks: await findWebhooks(deps) }),
  );
  app.post(
    '/api/v1/webhooks',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Create a webhook; its signing secret is in this answer only (admin)',
        description: WEBHOOK_SCHEME,
        body: ZCreateWebhook,
        response: { 201: ZWebhookCreated, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createWebhook(deps, actorOf(request), request.body)),
  );
  app.patch(
    '/api/v1/webhooks/:id',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Change the URL, the events, or pause it with active: false (admin)',
        params: ZIdParams,
        body: ZUpdateWebhook,
        response: { 200: ZWebhook, ...errorResponses },
      },
    },
    async (request) => updateWebhook(deps, actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/api/v1/webhooks/:id',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Delete a webhook and its delivery log (admin)',
        params: ZIdParams,
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request) => {
      await deleteWebhook(deps, actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
  app.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      config: admins,
      schema: {
        tags,
        summary:
          "A webhook's delivery log, newest first, with attempts and the last answer (admin)",
        params: ZIdParams,
        querystring: ZWebhookDeliveryQuery,
        response: { 200: ZWebhookDeliveryList, ...errorResponses },
      },
    },
    async (request) => ({
      deliveries: await findWebhookDeliveries(deps, request.params.id, request.query),
    }),
  );
  app.post(
    '/api/v1/webhooks/:id/test',
    {
      config: admins,
      schema: {
        tags,
        summary: 'Send a signed `ping` now and answer how it went (admin)',
        description: `Sent once, not retried, and logged with the deliveries. ${WEBHOOK_SCHEME}`,
        params: ZIdParams,
        response: { 200: ZWebhookDelivery, ...errorResponses },
      },
    },
    async (request) => sendWebhookPing(deps, actorOf(request), request.params.id),
  );
}
