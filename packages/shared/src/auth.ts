import { z } from 'zod';
import { ZEmail, ZId, ZLocale } from './common.ts';

export const ROLES = ['admin', 'supervisor', 'agent'] as const;
export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;

export const AVAILABILITIES = ['online', 'away', 'offline'] as const;
export const ZAvailability = z.enum(AVAILABILITIES);
export type TAvailability = z.infer<typeof ZAvailability>;

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
export const ZNewPassword = z
  .string()
  .min(PASSWORD_MIN, `A password needs at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `A password has at most ${PASSWORD_MAX} characters`);

const ZTotpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'A 2FA code is 6 digits');
const ZRecoveryCode = z
  .string()
  .trim()
  .min(8, 'A recovery code has 10 characters')
  .max(32, 'A recovery code has 10 characters');

export const ZLoginRequest = z
  .strictObject({
    email: ZEmail,
    password: z.string().min(1, 'Enter your password').max(PASSWORD_MAX),
    totpCode: ZTotpCode.optional(),
    recoveryCode: ZRecoveryCode.optional(),
  })
  .meta({ id: 'LoginRequest' });
export type TLoginRequest = z.infer<typeof ZLoginRequest>;

export const ZAgent = z
  .object({
    id: ZId,
    email: z.string(),
    name: z.string(),
    role: ZRole,
    languages: z.array(ZLocale),
    skills: z.array(z.string()),
    capacity: z.number().int(),
    availability: ZAvailability,
    active: z.boolean(),
    twoFactorEnabled: z.boolean(),
    lockedUntil: z.string().nullable(),
    teamIds: z.array(ZId),
    createdAt: z.string(),
  })
  .meta({ id: 'Agent' });
export type TAgent = z.infer<typeof ZAgent>;

export const ZMe = z
  .object({
    agent: ZAgent,
    session: z.object({ id: ZId, expiresAt: z.string() }),
    /** When the workspace requires 2FA and this agent has none yet, only enrolment is allowed. */
    twoFactorEnrollmentRequired: z.boolean(),
    /** The workspace requires 2FA for every agent (turning it off forces re-enrolment). */
    twoFactorRequired: z.boolean(),
  })
  .meta({ id: 'Me' });
export type TMe = z.infer<typeof ZMe>;

export const ZSession = z
  .object({
    id: ZId,
    createdAt: z.string(),
    lastSeenAt: z.string(),
    expiresAt: z.string(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'Session' });
export type TSession = z.infer<typeof ZSession>;

export const ZTotpSetup = z
  .object({
    secret: z.string().describe('Base32 secret, for manual entry'),
    otpauthUrl: z.string(),
    qrDataUrl: z.string().describe('PNG data URL of the otpauth QR code'),
  })
  .meta({ id: 'TotpSetup' });

export const ZTotpConfirm = z.strictObject({ code: ZTotpCode });
export const ZTotpDisable = z.strictObject({
  password: z.string().min(1).max(PASSWORD_MAX),
  code: ZTotpCode,
});
export const ZRecoveryCodes = z
  .object({ recoveryCodes: z.array(z.string()) })
  .meta({ id: 'RecoveryCodes' });

export const ZChangePassword = z.strictObject({
  currentPassword: z.string().min(1, 'Enter your current password').max(PASSWORD_MAX),
  newPassword: ZNewPassword,
});

export const ZSetAvailability = z.strictObject({ availability: ZAvailability });

const ZName = z
  .string()
  .trim()
  .min(1, 'Enter a name')
  .max(120, 'A name has at most 120 characters');
const ZSkills = z.array(z.string().trim().min(1).max(40)).max(30);

export const ZCreateAgent = z
  .strictObject({
    email: ZEmail,
    name: ZName,
    role: ZRole.default('agent'),
    password: ZNewPassword,
    languages: z.array(ZLocale).min(1).max(2).default(['en']),
    skills: ZSkills.default([]),
    capacity: z.number().int().min(0).max(100).default(5),
    teamIds: z.array(ZId).max(50).default([]),
  })
  .meta({ id: 'CreateAgent' });
export type TCreateAgent = z.infer<typeof ZCreateAgent>;

export const ZUpdateAgent = z
  .strictObject({
    name: ZName.optional(),
    role: ZRole.optional(),
    languages: z.array(ZLocale).min(1).max(2).optional(),
    skills: ZSkills.optional(),
    capacity: z.number().int().min(0).max(100).optional(),
    teamIds: z.array(ZId).max(50).optional(),
    active: z.boolean().optional(),
  })
  .meta({ id: 'UpdateAgent' });
export type TUpdateAgent = z.infer<typeof ZUpdateAgent>;

export const ZResetPassword = z.strictObject({ password: ZNewPassword.optional() });
export const ZResetPasswordResult = z.object({ temporaryPassword: z.string().optional() });

export const ZAgentList = z.object({ agents: z.array(ZAgent) }).meta({ id: 'AgentList' });

export const ZTeam = z
  .object({
    id: ZId,
    name: z.string(),
    description: z.string(),
    languages: z.array(ZLocale),
    tier: z.enum(['L1', 'L2']),
    timezone: z.string(),
    memberIds: z.array(ZId),
    createdAt: z.string(),
  })
  .meta({ id: 'Team' });
export type TTeam = z.infer<typeof ZTeam>;

const ZTimezone = z
  .string()
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'Enter an IANA time zone such as Asia/Shanghai');

export const ZCreateTeam = z
  .strictObject({
    name: ZName,
    description: z.string().trim().max(500).default(''),
    languages: z.array(ZLocale).min(1).max(2).default(['en']),
    tier: z.enum(['L1', 'L2']).default('L1'),
    timezone: ZTimezone.default('UTC'),
  })
  .meta({ id: 'CreateTeam' });
export type TCreateTeam = z.infer<typeof ZCreateTeam>;
export const ZUpdateTeam = z
  .strictObject({
    name: ZName.optional(),
    description: z.string().trim().max(500).optional(),
    languages: z.array(ZLocale).min(1).max(2).optional(),
    tier: z.enum(['L1', 'L2']).optional(),
    timezone: ZTimezone.optional(),
  })
  .meta({ id: 'UpdateTeam' });
export type TUpdateTeam = z.infer<typeof ZUpdateTeam>;
export const ZTeamList = z.object({ teams: z.array(ZTeam) }).meta({ id: 'TeamList' });

export const ZSecuritySettings = z
  .object({ requireTwoFactor: z.boolean() })
  .meta({ id: 'SecuritySettings' });
export const ZUpdateSecuritySettings = z.strictObject({ requireTwoFactor: z.boolean() });

export const ZAuditEntry = z
  .object({
    id: ZId,
    at: z.string(),
    actorType: z.enum(['agent', 'contact', 'system', 'anonymous']),
    actorId: z.string().nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    ip: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });
export type TAuditEntry = z.infer<typeof ZAuditEntry>;
export const ZAuditQuery = z.strictObject({
  action: z.string().max(80).optional(),
  actorId: z.string().max(80).optional(),
  targetId: z.string().max(80).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  before: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('Cursor: entries strictly older than this'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const ZAuditList = z.object({ entries: z.array(ZAuditEntry) }).meta({ id: 'AuditList' });
