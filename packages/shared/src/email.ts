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
      .describe('TLS from the start (port 993); false: plain or STARTTLS'),
    user: z.string().trim().min(1).max(320),
    password: z.string().min(1).max(1000),
    mailbox: z.string().trim().min(1).max(200).default('INBOX'),
  })
  .meta({ id: 'EmailImapSettings' });
export type TEmailImapSettings = z.infer<typeof ZEmailImapSettings>;

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
    defaultTeamId: z.uuid().nullable().optional(),
  })
  .meta({ id: 'CreateEmailChannel' });
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
      })
      .nullable(),
    defaultTeamId: z.uuid().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'EmailChannel' });
export type TEmailChannel = z.infer<typeof ZEmailChannel>;
