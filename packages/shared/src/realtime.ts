import { z } from 'zod';
import type { TPublicAnnouncement } from './announcements.ts';
import { ZId } from './common.ts';
import {
  EMPTY_MESSAGE,
  hasTextOrAttachments,
  ZAttachmentIds,
  ZClientMessageId,
  ZMessage,
  ZMessageTextOrEmpty,
  ZRedaction,
  type ZStatus,
} from './conversations.ts';
import type { TCsatAck } from './tickets.ts';

/** Bumped when an event changes incompatibly; clients send it in the handshake. */
export const REALTIME_PROTOCOL = 1;

// Customer → server (the widget).
export const ZCustomerSend = z
  .strictObject({
    clientMessageId: ZClientMessageId,
    conversationId: ZId.optional().describe('Omit to start a new conversation'),
    text: ZMessageTextOrEmpty,
    locale: z.enum(['zh-CN', 'en']).optional(),
    attachmentIds: ZAttachmentIds.optional(),
    topic: z
      .string()
      .max(40)
      .optional()
      .describe("The pre-chat form's topic, with the first message of a conversation"),
  })
  .refine(hasTextOrAttachments, EMPTY_MESSAGE);
export type TCustomerSend = z.infer<typeof ZCustomerSend>;
export const ZResync = z.strictObject({
  conversationId: ZId,
  afterSeq: z.number().int().min(0).describe('The last seq the client has'),
});
export const ZTyping = z.strictObject({ conversationId: ZId, typing: z.boolean() });
export const ZRead = z.strictObject({ conversationId: ZId, seq: z.number().int().min(0) });
export const ZJoin = z.strictObject({ conversationId: ZId });

// Agent → server (the console).
export const ZAgentSend = z
  .strictObject({
    conversationId: ZId,
    clientMessageId: ZClientMessageId,
    text: ZMessageTextOrEmpty,
    private: z.boolean().default(false),
    attachmentIds: ZAttachmentIds.optional(),
  })
  .refine(hasTextOrAttachments, EMPTY_MESSAGE);

export const ZAckError = z.object({
  ok: z.literal(false),
  error: z.object({ code: z.string(), message: z.string() }),
});
export const ZSendAck = z.union([
  z.object({
    ok: z.literal(true),
    message: ZMessage,
    conversationNumber: z.number().int(),
    duplicate: z.boolean(),
    redactions: z.array(ZRedaction),
    warning: z.string().nullable().describe('Shown to the customer when a secret was masked'),
  }),
  ZAckError,
]);
export type TSendAck = z.infer<typeof ZSendAck>;
export type TAckError = z.infer<typeof ZAckError>;
export const ZResyncAck = z.union([
  z.object({ ok: z.literal(true), messages: z.array(ZMessage) }),
  ZAckError,
]);
export type TResyncAck = z.infer<typeof ZResyncAck>;
export type TOkAck = { ok: true } | TAckError;

export type TQueuePosition = {
  conversationId: string;
  position: number;
  estimatedWaitSeconds: number | null;
};
export type TConversationChanged = {
  conversationId: string;
  status?: z.infer<typeof ZStatus>;
  assigneeId?: string | null;
  assigneeName?: string | null;
  teamId?: string | null;
  tier?: 'L1' | 'L2';
  priority?: string;
};
export type TPresence = {
  conversationId: string;
  viewers: { agentId: string; name: string; typing: boolean }[];
};

