import type { DNSResolver } from 'mailauth';
import { domainOf } from './settings.ts';

export type { DNSResolver };

/** What agents see about a mail's sender authentication (stored in the message meta). */
export type EmailAuthSummary = {
  spf: string;
  dkim: string;
  dmarc: string;
  fromDomain: string | null;
  /** Claims to come from the exchange's own domain and failed SPF or DMARC. */
  spoofed: boolean;
};

const FAILED = new Set(['fail', 'softfail']);

function isOwnDomain(fromDomain: string | null, ownDomain: string): boolean {
  return !!fromDomain && (fromDomain === ownDomain || fromDomain.endsWith(`.${ownDomain}`));
}

/** SPF, DKIM and DMARC of a mail received over SMTP, from the connecting IP and envelope. */
export async function checkEmailAuthentication(
  raw: Buffer,
  input: {
    ip: string;
    helo: string | null;
    mailFrom: string | null;
    fromAddress: string | null;
    ownAddress: string;
    resolver?: DNSResolver;
  },
): Promise<EmailAuthSummary> {
  const fromDomain = input.fromAddress ? domainOf(input.fromAddress) : null;
  try {
    const { authenticate } = await import('mailauth');
    const result = await authenticate(raw, {
      ip: input.ip.replace(/^::ffff:/, ''),
      helo: input.helo ?? undefined,
      sender: input.mailFrom ?? '',
      disableArc: true,
      disableBimi: true,
      ...(input.resolver ? { resolver: input.resolver } : {}),
    });
    const spf = result.spf ? result.spf.status.result : 'none';
    const dmarc = result.dmarc ? result.dmarc.status.result : 'none';
    const dkim = result.dkim.results[0]?.status.result ?? 'none';
    const spoofed =
      isOwnDomain(fromDomain, domainOf(input.ownAddress)) &&
      dmarc !== 'pass' &&
      (FAILED.has(dmarc) || FAILED.has(spf));
    return { spf, dkim, dmarc, fromDomain, spoofed };
  } catch {
    return { spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', fromDomain, spoofed: false };
  }
}

/**
 * Mail fetched over IMAP: the provider already checked it; its Authentication-Results header
 * says how (`spf=fail … dmarc=fail`).
 */
export function summarizeAuthenticationResults(
  header: string | null,
  fromAddress: string | null,
  ownAddress: string,
): EmailAuthSummary {
  const fromDomain = fromAddress ? domainOf(fromAddress) : null;
  const pick = (name: string) =>
    header?.match(new RegExp(`\\b${name}=(\\w+)`, 'i'))?.[1]?.toLowerCase() ?? 'none';
  const spf = pick('spf');
  const dkim = pick('dkim');
  const dmarc = pick('dmarc');
  const spoofed =
    isOwnDomain(fromDomain, domainOf(ownAddress)) &&
    dmarc !== 'pass' &&
    (FAILED.has(dmarc) || FAILED.has(spf));
  return { spf, dkim, dmarc, fromDomain, spoofed };
}
