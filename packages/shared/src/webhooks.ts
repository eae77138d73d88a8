import { z } from 'zod';
import { ZId } from './common.ts';

/** What an exchange's systems can subscribe to. `ping` is only sent by the test button. */
export const WEBHOOK_EVENTS = [
  'conversation.created',
  'conversation.status_changed',
  'conversation.assigned',
  'message.created',
  'csat.submitted',
] as const;
export const ZWebhookEvent = z.enum(WEBHOOK_EVENTS);
export type TWebhookEvent = z.infer<typeof ZWebhookEvent>;

export const ZWebhookUrl = z
  .string()
  .trim()
  .max(2000, 'A URL has at most 2000 characters')
  .pipe(z.url({ protocol: /^https?$/, error: 'Enter an http:// or https:// URL' }));

const ZWebhookEvents = z
  .array(ZWebhookEvent)
  .min(1, 'Choose at least one event')
  .max(WEBHOOK_EVENTS.length)
  .transform((events) => [...new Set(events)]);

export const ZCreateWebhook = z
  .strictObject({
    url: ZWebhookUrl.describe('Where Kefu POSTs the events (http or https)'),
    events: ZWebhookEvents,
    active: z.boolean().default(true),
  })
  .meta({ id: 'CreateWebhook' });
export type TCreateWebhook = z.infer<typeof ZCreateWebhook>;

export const ZUpdateWebhook = z
  .strictObject({
    url: ZWebhookUrl.optional(),
    events: ZWebhookEvents.optional(),
    active: z.boolean().optional(),
  })
  .meta({ id: 'UpdateWebhook' });
export type TUpdateWebhook = z.infer<typeof ZUpdateWebhook>;

export const ZWebhook = z
  .object({
    id: ZId,
    url: z.string(),
    events: z.array(z.string()),
    active: z.boolean(),
    createdAt: z.string(),
  })
  .meta({ id: 'Webhook' });
export type TWebhook = z.infer<typeof ZWebhook>;

export const ZWebhookCreated = ZWebhook.extend({
  secret: z
    .string()
    .describe('The signing secret. Shown only now: store it where your receiver can read it.'),
}).meta({ id: 'WebhookCreated' });
export type TWebhookCreated = z.infer<typeof ZWebhookCreated>;

export const ZWebhookList = z.object({ webhooks: z.array(ZWebhook) }).meta({ id: 'WebhookList' });

export const ZWebhookDelivery = z
  .object({
    id: ZId.describe('Also the `id` of the body and the X-Kefu-Delivery header'),
    webhookId: ZId,
    event: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int().describe('How many times Kefu tried to POST it'),
    responseStatus: z.number().int().nullable().describe("The receiver's last HTTP status"),
    error: z.string().nullable().describe('Why the last attempt failed'),
    payload: z.record(z.string(), z.unknown()).describe('The JSON body that is sent'),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
export type TWebhookDelivery = z.infer<typeof ZWebhookDelivery>;

export const ZWebhookDeliveryQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Cursor: deliveries created before this'),
});
export const ZWebhookDeliveryList = z
  .object({ deliveries: z.array(ZWebhookDelivery) })
  .meta({ id: 'WebhookDeliveryList' });
