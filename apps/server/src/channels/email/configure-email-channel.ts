import type {
  TCreateEmailChannel,
  TEmailDkim,
  TEmailSmtpOutbound,
  TUpdateEmailChannel,
} from '@kefu/shared';
import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../audit/record-audit.ts';
import type { Actor, Deps } from '../../deps.ts';
import { getInboxRow, type InboxRow } from '../../inboxes/inboxes.ts';
import { inboxes } from '../../inboxes/schema.ts';
import { AppError } from '../../lib/app-error.ts';
import {
  type DkimSettings,
  domainOf,
  type EmailInboxSettings,
  emailSettingsOf,
  type OutboundSmtpSettings,
  sealDkimKey,
  sealImapPassword,
  sealSmtpPassword,
} from './settings.ts';

type Secrets = Pick<Deps['config'], 'secretKey'>;

function outboundSettings(
  config: Secrets,
  input: TEmailSmtpOutbound,
  current: OutboundSmtpSettings | null,
): OutboundSmtpSettings {
  const user = input.user?.trim() || null;
  // The password is write-only: omitted, the stored one stays (for the same user).
  const passwordSealed = input.password
    ? sealSmtpPassword(config.secretKey, input.password)
    : user && current?.user === user
      ? current.passwordSealed
      : null;
  if (user && !passwordSealed)
    throw new AppError('email.password_required', { vars: { server: input.host } });
  return {
    host: input.host,
    port: input.port,
    security: input.security,
    user,
    passwordSealed,
  };
}

function dkimSettings(
  config: Secrets,
  input: TEmailDkim,
  address: string,
  current: DkimSettings | null,
): DkimSettings {
  const domain = input.domain ?? domainOf(address);
  if (!input.privateKey) {
    if (!current) throw new AppError('email.dkim_key_invalid');
    return { ...current, selector: input.selector, domain };
  }
  const sealed = sealDkimKey(config.secretKey, input.privateKey);
  if (!sealed) throw new AppError('email.dkim_key_invalid');
  return { selector: input.selector, domain, ...sealed };
}

/** The settings of a new mailbox; passwords and the DKIM key are sealed with KEFU_SECRET_KEY. */
export function newEmailSettings(
  config: Secrets,
  input: TCreateEmailChannel,
): Record<string, unknown> {
  const { imap, smtpOutbound, dkim } = input;
  return {
    address: input.address,
    smtpInbound: input.smtpInbound,
    ...(imap
      ? {
          imap: {
            host: imap.host,
            port: imap.port,
            secure: imap.secure,
            user: imap.user,
            mailbox: imap.mailbox,
            passwordSealed: sealImapPassword(config.secretKey, imap.password),
          },
        }
      : {}),
    ...(smtpOutbound ? { smtpOutbound: outboundSettings(config, smtpOutbound, null) } : {}),
    ...(dkim ? { dkim: dkimSettings(config, dkim, input.address, null) } : {}),
  };
}

/**
 * Changes a mailbox. Only the keys given change (jsonb merge), so the IMAP position and the
 * connection states written by running watchers are kept; secrets left out stay as they were.
 */
export async function updateEmailChannel(
  deps: Pick<Deps, 'db' | 'config'>,
  actor: Actor,
  id: string,
  input: TUpdateEmailChannel,
): Promise<InboxRow> {
  const row = await getInboxRow(deps.db, id);
  if (row.channel !== 'email') throw new AppError('inbox.not_found');
  const current: EmailInboxSettings = emailSettingsOf(row);
  const patch: Record<string, unknown> = {};
  if (input.smtpInbound !== undefined) patch.smtpInbound = input.smtpInbound;
  if (input.imap === null) Object.assign(patch, { imap: null, imapStatus: null });
  else if (input.imap) {
    const { password, ...rest } = input.imap;
    const sameAccount =
      current.imap && current.imap.host === rest.host && current.imap.user === rest.user;
    const passwordSealed = password
      ? sealImapPassword(deps.config.secretKey, password)
      : sameAccount
        ? current.imap?.passwordSealed
        : null;
    if (!passwordSealed)
      throw new AppError('email.password_required', { vars: { server: rest.host } });
    patch.imap = { ...rest, passwordSealed };
    // Another server or mailbox has its own UIDs.
    if (!sameAccount || current.imap?.mailbox !== rest.mailbox || current.imap?.port !== rest.port)
      patch.imapState = null;
  }
  if (input.smtpOutbound === null) patch.smtpOutbound = null;
  else if (input.smtpOutbound)
    patch.smtpOutbound = outboundSettings(deps.config, input.smtpOutbound, current.smtpOutbound);
  if (input.dkim === null) patch.dkim = null;
  else if (input.dkim)
    patch.dkim = dkimSettings(deps.config, input.dkim, current.address, current.dkim);

  return deps.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(inboxes)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.defaultTeamId !== undefined ? { defaultTeamId: input.defaultTeamId } : {}),
        settings: sql`${inboxes.settings} || ${JSON.stringify(patch)}::jsonb`,
      })
      .where(eq(inboxes.id, id))
      .returning();
    if (!updated) throw new AppError('inbox.not_found');
    await recordAudit(tx, actor, {
      action: 'inbox.updated',
      targetType: 'inbox',
      targetId: id,
      // Which settings changed, never their values.
      data: { channel: 'email', changed: [...Object.keys(input)].sort() },
    });
    return updated;
  });
}
