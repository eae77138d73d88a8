import { z } from 'zod';
import { ZId } from './common.ts';

export const SECRET_KINDS = ['seed_phrase', 'private_key', 'password', 'api_secret'] as const;
export const ZSecretKind = z.enum(SECRET_KINDS);
export type TSecretKind = z.infer<typeof ZSecretKind>;

export const STATUSES = ['open', 'pending', 'snoozed', 'resolved', 'closed'] as const;
export const ZStatus = z.enum(STATUSES);
export type TStatus = z.infer<typeof ZStatus>;
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const ZPriority = z.enum(PRIORITIES);
export type TPriority = z.infer<typeof ZPriority>;
export const CHANNELS = ['widget', 'email', 'telegram', 'api'] as const;
export const ZChannel = z.enum(CHANNELS);
export type TChannel = z.infer<typeof ZChannel>;

export const MESSAGE_MAX = 10_000;
export const ZMessageText = z
  .string()
  .max(MESSAGE_MAX, `A message has at most ${MESSAGE_MAX} characters`)
  .refine((t) => t.trim().length > 0, 'A message cannot be empty');
/** Text of a message that may carry attachments: it may be empty when it has some. */
export const ZMessageTextOrEmpty = z
  .string()
  .max(MESSAGE_MAX, `A message has at most ${MESSAGE_MAX} characters`)
  .default('');
export const ATTACHMENTS_PER_MESSAGE_MAX = 5;
export const ZAttachmentIds = z
  .array(ZId)
  .max(
    ATTACHMENTS_PER_MESSAGE_MAX,
    `A message has at most ${ATTACHMENTS_PER_MESSAGE_MAX} attachments`,
  )
  .describe('Ids of files uploaded by the same sender and not yet sent');
/** A message needs text or at least one attachment. */
export const hasTextOrAttachments = (m: { text: string; attachmentIds?: string[] | undefined }) =>
  m.text.trim().length > 0 || (m.attachmentIds?.length ?? 0) > 0;
export const EMPTY_MESSAGE = { message: 'A message cannot be empty', path: ['text'] };
export const ZClientMessageId = z
  .string()
  .min(8, 'clientMessageId needs at least 8 characters')
  .max(100, 'clientMessageId has at most 100 characters')
  .regex(/^[\w.:-]+$/, 'clientMessageId may use letters, digits, _ . : -');

export const ZRedaction = z.object({
  kind: ZSecretKind,
  start: z.number().int(),
  end: z.number().int(),
});

export const ZAttachmentRef = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  size: z.number().int(),
});

export const ZMessage = z
  .object({
    id: ZId,
    conversationId: ZId,
    seq: z.number().int().describe('Position in the conversation: 1, 2, 3… in commit order'),
    senderType: z.enum(['contact', 'agent', 'assistant', 'system']),
    senderId: z.string().nullable(),
    senderName: z.string().nullable(),
    private: z.boolean(),
    text: z.string().describe('As stored: secrets are already masked as [REDACTED:kind]'),
    redactions: z.array(ZRedaction),
    attachments: z.array(ZAttachmentRef),
    clientMessageId: z.string().nullable(),
    kind: z
      .string()
      .nullable()
      .describe(
        'What a system or assistant message is: csat_request, secret_warning, handoff, outside_hours, event…',
      ),
    deliveryStatus: z.enum(['pending', 'sent', 'delivered', 'failed']).nullable(),
    nextOpening: z
      .string()
      .nullable()
      .optional()
      .describe('outside_hours only: when the team opens (ISO), for the customer’s local time'),
    createdAt: z.string(),
  })
  .meta({ id: 'Message' });
export type TMessage = z.infer<typeof ZMessage>;

export const ZSlaInfo = z.object({
  policyId: z.string().nullable(),
  firstResponseDueAt: z.string().nullable(),
  nextResponseDueAt: z.string().nullable(),
  resolutionDueAt: z.string().nullable(),
  state: z.record(z.string(), z.string()),
});

