import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { messages, outbox } from '../../conversations/schema.ts';
import type { DbOrTx } from '../../db/client.ts';

/** Message-IDs Kefu gives its own mails: `<kefu.{message uuid}@{inbox domain}>`. */
const OWN_ID = /^kefu\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@/i;

export function ownMessageId(messageId: string, domain: string): string {
  return `kefu.${messageId}@${domain}`;
}

export function kefuMessageIdOf(emailMessageId: string): string | null {
  return emailMessageId.match(OWN_ID)?.[1]?.toLowerCase() ?? null;
}

/** Kefu message ids referenced anywhere in a raw mail (a bounce quotes the mail it returns). */
export function kefuMessageIdsIn(raw: string): string[] {
  return [
    ...new Set(
      [
        ...raw.matchAll(/kefu\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@/gi),
      ].map((m) => (m[1] ?? '').toLowerCase()),
    ),
  ];
}

/**
 * The conversation a reply belongs to, from the ids in In-Reply-To and References: Kefu's own
 * outbound ids, or the Message-IDs of earlier inbound mail (kept in messages.meta).
 */
export async function findConversationByEmailIds(
  db: DbOrTx,
  emailIds: string[],
): Promise<string | null> {
  if (emailIds.length === 0) return null;
  const ours = emailIds.map(kefuMessageIdOf).filter((id): id is string => !!id);
  if (ours.length > 0) {
    const [row] = await db
      .select({ conversationId: messages.conversationId })
      .from(messages)
      .where(inArray(messages.id, ours))
      .orderBy(desc(messages.createdAt))
      .limit(1);
    if (row) return row.conversationId;
  }
  const [row] = await db
    .select({ conversationId: messages.conversationId })
    .from(messages)
    .where(inArray(sql<string>`${messages.meta}->>'emailMessageId'`, emailIds.slice(0, 50)))
    .orderBy(desc(messages.createdAt))
    .limit(1);
  return row?.conversationId ?? null;
}

/** The customer's Message-IDs in a conversation, oldest first: In-Reply-To and References of an answer. */
export async function findInboundEmailIds(db: DbOrTx, conversationId: string): Promise<string[]> {
  const rows = await db
    .select({ id: sql<string | null>`${messages.meta}->>'emailMessageId'` })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        sql`${messages.meta}->>'emailMessageId' is not null`,
      ),
    )
    .orderBy(asc(messages.seq));
  return rows.map((r) => r.id).filter((id): id is string => !!id);
}

/** The customer's latest message's email meta: was it automatic, spoofed, rate-limited? */
export async function latestInboundEmailMeta(
  db: DbOrTx,
  conversationId: string,
): Promise<Record<string, unknown> | null> {
  const [row] = await db
    .select({ meta: messages.meta })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.senderType, 'contact')))
    .orderBy(desc(messages.seq))
    .limit(1);
  const email = row?.meta.email;
  return email && typeof email === 'object' ? (email as Record<string, unknown>) : null;
}

/** How many mails this customer sent to this inbox since `since`. */
export async function countInboundEmails(
  db: DbOrTx,
  input: { inboxId: string; contactId: string; since: Date },
): Promise<number> {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(messages)
    .where(
      and(
        eq(messages.inboxId, input.inboxId),
        eq(messages.senderType, 'contact'),
        eq(messages.senderId, input.contactId),
        gt(messages.createdAt, input.since),
      ),
    );
  return Number(row?.count ?? 0);
}

/** The outbox row of an outbound message, with its conversation. */
export async function findOutboxOfMessage(
  db: DbOrTx,
  messageId: string,
): Promise<{ outboxId: string; conversationId: string } | null> {
  const [row] = await db
    .select({ outboxId: outbox.id, conversationId: outbox.conversationId })
    .from(outbox)
    .where(eq(outbox.messageId, messageId));
  return row ?? null;
}
