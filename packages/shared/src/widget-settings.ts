import { z } from 'zod';
import { ZId } from './common.ts';

/** Whether the pre-chat form asks for a field. */
export const ZPreChatField = z.enum(['off', 'optional', 'required']);
export type TPreChatField = z.infer<typeof ZPreChatField>;

export const ZPreChatTopic = z.strictObject({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'A topic id is lower-case letters, digits, - or _'),
  en: z.string().trim().min(1, 'Name the topic in English').max(60),
  'zh-CN': z.string().trim().min(1, 'Name the topic in Chinese').max(60),
});
export type TPreChatTopic = z.infer<typeof ZPreChatTopic>;

export const ZPreChat = z
  .strictObject({
    name: ZPreChatField,
    email: ZPreChatField,
    topic: ZPreChatField,
    topics: z.array(ZPreChatTopic).max(20),
  })
  .refine((v) => v.topic === 'off' || v.topics.length > 0, {
    message: 'Add at least one topic, or turn the topic question off',
    path: ['topics'],
  });
export type TPreChat = z.infer<typeof ZPreChat>;

export const PRE_CHAT_OFF: TPreChat = { name: 'off', email: 'off', topic: 'off', topics: [] };
export const DEFAULT_WIDGET_COLOR = '#1557ff';

const ZGreeting = z.string().trim().max(500, 'A greeting has at most 500 characters');

export const ZUpdateWidgetInbox = z
  .strictObject({
    name: z.string().trim().min(1, 'Name the widget').max(120).optional(),
    allowedOrigins: z
      .array(z.url('An origin looks like https://www.exchange.example').max(200))
      .max(50)
      .optional()
      .describe('Sites that may embed this widget; empty: any site'),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'A colour looks like #1557ff')
      .optional(),
    greeting: z.strictObject({ en: ZGreeting, 'zh-CN': ZGreeting }).optional(),
    preChat: ZPreChat.optional(),
  })
  .meta({ id: 'UpdateWidgetInbox' });
export type TUpdateWidgetInbox = z.infer<typeof ZUpdateWidgetInbox>;

/** What the widget needs to look and behave as configured (public). */
export const ZWidgetConfig = z
  .object({
    color: z.string(),
    greeting: z.object({ en: z.string(), 'zh-CN': z.string() }),
    preChat: z.object({
      name: ZPreChatField,
      email: ZPreChatField,
      topic: ZPreChatField,
      topics: z.array(z.object({ id: z.string(), en: z.string(), 'zh-CN': z.string() })),
    }),
  })
  .meta({ id: 'WidgetConfig' });
export type TWidgetConfig = z.infer<typeof ZWidgetConfig>;

export const ZWidgetInbox = z
  .object({
    id: ZId,
    name: z.string(),
    siteToken: z.string(),
    allowedOrigins: z.array(z.string()),
    identitySecretHint: z
      .string()
      .describe('The last characters of the identity secret; the whole secret is shown once'),
    config: ZWidgetConfig,
    createdAt: z.string(),
  })
  .meta({ id: 'WidgetInbox' });
export type TWidgetInbox = z.infer<typeof ZWidgetInbox>;

export const ZWidgetInboxList = z
  .object({ inboxes: z.array(ZWidgetInbox) })
  .meta({ id: 'WidgetInboxList' });

export const ZIdentitySecret = z
  .object({ identitySecret: z.string() })
  .meta({ id: 'IdentitySecret' });

/** The pre-chat form's answers (customer token); checked against the inbox's form. */
export const ZPreChatSubmit = z
  .strictObject({
    name: z.string().trim().max(120, 'A name has at most 120 characters').optional(),
    // Checked by the server, so the message is in the customer's language.
    email: z.string().trim().max(254).optional(),
    topic: z.string().trim().max(40).optional(),
  })
  .meta({ id: 'PreChatSubmit' });
export type TPreChatSubmit = z.infer<typeof ZPreChatSubmit>;

/** The widget's configuration for this customer: look, greeting, and what the form still asks. */
export const ZCustomerWidgetConfig = z
  .object({
    config: ZWidgetConfig,
    preChat: z
      .object({ name: z.boolean(), email: z.boolean(), topic: z.boolean() })
      .describe('What the pre-chat form asks this customer (false: known already, or not asked)'),
    hasEmail: z.boolean().describe('The customer gave an email (replies can reach them there)'),
  })
  .meta({ id: 'CustomerWidgetConfig' });
export type TCustomerWidgetConfig = z.infer<typeof ZCustomerWidgetConfig>;

export const ZLeaveEmail = z
  .strictObject({ email: z.string().trim().max(254) })
  .meta({ id: 'LeaveEmail' });
