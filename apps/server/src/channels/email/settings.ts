import { createPrivateKey, createPublicKey } from 'node:crypto';
import type {
  TChannelStatus,
  TEmailChannel,
  TEmailImapSettings,
  TEmailSmtpOutbound,
} from '@kefu/shared';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { type InboxRow, inboxStatusOf, recordInboxStatus } from '../../inboxes/inboxes.ts';
import { inboxes } from '../../inboxes/schema.ts';
import { decryptSecret, encryptSecret } from '../../lib/crypto.ts';

const PASSWORD_PURPOSE = 'email.imap_password';
const SMTP_PASSWORD_PURPOSE = 'email.smtp_password';
const DKIM_KEY_PURPOSE = 'email.dkim_key';

/** Where an email inbox keeps its IMAP sync position: a restart neither refetches nor loses mail. */
export type ImapState = { uidValidity: string; lastUid: number };

/** What an email inbox stores in `inboxes.settings`. */
export type EmailInboxSettings = {
  address: string;
  smtpInbound: boolean;
  imap: (Omit<TEmailImapSettings, 'password'> & { passwordSealed: string }) | null;
  imapState: ImapState | null;
  smtpOutbound: OutboundSmtpSettings | null;
  dkim: DkimSettings | null;
  imapStatus: TChannelStatus | null;
  outboundStatus: TChannelStatus | null;
};

export type OutboundSmtpSettings = Omit<TEmailSmtpOutbound, 'password' | 'user'> & {
  user: string | null;
  passwordSealed: string | null;
};

export type DkimSettings = {
  selector: string;
  domain: string;
  privateKeySealed: string;
  /** The public key (base64 DER), to show the DNS record to publish. */
  publicKey: string;
};

export function emailSettingsOf(row: Pick<InboxRow, 'settings'>): EmailInboxSettings {
  const s = row.settings;
  const imap = s.imap as EmailInboxSettings['imap'] | undefined;
  const state = s.imapState as ImapState | undefined;
  const smtp = s.smtpOutbound as OutboundSmtpSettings | undefined;
  const dkim = s.dkim as DkimSettings | undefined;
  return {
    address: typeof s.address === 'string' ? s.address.toLowerCase() : '',
    smtpInbound: s.smtpInbound !== false,
    imap: imap && typeof imap.host === 'string' ? imap : null,
    imapState:
      state && typeof state.uidValidity === 'string' && typeof state.lastUid === 'number'
        ? state
        : null,
    smtpOutbound: smtp && typeof smtp.host === 'string' ? smtp : null,
    dkim: dkim && typeof dkim.privateKeySealed === 'string' ? dkim : null,
    imapStatus: inboxStatusOf(row, 'imapStatus'),
    outboundStatus: inboxStatusOf(row, 'outboundStatus'),
  };
}

export function sealSmtpPassword(secretKey: string, password: string): string {
  return encryptSecret(secretKey, SMTP_PASSWORD_PURPOSE, password);
}

export function openSmtpPassword(secretKey: string, sealed: string): string {
  return decryptSecret(secretKey, SMTP_PASSWORD_PURPOSE, sealed);
}

/** Checks a PEM private key and seals it; null when it is not a usable RSA or Ed25519 key. */
export function sealDkimKey(
  secretKey: string,
  pem: string,
): { privateKeySealed: string; publicKey: string } | null {
  try {
    const key = createPrivateKey(pem.trim());
    if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'ed25519') return null;
    const der = createPublicKey(key).export({ type: 'spki', format: 'der' });
    return {
      privateKeySealed: encryptSecret(secretKey, DKIM_KEY_PURPOSE, pem.trim()),
      publicKey: der.toString('base64'),
    };
  } catch {
    return null;
  }
}

export function openDkimKey(secretKey: string, sealed: string): string {
  return decryptSecret(secretKey, DKIM_KEY_PURPOSE, sealed);
}

