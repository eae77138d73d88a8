import {
  DEFAULT_WIDGET_COLOR,
  PRE_CHAT_OFF,
  type TLocale,
  type TPreChat,
  type TPreChatSubmit,
  type TUpdateWidgetInbox,
  type TWidgetConfig,
  type TWidgetInbox,
} from '@kefu/shared';
import { translate } from '@kefu/shared/i18n';
import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit } from '../../audit/record-audit.ts';
import { getContactRow, updateContact } from '../../contacts/contacts.ts';
import type { Actor, Deps } from '../../deps.ts';
import { getInboxRow, type InboxRow } from '../../inboxes/inboxes.ts';
import { inboxes } from '../../inboxes/schema.ts';
import { AppError } from '../../lib/app-error.ts';
import { randomToken } from '../../lib/crypto.ts';
import type { CustomerClaims } from '../../realtime/customer-token.ts';

const ZStoredConfig = z.object({
  color: z.string().catch(DEFAULT_WIDGET_COLOR).default(DEFAULT_WIDGET_COLOR),
  greeting: z
    .object({ en: z.string(), 'zh-CN': z.string() })
    .catch({ en: '', 'zh-CN': '' })
    .default({ en: '', 'zh-CN': '' }),
  preChat: z
    .object({
      name: z.enum(['off', 'optional', 'required']),
      email: z.enum(['off', 'optional', 'required']),
      topic: z.enum(['off', 'optional', 'required']),
      topics: z.array(z.object({ id: z.string(), en: z.string(), 'zh-CN': z.string() })),
    })
    .catch(PRE_CHAT_OFF)
    .default(PRE_CHAT_OFF),
});

/** The widget's look and pre-chat form, from the inbox settings (defaults for what is unset). */
export function widgetConfigOf(row: Pick<InboxRow, 'settings'>): TWidgetConfig {
  return ZStoredConfig.parse(row.settings);
}

