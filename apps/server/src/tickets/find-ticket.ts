import type { TTicketMessage, TTicketView } from '@kefu/shared';
import { eq } from 'drizzle-orm';
import {
  type ConversationRow,
  findMessages,
  getConversationRow,
} from '../conversations/queries.ts';
import { conversations } from '../conversations/schema.ts';
import type { DbOrTx } from '../db/client.ts';

export type FoundTicket = {
  /** The conversation the number leads to now (a merged ticket's number redirects). */
  row: ConversationRow;
  /** Every conversation id on the way, the number's own first. */
  chain: string[];
};

export async function findTicketByNumber(db: DbOrTx, number: number): Promise<FoundTicket | null> {
  const [first] = await db.select().from(conversations).where(eq(conversations.number, number));
  if (!first) return null;
  const chain = [first.id];
  let row = first;
  for (let hops = 0; row.mergedIntoId && hops < 5; hops++) {
    row = await getConversationRow(db, row.mergedIntoId);
    chain.push(row.id);
  }
  return { row, chain };
}

type PublicSender = TTicketMessage['senderType'];
const isPublicSender = (type: string): type is PublicSender =>
  type === 'contact' || type === 'agent' || type === 'assistant';

/** What the customer sees of a ticket: its public messages, never notes or system events. */
export async function getTicketView(db: DbOrTx, row: ConversationRow): Promise<TTicketView> {
  const list = await findMessages(db, row.id, { afterSeq: 0, limit: 500, includePrivate: false });
  const messages: TTicketMessage[] = [];
  for (const m of list) {
    if (m.private || !isPublicSender(m.senderType)) continue;
    messages.push({
      id: m.id,
      seq: m.seq,
      senderType: m.senderType,
      senderName: m.senderName,
      text: m.text,
      redactions: m.redactions,
      createdAt: m.createdAt,
    });
  }
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    subject: row.subject,
    createdAt: row.createdAt.toISOString(),
    messages,
  };
}
