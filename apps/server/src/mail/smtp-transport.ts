import { createTransport } from 'nodemailer';
import type { MailTransport } from './transport.ts';

/**
 * Sends through the SMTP server of SMTP_URL (smtp:// with STARTTLS when offered, smtps:// for
 * TLS from the start). Timeouts are short so a stuck server fails the job, which retries,
 * before the job's lease runs out.
 */
export function createSmtpTransport(options: { url: string; from: string }): MailTransport {
  const transporter = createTransport(
    {
      url: options.url,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    },
    { from: options.from },
  );
  return {
    async send(message) {
      const info = await transporter.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        ...(message.headers ? { headers: message.headers } : {}),
      });
      return { messageId: String(info.messageId) };
    },
  };
}