/** The TXT record that publishes a DKIM public key. */
export function dkimDnsRecord(publicKeyDer: string): string {
  const der = Buffer.from(publicKeyDer, 'base64');
  // Ed25519 records carry the raw 32-byte key (RFC 8463), RSA the SubjectPublicKeyInfo.
  return der.length === 44
    ? `v=DKIM1; k=ed25519; p=${der.subarray(12).toString('base64')}`
    : `v=DKIM1; k=rsa; p=${publicKeyDer}`;
}

/** Records a connection's state (IMAP, outbound SMTP) for the admin screen. */
export function recordEmailStatus(
  db: DbOrTx,
  inboxId: string,
  key: 'imapStatus' | 'outboundStatus',
  status: TChannelStatus,
): Promise<void> {
  return recordInboxStatus(db, inboxId, key, status);
}

export function sealImapPassword(secretKey: string, password: string): string {
  return encryptSecret(secretKey, PASSWORD_PURPOSE, password);
}

export function openImapPassword(secretKey: string, sealed: string): string {
  return decryptSecret(secretKey, PASSWORD_PURPOSE, sealed);
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

export async function findEmailInboxes(db: DbOrTx): Promise<InboxRow[]> {
  return db.select().from(inboxes).where(eq(inboxes.channel, 'email')).orderBy(inboxes.createdAt);
}

/** The email inbox that receives mail for this address, if any. */
export async function findEmailInboxByAddress(
  db: DbOrTx,
  address: string,
): Promise<InboxRow | undefined> {
  const [row] = await db
    .select()
    .from(inboxes)
    .where(
      and(
        eq(inboxes.channel, 'email'),
        sql`lower(${inboxes.settings}->>'address') = ${address.trim().toLowerCase()}`,
      ),
    )
    .limit(1);
  return row;
}

/**
 * Records how far IMAP was read. Only this key of the settings is written (jsonb_set), and the
 * last UID only moves forward within one UIDVALIDITY, so two nodes syncing at once cannot go back.
 */
export async function saveImapState(db: DbOrTx, inboxId: string, state: ImapState): Promise<void> {
  await db
    .update(inboxes)
    .set({
      settings: sql`jsonb_set(${inboxes.settings}, '{imapState}', ${JSON.stringify(state)}::jsonb, true)`,
    })
    .where(
      and(
        eq(inboxes.id, inboxId),
        sql`(${inboxes.settings}->'imapState' is null
          or ${inboxes.settings}->'imapState'->>'uidValidity' <> ${state.uidValidity}
          or (${inboxes.settings}->'imapState'->>'lastUid')::bigint < ${state.lastUid})`,
      ),
    );
}

export function toEmailChannel(row: InboxRow): TEmailChannel {
  const s = emailSettingsOf(row);
  return {
    id: row.id,
    name: row.name,
    address: s.address,
    smtpInbound: s.smtpInbound,
    imap: s.imap
      ? {
          host: s.imap.host,
          port: s.imap.port,
          secure: s.imap.secure,
          user: s.imap.user,
          mailbox: s.imap.mailbox,
          lastUid: s.imapState?.lastUid ?? null,
          hasPassword: !!s.imap.passwordSealed,
          status: s.imapStatus,
        }
      : null,
    smtpOutbound: s.smtpOutbound
      ? {
          host: s.smtpOutbound.host,
          port: s.smtpOutbound.port,
          security: s.smtpOutbound.security,
          user: s.smtpOutbound.user,
          hasPassword: !!s.smtpOutbound.passwordSealed,
        }
      : null,
    outboundStatus: s.outboundStatus,
    dkim: s.dkim
      ? {
          selector: s.dkim.selector,
          domain: s.dkim.domain,
          dnsName: `${s.dkim.selector}._domainkey.${s.dkim.domain}`,
          dnsRecord: dkimDnsRecord(s.dkim.publicKey),
        }
      : null,
    defaultTeamId: row.defaultTeamId,
    createdAt: row.createdAt.toISOString(),
  };
}
