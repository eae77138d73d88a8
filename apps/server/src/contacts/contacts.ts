import type { TContact } from '@kefu/shared';
import { and, desc, eq, gt, ilike, isNull, lt, or, sql } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Actor, Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import { contacts } from './schema.ts';

export type ContactRow = typeof contacts.$inferSelect;

export function toContact(row: ContactRow): TContact {
  return {
    id: row.id,
    exchangeUid: row.exchangeUid,
    name: row.name,
    email: row.email,
    phone: row.phone,
    telegramId: row.telegramId,
    locale: row.locale,
    vipLevel: row.vipLevel,
    kycLevel: row.kycLevel,
    attributes: row.attributes,
    mergedIntoId: row.mergedIntoId,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The contact, following merges to the surviving one. */
export async function getContactRow(db: DbOrTx, id: string): Promise<ContactRow> {
  let current = id;
  for (let hops = 0; hops < 5; hops++) {
    const [row] = await db.select().from(contacts).where(eq(contacts.id, current));
    if (!row) throw new AppError('contact.not_found');
    if (!row.mergedIntoId) return row;
    current = row.mergedIntoId;
  }
  throw new AppError('contact.not_found');
}

export type ContactIdentity = {
  exchangeUid?: string | null;
  email?: string | null;
  telegramId?: string | null;
  name?: string | null;
  locale?: string | null;
};

/**
 * Finds the contact a channel identifies (exchange UID, then Telegram id, then email), or
 * creates one. Only verified identities may carry an exchange UID.
 */
export async function findOrCreateContact(
  db: DbOrTx,
  identity: ContactIdentity,
): Promise<ContactRow> {
  const match = identity.exchangeUid
    ? eq(contacts.exchangeUid, identity.exchangeUid)
    : identity.telegramId
      ? eq(contacts.telegramId, identity.telegramId)
      : identity.email
        ? eq(contacts.email, identity.email.toLowerCase())
        : undefined;
  if (match) {
    const [row] = await db
      .select()
      .from(contacts)
      .where(and(match, isNull(contacts.mergedIntoId)))
      .orderBy(contacts.createdAt)
      .limit(1);
    if (row) return row;
  }
  const [created] = await db
    .insert(contacts)
    .values({
      exchangeUid: identity.exchangeUid ?? null,
      email: identity.email?.toLowerCase() ?? null,
      telegramId: identity.telegramId ?? null,
      name: identity.name ?? null,
      locale: identity.locale ?? null,
    })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  // Another request created the same UID at the same moment.
  return findOrCreateContact(db, identity);
}

export async function findContacts(
  deps: Pick<Deps, 'db'>,
  query: { q?: string; limit: number },
): Promise<TContact[]> {
  const q = query.q?.trim();
  const where = q
    ? and(
        isNull(contacts.mergedIntoId),
        or(
          ilike(contacts.name, `%${q}%`),
          ilike(contacts.email, `%${q}%`),
          eq(contacts.exchangeUid, q),
          eq(contacts.telegramId, q),
          eq(contacts.phone, q),
        ),
      )
    : isNull(contacts.mergedIntoId);
  const rows = await deps.db
    .select()
    .from(contacts)
    .where(where)
    .orderBy(desc(contacts.updatedAt))
    .limit(query.limit);
  return rows.map(toContact);
}

export type ContactUpdate = Partial<
  Pick<
    ContactRow,
    'name' | 'email' | 'phone' | 'locale' | 'vipLevel' | 'kycLevel' | 'attributes' | 'exchangeUid'
  >
>;

export async function updateContact(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: Actor,
  id: string,
  input: ContactUpdate,
): Promise<TContact> {
  return deps.db.transaction(async (tx) => {
    const row = await getContactRow(tx, id);
    const [updated] = await tx
      .update(contacts)
      .set({
        ...input,
        ...(input.email ? { email: input.email.toLowerCase() } : {}),
        updatedAt: deps.clock.now(),
      })
      .where(eq(contacts.id, row.id))
      .returning();
    await recordAudit(tx, actor, {
      action: 'contact.updated',
      targetType: 'contact',
      targetId: row.id,
      data: { changes: input },
    });
    if (!updated) throw new AppError('contact.not_found');
    return toContact(updated);
  });
}

/**
 * Merges a duplicate contact into the one that stays: conversations move over, identifiers the
 * survivor lacks are copied, and the duplicate points at the survivor from then on.
 */
export async function mergeContacts(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: Actor,
  survivorId: string,
  duplicateId: string,
  moveConversations: (tx: DbOrTx, from: string, to: string) => Promise<number>,
): Promise<TContact> {
  return deps.db.transaction(async (tx) => {
    const survivor = await getContactRow(tx, survivorId);
    const duplicate = await getContactRow(tx, duplicateId);
    if (survivor.id === duplicate.id) throw new AppError('contact.merge_invalid');
    const moved = await moveConversations(tx, duplicate.id, survivor.id);
    await tx
      .update(contacts)
      .set({ mergedIntoId: survivor.id, exchangeUid: null, updatedAt: deps.clock.now() })
      .where(eq(contacts.id, duplicate.id));
    const [updated] = await tx
      .update(contacts)
      .set({
        exchangeUid: survivor.exchangeUid ?? duplicate.exchangeUid,
        email: survivor.email ?? duplicate.email,
        phone: survivor.phone ?? duplicate.phone,
        telegramId: survivor.telegramId ?? duplicate.telegramId,
        name: survivor.name ?? duplicate.name,
        vipLevel: Math.max(survivor.vipLevel, duplicate.vipLevel),
        kycLevel: Math.max(survivor.kycLevel, duplicate.kycLevel),
        attributes: sql`${JSON.stringify(duplicate.attributes)}::jsonb || ${contacts.attributes}`,
        updatedAt: deps.clock.now(),
      })
      .where(eq(contacts.id, survivor.id))
      .returning();
    await recordAudit(tx, actor, {
      action: 'contact.merged',
      targetType: 'contact',
      targetId: survivor.id,
      data: { mergedId: duplicate.id, conversationsMoved: moved },
    });
    if (!updated) throw new AppError('contact.not_found');
    return toContact(updated);
  });
}

/** A contact's last-seen time is kept to the minute: a chatting customer's every line need not rewrite the row. */
export const CONTACT_SEEN_RESOLUTION_MS = 60_000;

export async function touchContact(db: DbOrTx, id: string, now: Date): Promise<void> {
  await db
    .update(contacts)
    .set({ lastSeenAt: now })
    .where(
      and(
        eq(contacts.id, id),
        or(
          isNull(contacts.lastSeenAt),
          lt(contacts.lastSeenAt, new Date(now.getTime() - CONTACT_SEEN_RESOLUTION_MS)),
          gt(contacts.lastSeenAt, now),
        ),
      ),
    );
}
