import type { AddressInfo } from 'node:net';
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import type { Deps } from '../../deps.ts';
import type { InboxRow } from '../../inboxes/inboxes.ts';
import type { DNSResolver } from './authenticate.ts';
import { receiveEmail } from './receive-email.ts';
import { emailSettingsOf, findEmailInboxByAddress } from './settings.ts';

export type SmtpListener = { port: number; close: () => Promise<void> };

/** An SMTP reply with a code: smtp-server answers `err.responseCode err.message`. */
function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

async function inboxFor(deps: Deps, address: string): Promise<InboxRow | null> {
  const inbox = await findEmailInboxByAddress(deps.db, address);
  return inbox && emailSettingsOf(inbox).smtpInbound ? inbox : null;
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Kefu's own SMTP listener (KEFU_SMTP_LISTEN_PORT): accepts mail for the addresses of email
 * channels (550 for others) and answers 250 only once the pipeline committed the message; any
 * failure is a 451, so the sending server keeps the mail and retries.
 */
export async function startSmtpListener(
  deps: Deps,
  options: { port: number; host: string; maxBytes: number; resolver?: DNSResolver },
): Promise<SmtpListener> {
  const logger = deps.logger.child({ component: 'smtp-listener' });
  const { SMTPServer } = await import('smtp-server');
  const server = new SMTPServer({
    // STARTTLS needs a certificate; put a TLS-terminating MTA in front on the public internet.
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: options.maxBytes,
    logger: false,
    disableReverseLookup: true,
    closeTimeout: 2000,
    onRcptTo(address, _session, callback) {
      inboxFor(deps, address.address)
        .then((inbox) =>
          callback(
            inbox ? null : smtpError(550, `No mailbox here by the name <${address.address}>`),
          ),
        )
        .catch((error: unknown) => {
          logger.error({ err: error }, 'smtp: recipient lookup failed');
          callback(smtpError(451, 'Temporary failure, try again later'));
        });
    },
    onData(stream, session, callback) {
      handleData(deps, stream, session, options)
        .then(() => callback(null, 'Message accepted'))
        .catch((error: unknown) => {
          const coded = error as { responseCode?: number };
          if (coded.responseCode) return callback(error as Error);
          logger.error({ err: error }, 'smtp: message not accepted; the sender will retry');
          callback(smtpError(451, 'Temporary failure, try again later'));
        });
    },
  });
  server.on('error', (error) => logger.warn({ err: error }, 'smtp: connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  logger.info({ port, host: options.host }, 'smtp listener started');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handleData(
  deps: Deps,
  stream: SMTPServerDataStream,
  session: SMTPServerSession,
  options: { maxBytes: number; resolver?: DNSResolver },
): Promise<void> {
  const raw = await readAll(stream);
  if (stream.sizeExceeded)
    throw smtpError(552, `Message exceeds the size limit of ${options.maxBytes} bytes`);
  const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
  const seen = new Set<string>();
  for (const rcpt of session.envelope.rcptTo) {
    const inbox = await inboxFor(deps, rcpt.address);
    if (!inbox || seen.has(inbox.id)) continue;
    seen.add(inbox.id);
    const result = await receiveEmail(
      deps,
      inbox,
      raw,
      {
        source: 'smtp',
        remoteAddress: session.remoteAddress,
        helo: session.hostNameAppearsAs || null,
        mailFrom,
      },
      options.resolver ? { resolver: options.resolver } : {},
    );
    deps.logger.info({ inboxId: inbox.id, ...result }, 'smtp: mail received');
  }
}
