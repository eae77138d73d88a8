// Types of the API's answers, inferred from the shared zod schemas. Type-only imports: the
// schemas themselves (and zod) stay out of the console's bundle.
import type {
  TAgent,
  TAuditEntry,
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
