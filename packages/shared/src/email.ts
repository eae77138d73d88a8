import { z } from 'zod';
import { ZEmail } from './common.ts';

/** A mailbox Kefu reads over IMAP (the password is write-only: it is stored encrypted). */
export const ZEmailImapSettings = z
  .strictObject({
    host: z.string().trim().min(1).max(255),
    port: z.number().int().min(1).max(65535).default(993),
    secure: z
      .boolean()
      .default(true)
      .describe(
        'TLS from the start (port 993); false: STARTTLS, required (the login never crosses the network in clear)',
      ),
    user: z.string().trim().min(1).max(320),
    password: z.string().min(1).max(1000),
    mailbox: z.string().trim().min(1).max(200).default('INBOX'),
  })
  .meta({ id: 'EmailImapSettings' });
export type TEmailImapSettings = z.infer<typeof ZEmailImapSettings>;

/** How Kefu sends this mailbox's mail: its own SMTP server (the password is write-only). */
export const ZEmailSmtpOutbound = z
  .strictObject({
    host: z.string().trim().min(1).max(255),
    port: z.number().int().min(1).max(65535).default(587),
    security: z
      .enum(['tls', 'starttls', 'none'])
      .default('starttls')
      .describe('tls: TLS from the start (465); starttls: upgrade required (587); none: plain'),
    user: z.string().trim().max(320).optional(),
    password: z.string().min(1).max(1000).optional(),
  })
  .meta({ id: 'EmailSmtpOutbound' });
export type TEmailSmtpOutbound = z.infer<typeof ZEmailSmtpOutbound>;

/** DKIM signing of outbound mail (the private key is write-only). */
export const ZEmailDkim = z
  .strictObject({
    selector: z
      .string()
      .trim()
      .regex(
        /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/,
        'A DKIM selector is letters, digits, dots and dashes',
      ),
    domain: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'A domain looks like demo-exchange.example')
      .optional()
      .describe("The signing domain (d=); default: the mailbox address's domain"),
    privateKey: z.string().min(1).max(10_000).optional().describe('PEM; required when first set'),
  })
  .meta({ id: 'EmailDkim' });
export type TEmailDkim = z.infer<typeof ZEmailDkim>;

export const ZCreateEmailChannel = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    address: ZEmail.describe(
      'The support address customers write to, e.g. support@demo-exchange.example',
    ),
    smtpInbound: z
      .boolean()
      .default(true)
      .describe("Accept mail for this address on Kefu's own SMTP listener (KEFU_SMTP_LISTEN_PORT)"),
    imap: ZEmailImapSettings.optional().describe('Also fetch mail from this IMAP mailbox'),
    smtpOutbound: ZEmailSmtpOutbound.optional().describe(
      "Send this mailbox's mail through this server (default: SMTP_URL)",
    ),
    dkim: ZEmailDkim.optional(),
    defaultTeamId: z.uuid().nullable().optional(),
  })
  .meta({ id: 'CreateEmailChannel' });

/** Admin: change a mailbox. Omitted fields stay; null removes; omitted passwords and keys stay. */
export const ZUpdateEmailChannel = z
  .strictObject({
    name: z.string().trim().min(1).max(120).optional(),
    smtpInbound: z.boolean().optional(),
    imap: ZEmailImapSettings.extend({ password: z.string().min(1).max(1000).optional() })
      .nullable()
      .optional(),
    smtpOutbound: ZEmailSmtpOutbound.nullable().optional(),
    dkim: ZEmailDkim.nullable().optional(),
    defaultTeamId: z.uuid().nullable().optional(),
  })
  .meta({ id: 'UpdateEmailChannel' });
export type TUpdateEmailChannel = z.infer<typeof ZUpdateEmailChannel>;

/** A connection's last known state: what an admin checks when mail stops. */
export const ZChannelStatus = z
  .object({
    state: z.enum(['ok', 'error']),
    at: z.string(),
    error: z.string().nullable(),
  })
  .meta({ id: 'ChannelStatus' });
export type TChannelStatus = z.infer<typeof ZChannelStatus>;
export type TCreateEmailChannel = z.infer<typeof ZCreateEmailChannel>;

export const ZEmailChannel = z
  .object({
    id: z.uuid(),
    name: z.string(),
    address: z.string(),
    smtpInbound: z.boolean(),
    imap: z
      .object({
        host: z.string(),
        port: z.number(),
        secure: z.boolean(),
        user: z.string(),
        mailbox: z.string(),
        lastUid: z.number().nullable(),
        hasPassword: z.boolean(),
        status: ZChannelStatus.nullable(),
      })
      .nullable(),
    smtpOutbound: z
      .object({
        host: z.string(),
        port: z.number(),
        security: z.enum(['tls', 'starttls', 'none']),
        user: z.string().nullable(),
        hasPassword: z.boolean(),
      })
      .nullable(),
    outboundStatus: ZChannelStatus.nullable().describe('The last mail sent from this mailbox'),
    dkim: z
      .object({
        selector: z.string(),
        domain: z.string(),
        dnsName: z
          .string()
          .describe('Where the public key is published: <selector>._domainkey.<domain>'),
        dnsRecord: z.string().describe('The TXT record to publish there'),
      })
      .nullable(),
    defaultTeamId: z.uuid().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'EmailChannel' });
export type TEmailChannel = z.infer<typeof ZEmailChannel>;
