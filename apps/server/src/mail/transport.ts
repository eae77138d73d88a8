import type { Config } from '../config.ts';
import type { Logger } from '../lib/logger.ts';
import { createLogTransport } from './log-transport.ts';
import { createSmtpTransport } from './smtp-transport.ts';

export type MailMessage = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
};

/** Where mail leaves Kefu. Only the `mail.send` job calls it, so a slow server delays no request. */
export type MailTransport = {
  send(message: MailMessage): Promise<{ messageId: string }>;
};

/** SMTP when SMTP_URL is set; otherwise the development transport that only logs. */
export function createMailTransport(
  config: Pick<Config, 'smtpUrl' | 'mailFrom'>,
  logger: Logger,
): MailTransport {
  return config.smtpUrl
    ? createSmtpTransport({ url: config.smtpUrl, from: config.mailFrom })
    : createLogTransport(logger.child({ component: 'mail' }));
}
