// Types of the API's answers, inferred from the shared zod schemas. Type-only imports: the
// schemas themselves (and zod) stay out of the console's bundle.
import type {
  TAgent,
  TAuditEntry,
  TCannedResponse,
  TContact,
  TConversation,
  TMessage,
  TSession,
  TTeam,
  ZRecoveryCodes,
  ZResetPasswordResult,
  ZSecuritySettings,
  ZTotpSetup,
} from '@kefu/shared';

type Output<S> = S extends { _output: infer O } ? O : never;

export type TTotpSetup = Output<typeof ZTotpSetup>;
export type TRecoveryCodes = Output<typeof ZRecoveryCodes>;
export type TResetPasswordResult = Output<typeof ZResetPasswordResult>;
export type TSecuritySettings = Output<typeof ZSecuritySettings>;

export type TAgentList = { agents: TAgent[] };
export type TTeamList = { teams: TTeam[] };
export type TSessionList = { sessions: TSession[] };
export type TAuditList = { entries: TAuditEntry[] };
export type TOk = { ok: true };

export type TConversationList = { conversations: TConversation[] };
export type TMessageList = { messages: TMessage[] };
export type TContactDetail = { contact: TContact; conversations: TConversation[] };
export type TCannedList = { cannedResponses: TCannedResponse[] };

/** GET /conversations/:id/copilot (its schema lives in the server's route). */
export type TCopilot = {
  intent: string | null;
  confidence: number | null;
  suggestedReply: string | null;
  articles: { id: string; slug: string; title: string; locale: string; url: string }[];
  summary: string[];
  fields: Record<string, unknown>;
};

/** GET /kb/search (its schema lives in the server's route). */
export type TKbHit = {
  id: string;
  slug: string;
  locale: 'zh-CN' | 'en';
  title: string;
  summary: string;
  score: number;
  fallback: boolean;
};
export type TKbSearch = { hits: TKbHit[] };