export type CustomerClientToServer = {
  'message:send': (payload: unknown, ack: (response: TSendAck) => void) => void;
  'conversation:resync': (payload: unknown, ack: (response: TResyncAck) => void) => void;
  typing: (payload: unknown, ack?: (response: TOkAck) => void) => void;
  read: (payload: unknown, ack?: (response: TOkAck) => void) => void;
  /** Rate a conversation 1–5 (ZCsatSubmitEvent), after the csat_request message. */
  'csat:submit': (payload: unknown, ack?: (response: TCsatAck) => void) => void;
  /** "Talk to a person": leave the assistant for the human queue. */
  'handoff:request': (
    payload: unknown,
    ack?: (response: { ok: true; queued: boolean } | TAckError) => void,
  ) => void;
};
export type CustomerServerToClient = {
  'message:new': (message: z.infer<typeof ZMessage>) => void;
  'conversation:changed': (change: TConversationChanged) => void;
  'queue:position': (position: TQueuePosition) => void;
  typing: (event: {
    conversationId: string;
    senderType: 'agent';
    name: string;
    typing: boolean;
  }) => void;
  read: (event: { conversationId: string; seq: number; by: 'agent' }) => void;
  /** The current announcements, after one was published, changed or resolved. */
  'announcements:changed': (event: { announcements: TPublicAnnouncement[] }) => void;
};
export type AgentClientToServer = {
  'message:send': (payload: unknown, ack: (response: TSendAck) => void) => void;
  'conversation:join': (payload: unknown, ack?: (response: TOkAck) => void) => void;
  'conversation:leave': (payload: unknown, ack?: (response: TOkAck) => void) => void;
  'conversation:resync': (payload: unknown, ack: (response: TResyncAck) => void) => void;
  typing: (payload: unknown, ack?: (response: TOkAck) => void) => void;
  read: (payload: unknown, ack?: (response: TOkAck) => void) => void;
};
export type AgentServerToClient = {
  'message:new': (message: z.infer<typeof ZMessage>) => void;
  'conversation:changed': (change: TConversationChanged) => void;
  'conversation:created': (event: {
    conversationId: string;
    number: number;
    teamId: string | null;
  }) => void;
  'delivery:changed': (event: {
    conversationId: string;
    messageId: string;
    status: 'sent' | 'delivered' | 'failed';
  }) => void;
  presence: (event: TPresence) => void;
  typing: (event: {
    conversationId: string;
    senderType: 'contact' | 'agent';
    agentId?: string;
    typing: boolean;
  }) => void;
  read: (event: { conversationId: string; seq: number; by: 'contact' }) => void;
  notification: (event: {
    kind: 'assignment' | 'mention' | 'sla_warning' | 'sla_breach' | 'review';
    conversationId: string;
    number: number;
  }) => void;
  /** The agent's role or teams changed while connected: the console reloads who it is and its lists. */
  'access:changed': () => void;
};

/** The catalog at run time: every event a client may send, per namespace (checked complete). */
export const CUSTOMER_SOCKET_EVENTS = [
  'message:send',
  'conversation:resync',
  'typing',
  'read',
  'csat:submit',
  'handoff:request',
] as const satisfies readonly (keyof CustomerClientToServer)[];
export const AGENT_SOCKET_EVENTS = [
  'message:send',
  'conversation:join',
  'conversation:leave',
  'conversation:resync',
  'typing',
  'read',
] as const satisfies readonly (keyof AgentClientToServer)[];
// A new event in a ClientToServer type without its entry above fails the type check here.
type Missing<T, L extends readonly unknown[]> = Exclude<keyof T, L[number]>;
const catalogComplete: [
  Missing<CustomerClientToServer, typeof CUSTOMER_SOCKET_EVENTS>,
  Missing<AgentClientToServer, typeof AGENT_SOCKET_EVENTS>,
] extends [never, never]
  ? true
  : false = true;
void catalogComplete;

// Widget session (customer token).
export const ZWidgetSessionRequest = z
  .strictObject({
    siteToken: z.string().min(8).max(200),
    contactToken: z
      .string()
      .max(4000)
      .optional()
      .describe('A token from an earlier session, to keep the same contact'),
    identity: z
      .strictObject({
        exchangeUid: z.string().min(1).max(100),
        name: z.string().max(120).optional(),
        email: z.email().max(254).optional(),
        signature: z
          .string()
          .regex(/^[0-9a-f]{64}$/, 'signature is HMAC-SHA256 hex of the exchange UID'),
      })
      .optional(),
    locale: z.enum(['zh-CN', 'en']).optional(),
  })
  .meta({ id: 'WidgetSessionRequest' });
export const ZWidgetSession = z
  .object({
    contactToken: z.string(),
    contactId: ZId,
    verified: z.boolean(),
    expiresAt: z.string(),
  })
  .meta({ id: 'WidgetSession' });
