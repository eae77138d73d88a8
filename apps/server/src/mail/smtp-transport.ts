import type { Transporter } from 'nodemailer';
import type { MailTransport } from './transport.ts';

/**
 * Sends through the SMTP server of SMTP_URL (smtp:// with STARTTLS when offered, smtps:// for
 * TLS from the start). Timeouts are short so a stuck server fails the job, which retries,
 * before the job's lease runs out.
 */
export function createSmtpTransport(options: { url: string; from: string }): MailTransport {
  // nodemailer is loaded with the first mail, not with every start.
  let transporter: Promise<Transporter> | undefined;
  return {
    async send(message) {
      transporter ??= import('nodemailer').then(({ createTransport }) =>
        createTransport(
          {
            url: options.url,
            connectionTimeout: 10_000,
            greetingTimeout: 10_000,
            socketTimeout: 30_000,
          },
          { from: options.from },
        ),
      );
      const info = await (await transporter).sendMail({
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