function allowedOriginsOf(row: Pick<InboxRow, 'settings'>): string[] {
  const value = row.settings.allowedOrigins;
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function toWidgetInbox(row: InboxRow): TWidgetInbox {
  return {
    id: row.id,
    name: row.name,
    siteToken: row.publicToken,
    allowedOrigins: allowedOriginsOf(row),
    identitySecretHint: `…${row.identitySecret.slice(-4)}`,
    config: widgetConfigOf(row),
    createdAt: row.createdAt.toISOString(),
  };
}

async function getWidgetInboxRow(deps: Pick<Deps, 'db'>, id: string): Promise<InboxRow> {
  const row = await getInboxRow(deps.db, id);
  if (row.channel !== 'widget') throw new AppError('inbox.not_found');
  return row;
}

export async function findWidgetInboxes(deps: Pick<Deps, 'db'>): Promise<TWidgetInbox[]> {
  const rows = await deps.db
    .select()
    .from(inboxes)
    .where(eq(inboxes.channel, 'widget'))
    .orderBy(asc(inboxes.createdAt));
  return rows.map(toWidgetInbox);
}

export async function updateWidgetInbox(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  id: string,
  input: TUpdateWidgetInbox,
): Promise<TWidgetInbox> {
  return deps.db.transaction(async (tx) => {
    const row = await getWidgetInboxRow({ db: tx as Deps['db'] }, id);
    const settings: Record<string, unknown> = { ...row.settings };
    if (input.allowedOrigins)
      settings.allowedOrigins = [...new Set(input.allowedOrigins.map((o) => new URL(o).origin))];
    if (input.color) settings.color = input.color.toLowerCase();
    if (input.greeting) settings.greeting = input.greeting;
    if (input.preChat) settings.preChat = input.preChat;
    const [updated] = await tx
      .update(inboxes)
      .set({ settings, ...(input.name ? { name: input.name } : {}) })
      .where(eq(inboxes.id, row.id))
      .returning();
    if (!updated) throw new AppError('inbox.not_found');
    await recordAudit(tx, actor, {
      action: 'inbox.widget_settings_changed',
      targetType: 'inbox',
      targetId: row.id,
      data: { fields: Object.keys(input) },
    });
    return toWidgetInbox(updated);
  });
}

/** A new identity-verification secret: returned this once; the old one stops working at once. */
export async function regenerateIdentitySecret(
  deps: Pick<Deps, 'db'>,
  actor: Actor,
  id: string,
): Promise<{ identitySecret: string }> {
  return deps.db.transaction(async (tx) => {
    const row = await getWidgetInboxRow({ db: tx as Deps['db'] }, id);
    const identitySecret = randomToken(32);
    await tx.update(inboxes).set({ identitySecret }).where(eq(inboxes.id, row.id));
    await recordAudit(tx, actor, {
      action: 'inbox.identity_secret_regenerated',
      targetType: 'inbox',
      targetId: row.id,
    });
    return { identitySecret };
  });
}

const EMAIL = z.email();

/** What the pre-chat form still needs from this customer (identified customers may have it all). */
export function preChatNeeds(
  preChat: TPreChat | TWidgetConfig['preChat'],
  contact: { name: string | null; email: string | null },
) {
  return {
    name: preChat.name !== 'off' && !contact.name,
    email: preChat.email !== 'off' && !contact.email,
    topic: preChat.topic !== 'off',
  };
}

/** Checks a topic against the inbox's form; undefined when the form asks none. */
export function checkTopic(config: TWidgetConfig, topic: string | undefined): string | undefined {
  if (!topic || config.preChat.topic === 'off') return undefined;
  if (!config.preChat.topics.some((t) => t.id === topic))
    throw new AppError('prechat.topic_unknown');
  return topic;
}

/**
 * The pre-chat form's answers: checked against the inbox's form (messages in the customer's
 * language), name and email kept on the contact. The topic goes with the first message.
 */
export async function submitPreChat(
  deps: Pick<Deps, 'db' | 'clock'>,
  claims: CustomerClaims,
  input: TPreChatSubmit,
  locale: TLocale,
): Promise<{ topic: string | null }> {
  const inbox = await getWidgetInboxRow(deps, claims.inboxId);
  const config = widgetConfigOf(inbox);
  const contact = await getContactRow(deps.db, claims.contactId);
  const needs = preChatNeeds(config.preChat, contact);
  const name = input.name?.trim() || undefined;
  const email = input.email?.trim() || undefined;
  const topic = input.topic?.trim() || undefined;
  const missing = (
    [
      ['name', needs.name && config.preChat.name === 'required' && !name],
      ['email', needs.email && config.preChat.email === 'required' && !email],
      ['topic', config.preChat.topic === 'required' && !topic],
    ] as const
  )
    .filter(([, absent]) => absent)
    .map(([field]) => translate(locale, `customer.field_${field}`));
  if (missing.length > 0)
    throw new AppError('prechat.incomplete', {
      vars: { fields: missing.join(locale === 'zh-CN' ? '、' : ', ') },
    });
  if (email && !EMAIL.safeParse(email).success) throw new AppError('prechat.email_invalid');
  const checkedTopic = checkTopic(config, topic);
  // Only what the contact lacks: a verified customer's name and email come from the exchange.
  const update = {
    ...(needs.name && name ? { name } : {}),
    ...(needs.email && email ? { email: email.toLowerCase() } : {}),
  };
  if (Object.keys(update).length > 0)
    await updateContact(deps, { type: 'contact', id: contact.id }, contact.id, update);
  return { topic: checkedTopic ?? null };
}

/** The conversation fields a first message's pre-chat topic sets (checked against the form). */
export async function preChatFields(
  deps: Pick<Deps, 'db'>,
  inboxId: string,
  topic: string | undefined,
): Promise<Record<string, unknown> | undefined> {
  if (!topic) return undefined;
  const checked = checkTopic(widgetConfigOf(await getWidgetInboxRow(deps, inboxId)), topic);
  return checked ? { preChat: { topic: checked } } : undefined;
}

/**
 * "Leave your email" (outside business hours): kept on the contact, so an agent's reply that
 * finds no open chat also goes by email, and the customer's email answer threads back.
 * A contact that has an email keeps it.
 */
export async function leaveEmail(
  deps: Pick<Deps, 'db' | 'clock'>,
  claims: CustomerClaims,
  email: string,
): Promise<{ email: string }> {
  const value = email.trim().toLowerCase();
  if (!EMAIL.safeParse(value).success) throw new AppError('prechat.email_invalid');
  const contact = await getContactRow(deps.db, claims.contactId);
  if (contact.email) return { email: contact.email };
  await updateContact(deps, { type: 'contact', id: contact.id }, contact.id, { email: value });
  return { email: value };
}
