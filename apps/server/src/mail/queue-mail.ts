import type { Config } from '../config.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { enqueueJob, type JobHandler } from '../jobs/queue.ts';
import { decryptSecret, encryptSecret } from '../lib/crypto.ts';
import { createMailTransport, type MailMessage } from './transport.ts';

export const MAIL_QUEUE = 'mail.send';
// Mails can hold one-time codes and customers' words: the job row keeps them encrypted.
const SEAL_PURPOSE = 'mail.send';

export type QueueMailOptions = {
  /** What the mail is, for logs (`ticket_lookup_code`…). */
  kind: string;
  /** Not worth sending after this (a code that has expired). */
  discardAfter?: Date;
  maxAttempts?: number;
};

/**
 * Queues a mail as a durable job. Pass the caller's transaction: the mail exists exactly when
 * the change that wants it commits. Call deps.kickJobs() after the commit.
 */
export async function queueMail(
  db: DbOrTx,
  config: Pick<Config, 'secretKey'>,
  message: MailMessage,
  options: QueueMailOptions,
): Promise<void> {
  await enqueueJob(db, {
    queue: MAIL_QUEUE,
    payload: {
      kind: options.kind,
      sealed: encryptSecret(config.secretKey, SEAL_PURPOSE, JSON.stringify(message)),
      ...(options.discardAfter ? { discardAfter: options.discardAfter.toISOString() } : {}),
    },
    maxAttempts: options.maxAttempts ?? 10,
  });
}

/** The `mail.send` job: opens the sealed mail and hands it to the transport; a throw retries with backoff. */
export function createMailJobHandler(
  deps: Pick<Deps, 'config' | 'logger' | 'clock' | 'mail'>,
): JobHandler {
  const transport = deps.mail ?? createMailTransport(deps.config, deps.logger);
  const logger = deps.logger.child({ component: 'mail' });
  return async (job) => {
    const { sealed, kind, discardAfter } = job.payload;
    if (typeof sealed !== 'string') {
      logger.warn({ jobId: job.id }, 'mail job without a message; dropped');
      return;
    }
    if (
      typeof discardAfter === 'string' &&
      new Date(discardAfter).getTime() <= deps.clock.now().getTime()
    ) {
      logger.warn(
        { jobId: job.id, kind, attempts: job.attempts },
        'mail dropped: too late to send',
      );
      return;
    }
    const message = JSON.parse(
      decryptSecret(deps.config.secretKey, SEAL_PURPOSE, sealed),
    ) as MailMessage;
    const { messageId } = await transport.send(message);
    logger.info({ jobId: job.id, kind, messageId }, 'mail sent');
  };
}
