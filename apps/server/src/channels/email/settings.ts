import type { TEmailChannel, TEmailImapSettings } from '@kefu/shared';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import type { InboxRow } from '../../inboxes/inboxes.ts';
import { inboxes } from '../../inboxes/schema.ts';
import { decryptSecret, encryptSecret } from '../../lib/crypto.ts';

const PASSWORD_PURPOSE = 'email.imap_password';

/** Where an email inbox keeps its IMAP sync position: a restart neither refetches nor loses mail. */
export type ImapState = { uidValidity: string; lastUid: number };

/** What an email inbox stores in `inboxes.settings`. */
export type EmailInboxSettings = {
  address: string;
  smtpInbound: boolean;
  imap: (Omit<TEmailImapSettings, 'password'> & { passwordSealed: string }) | null;
  imapState: ImapState | null;
};

export function emailSettingsOf(row: Pick<InboxRow, 'settings'>): EmailInboxSettings {
  const s = row.settings;
  const imap = s.imap as EmailInboxSettings['imap'] | undefined;
  const state = s.imapState as ImapState | undefined;
  return {
    address: typeof s.address === 'string' ? s.address.toLowerCase() : '',
    smtpInbound: s.smtpInbound !== false,
    imap: imap && typeof imap.host === 'string' ? imap : null,
    imapState:
      state && typeof state.uidValidity === 'string' && typeof state.lastUid === 'number'
        ? state
        : null,
  };
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
        }
      : null,
    defaultTeamId: row.defaultTeamId,
    createdAt: row.createdAt.toISOString(),
  };
}