export const ZConversation = z
  .object({
    id: ZId,
    number: z.number().int(),
    inboxId: ZId,
    channel: z.string(),
    contactId: ZId,
    status: ZStatus,
    priority: ZPriority,
    intent: z.string().nullable(),
    labels: z.array(z.string()),
    teamId: ZId.nullable(),
    assigneeId: ZId.nullable(),
    tier: z.enum(['L1', 'L2']),
    language: z.string().nullable(),
    subject: z.string().nullable(),
    handler: z.enum(['assistant', 'human']),
    queuedAt: z.string().nullable(),
    lastMessageAt: z.string().nullable(),
    escalationReason: z.string().nullable(),
    sla: ZSlaInfo,
    csatScore: z.number().int().nullable(),
    csatComment: z.string().nullable(),
    needsReview: z.boolean(),
    fields: z.record(z.string(), z.unknown()),
    mergedIntoId: ZId.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Conversation' });
export type TConversation = z.infer<typeof ZConversation>;

/** What a customer sees of their ticket: no internal fields. */
export const ZCustomerConversation = z
  .object({
    id: ZId,
    number: z.number().int(),
    status: ZStatus,
    channel: z.string(),
    subject: z.string().nullable(),
    assigneeName: z.string().nullable(),
    createdAt: z.string(),
    lastMessageAt: z.string().nullable(),
  })
  .meta({ id: 'CustomerConversation' });
export type TCustomerConversation = z.infer<typeof ZCustomerConversation>;

export const ZContact = z
  .object({
    id: ZId,
    exchangeUid: z.string().nullable(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    telegramId: z.string().nullable(),
    locale: z.string().nullable(),
    vipLevel: z.number().int(),
    kycLevel: z.number().int(),
    attributes: z.record(z.string(), z.unknown()),
    mergedIntoId: ZId.nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Contact' });
export type TContact = z.infer<typeof ZContact>;

export const ZAgentSendMessage = z
  .strictObject({
    text: ZMessageTextOrEmpty,
    private: z
      .boolean()
      .default(false)
      .describe('A private note: never shown or delivered to the customer'),
    clientMessageId: ZClientMessageId.optional(),
    attachmentIds: ZAttachmentIds.optional(),
  })
  .refine(hasTextOrAttachments, EMPTY_MESSAGE)
  .meta({ id: 'AgentSendMessage' });
export type TAgentSendMessage = z.infer<typeof ZAgentSendMessage>;

export const INBOX_VIEWS = ['mine', 'unassigned', 'teams', 'all', 'due'] as const;
export const ZInboxView = z
  .enum(INBOX_VIEWS)
  .describe(
    'mine, unassigned, my teams, all (supervisors and admins), due: SLA due within the hour',
  );
export type TInboxView = z.infer<typeof ZInboxView>;
/** Filters every inbox view shares; the counts answer them per view. */
export const ZConversationFilters = z.strictObject({
  status: ZStatus.optional(),
  teamId: ZId.optional(),
  channel: ZChannel.optional(),
  intent: z.string().trim().min(1).max(80).optional(),
  priority: ZPriority.optional(),
  label: z.string().trim().min(1).max(40).optional(),
  language: z.string().trim().min(2).max(10).optional(),
  vip: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: only VIP customers (VIP level 1 or more)'),
  q: z
    .string()
    .trim()
    .min(1, 'Type something to search for')
    .max(200, 'A search has at most 200 characters')
    .optional()
    .describe(
      'Search messages, notes, subject and customer: words (Chinese too), ticket number, exchange UID, email, TxID fragment',
    ),
});
export type TConversationFilters = z.infer<typeof ZConversationFilters>;
export const ZConversationListQuery = ZConversationFilters.extend({
  view: ZInboxView.default('all'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Cursor: conversations updated before this'),
});
export const ZConversationCounts = z
  .object({
    mine: z.number().int(),
    unassigned: z.number().int(),
    teams: z.number().int(),
    all: z.number().int(),
    due: z.number().int(),
  })
  .meta({ id: 'ConversationCounts' });
export type TConversationCounts = z.infer<typeof ZConversationCounts>;
export const ZConversationList = z
  .object({ conversations: z.array(ZConversation) })
  .meta({ id: 'ConversationList' });
export const ZMessageListQuery = z.strictObject({
  afterSeq: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export const ZMessageList = z.object({ messages: z.array(ZMessage) }).meta({ id: 'MessageList' });

export const ZAssign = z.strictObject({
  agentId: ZId.nullable().describe('null to unassign (back to the queue)'),
});
export const ZSetStatus = z.strictObject({
  status: ZStatus,
  snoozedUntil: z.iso.datetime({ offset: true }).optional(),
});
export const ZTransfer = z
  .strictObject({
    teamId: ZId.optional(),
    agentId: ZId.optional(),
    note: z.string().max(2000).optional(),
  })
  .refine((v) => v.teamId || v.agentId, 'Give a teamId or an agentId');
export const ZEscalate = z.strictObject({
  reason: z.string().trim().min(3, 'Say why (at least 3 characters)').max(2000),
  teamId: ZId.optional().describe('The L2 team; default: the first L2 team'),
});
export const ZUpdateConversation = z.strictObject({
  priority: ZPriority.optional(),
  labels: z.array(z.string().trim().min(1).max(40)).max(30).optional(),
  intent: z.string().max(80).nullable().optional(),
});
export const ZMergeConversation = z.strictObject({ intoId: ZId });
