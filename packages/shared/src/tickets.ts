import { z } from 'zod';
import { ZEmail, ZId, ZLocale } from './common.ts';
import { ZConversation, ZRedaction, ZStatus } from './conversations.ts';
import type { TAckError } from './realtime.ts';

/** A ticket number as a customer types it: `100123` or `#100123`. */
export const ZTicketNumber = z
  .union([
    z.number().int().positive(),
    z
      .string()
      .trim()
      .regex(/^#?\d{1,15}$/, 'A ticket number has digits only, like 100123'),
  ])
  .transform((value) => Number(String(value).replace('#', '')))
  .describe('The ticket number from the confirmation, e.g. 100123');

export const ZTicketNumberParams = z.object({
  number: z.coerce
    .number({ message: 'A ticket number has digits only, like 100123' })
    .int()
    .positive(),
});

export const ZTicketLookupStart = z
  .strictObject({
    number: ZTicketNumber,
    email: ZEmail,
    locale: ZLocale.optional().describe('Language of the email; default: the ticket language'),
  })
  .meta({ id: 'TicketLookupStart' });
export type TTicketLookupStart = z.infer<typeof ZTicketLookupStart>;

export const ZTicketLookupStarted = z
  .object({
    sent: z
      .literal(true)
      .describe('Always true: the answer does not say whether the ticket and email matched'),
  })
  .meta({ id: 'TicketLookupStarted' });

export const ZTicketLookupCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'The code has 6 digits');

export const ZTicketLookupVerify = z
  .strictObject({
    number: ZTicketNumber,
    email: ZEmail,
    code: ZTicketLookupCode,
  })
  .meta({ id: 'TicketLookupVerify' });
export type TTicketLookupVerify = z.infer<typeof ZTicketLookupVerify>;

/** A message as the customer sees it on the ticket page: public messages only, text as stored (masked). */
export const ZTicketMessage = z
  .object({
    id: ZId,
    seq: z.number().int(),
    senderType: z.enum(['contact', 'agent', 'assistant']),
    senderName: z.string().nullable(),
    text: z.string().describe('As stored: secrets are already masked'),
    redactions: z.array(ZRedaction),
    createdAt: z.string(),
  })
  .meta({ id: 'TicketMessage' });
export type TTicketMessage = z.infer<typeof ZTicketMessage>;

export const ZTicketView = z
  .object({
    id: ZId.describe('The conversation id, for replies (POST /api/v1/customer/messages)'),
    number: z.number().int(),
    status: ZStatus,
    subject: z.string().nullable(),
    createdAt: z.string(),
    messages: z.array(ZTicketMessage),
  })
  .meta({ id: 'TicketView' });
export type TTicketView = z.infer<typeof ZTicketView>;

export const ZTicketLookupSession = z
  .object({
    token: z
      .string()
      .describe('A short-lived customer token for this ticket (Authorization: Bearer)'),
    expiresAt: z.string(),
    ticket: ZTicketView,
  })
  .meta({ id: 'TicketLookupSession' });
export type TTicketLookupSession = z.infer<typeof ZTicketLookupSession>;

// Customer satisfaction (CSAT).
export const CSAT_COMMENT_MAX = 1000;
export const ZCsatSubmit = z
  .strictObject({
    score: z
      .number({ message: 'The score is a whole number from 1 to 5' })
      .int('The score is a whole number from 1 to 5')
      .min(1, 'The score is a whole number from 1 to 5')
      .max(5, 'The score is a whole number from 1 to 5'),
    comment: z
      .string()
      .trim()
      .max(CSAT_COMMENT_MAX, `A comment has at most ${CSAT_COMMENT_MAX} characters`)
      .optional(),
  })
  .meta({ id: 'CsatSubmit' });
export type TCsatSubmit = z.infer<typeof ZCsatSubmit>;

/** The socket event `csat:submit`: the same, for one conversation. */
export const ZCsatSubmitEvent = ZCsatSubmit.extend({ conversationId: ZId });

export const ZCsatResult = z
  .object({
    conversationId: ZId,
    number: z.number().int(),
    score: z.number().int(),
    comment: z.string().nullable(),
    submittedAt: z.string(),
    updatableUntil: z.string().describe('A new rating replaces this one until then'),
  })
  .meta({ id: 'CsatResult' });
export type TCsatResult = z.infer<typeof ZCsatResult>;
export type TCsatAck = { ok: true; csat: TCsatResult } | TAckError;

export const ZReviewQueueQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ZReviewQueue = z
  .object({ conversations: z.array(ZConversation) })
  .meta({ id: 'ReviewQueue' });
