import { isLocale, translate } from '@kefu/shared/i18n';
import { eq } from 'drizzle-orm';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { getConversationRow } from '../../conversations/queries.ts';
import { outbox as outboxTable } from '../../conversations/schema.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { Deps } from '../../deps.ts';
import { getInboxRow } from '../../inboxes/inboxes.ts';
import { enqueueJob, type JobHandler } from '../../jobs/queue.ts';
import { decryptSecret, encryptSecret } from '../../lib/crypto.ts';
import { createMailTransport, type MailMessage } from '../../mail/transport.ts';
import { markDeliveryFailed, sendSystemMessage } from '../../pipeline/send-outbound.ts';
import { brandOf } from './receive-email.ts';
import { emailSettingsOf, openDkimKey, openSmtpPassword, recordEmailStatus } from './settings.ts';

export const EMAIL_SEND_QUEUE = 'email.send';
// Customers' words and anti-phishing codes: the job row keeps the mail encrypted.
const SEAL_PURPOSE = 'email.send';

/**
 * Queues one outbound mail of a mailbox as a durable job (retried with backoff). With an outbox
 * id, a mail the receiving server refuses for good marks that outbound message failed and tells
 * the agent.
 */
export async function queueEmail(
  db: DbOrTx,
  config: Deps['config'],
  input: { inboxId: string; outboxId: string | null; mail: MailMessage },
): Promise<void> {
  await enqueueJob(db, {
    queue: EMAIL_SEND_QUEUE,
    payload: {
      inboxId: input.inboxId,
      outboxId: input.outboxId,
      sealed: encryptSecret(config.secretKey, SEAL_PURPOSE, JSON.stringify(input.mail)),
    },
    maxAttempts: 10,
  });
}

type Sender = (mail: MailMessage) => Promise<{ messageId: string }>;

/**
 * The mailbox's own SMTP server when it has one (TLS, STARTTLS required, or plain), else
 * SMTP_URL; DKIM-signed when the mailbox has a key. Without either, the node's mail transport.
 */
function senderFor(deps: Deps, inbox: Parameters<typeof emailSettingsOf>[0]): Sender {
  const settings = emailSettingsOf(inbox);
  const { smtpOutbound: smtp, dkim } = settings;
  if (!smtp && !(dkim && deps.config.smtpUrl)) {
    const transport = deps.mail ?? createMailTransport(deps.config, deps.logger);
    return (mail) => transport.send(mail);
  }
  const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
  const signing = dkim
    ? {
        dkim: {
          domainName: dkim.domain,
          keySelector: dkim.selector,
          privateKey: openDkimKey(deps.config.secretKey, dkim.privateKeySealed),
        },
      }
    : {};
  const options: SMTPTransport.Options = smtp
    ? {
        host: smtp.host,
        port: smtp.port,
        secure: smtp.security === 'tls',
        requireTLS: smtp.security === 'starttls',
        ignoreTLS: smtp.security === 'none',
        ...(smtp.user
          ? {
              auth: {
                user: smtp.user,
                pass: smtp.passwordSealed
                  ? openSmtpPassword(deps.config.secretKey, smtp.passwordSealed)
                  : '',
              },
            }
          : {}),
        ...timeouts,
        ...signing,
      }
    : { url: deps.config.smtpUrl, ...timeouts, ...signing };
  // A signed mail's From must be of the signing domain (DMARC alignment): the mailbox address.
  const from = `"${brandOf(deps.config.mailFrom).replace(/"/g, '')}" <${settings.address}>`;
  return async (mail) => {
    const { createTransport } = await import('nodemailer');
    const transporter = createTransport(options);
    try {
      const info = await transporter.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        ...(mail.headers ? { headers: mail.headers } : {}),
      });
      return { messageId: String(info.messageId) };
    } finally {
      transporter.close();
    }
  };
}

/**
 * A refusal that retrying cannot change: 5xx for the recipient or the message (unknown user,
 * policy). A refused login or an unreachable server is the mailbox's problem, not the mail's:
 * those retry, so mail goes out once the admin fixes the settings.
 */
function permanentFailure(error: unknown): boolean {
  const { responseCode, code } = error as { responseCode?: unknown; code?: unknown };
  return (
    typeof responseCode === 'number' &&
    responseCode >= 500 &&
    responseCode < 600 &&
    (code === 'EENVELOPE' || code === 'EMESSAGE')
  );
}

const reasonOf = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, 500);

async function giveUp(
  deps: Deps,
  outboxId: string | null,
  mail: MailMessage,
  reason: string,
): Promise<void> {
  if (!outboxId) return;
  await markDeliveryFailed(deps, outboxId);
  const [row] = await deps.db
    .select({ conversationId: outboxTable.conversationId, messageId: outboxTable.messageId })
    .from(outboxTable)
    .where(eq(outboxTable.id, outboxId));
  if (!row) return;
  const conversation = await getConversationRow(deps.db, row.conversationId);
  const locale = isLocale(conversation.language) ? conversation.language : 'en';
  await sendSystemMessage(deps, row.conversationId, {
    private: true,
    text: translate(locale, 'mail.noteBounce', { recipient: mail.to, reason }),
    meta: { kind: 'email_send_failed', messageId: row.messageId },
  });
}

/** The `email.send` job. */
export function createEmailSendHandler(deps: Deps): JobHandler {
  const logger = deps.logger.child({ component: 'email-send' });
  return async (job) => {
    const { sealed, inboxId, outboxId } = job.payload;
    if (typeof sealed !== 'string' || typeof inboxId !== 'string') {
      logger.warn({ jobId: job.id }, 'email job without a message; dropped');
      return;
    }
    const mail = JSON.parse(
      decryptSecret(deps.config.secretKey, SEAL_PURPOSE, sealed),
    ) as MailMessage;
    const outbox = typeof outboxId === 'string' ? outboxId : null;
    const inbox = await getInboxRow(deps.db, inboxId).catch(() => null);
    if (!inbox) {
      logger.warn({ jobId: job.id, inboxId }, 'email dropped: the mailbox was removed');
      await giveUp(deps, outbox, mail, 'the mailbox was removed');
      return;
    }
    const now = () => deps.clock.now().toISOString();
    let messageId: string;
    try {
      ({ messageId } = await senderFor(deps, inbox)(mail));
    } catch (error) {
      const reason = reasonOf(error);
      await recordEmailStatus(deps.db, inboxId, 'outboundStatus', {
        state: 'error',
        at: now(),
        error: reason,
      });
      if (permanentFailure(error)) {
        logger.warn({ jobId: job.id, inboxId, err: reason }, 'email refused for good');
        await giveUp(deps, outbox, mail, reason);
        return;
      }
      if (job.attempts >= job.maxAttempts) await giveUp(deps, outbox, mail, reason);
      throw error;
    }
    // Sent: a failure to record the mailbox's status must not send the mail again.
    logger.info({ jobId: job.id, inboxId, messageId }, 'email sent');
    await recordEmailStatus(deps.db, inboxId, 'outboundStatus', {
      state: 'ok',
      at: now(),
      error: null,
    }).catch((error: unknown) =>
      logger.warn({ jobId: job.id, inboxId, err: reasonOf(error) }, 'mailbox status not recorded'),
    );
  };
}
