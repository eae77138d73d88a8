import { randomUUID } from 'node:crypto';
import type { Logger } from '../lib/logger.ts';
import type { MailTransport } from './transport.ts';

/**
 * Development mail (SMTP_URL unset): nothing leaves the machine. Recipient and subject are
 * logged at info; the body, which may hold a one-time code, only at debug.
 */
export function createLogTransport(logger: Logger): MailTransport {
  return {
    async send(message) {
      const messageId = `<${randomUUID()}@kefu.local>`;
      logger.info(
        { to: message.to, subject: message.subject, messageId },
        'mail not sent: SMTP_URL is not set (LOG_LEVEL=debug shows the body)',
      );
      logger.debug({ messageId, text: message.text }, 'mail body');
      return { messageId };
    },
  };
}
