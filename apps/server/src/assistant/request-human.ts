import { translate } from '@kefu/shared/i18n';
import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { getConversationRow } from '../conversations/queries.ts';
import { conversations } from '../conversations/schema.ts';
import type { Deps } from '../deps.ts';
import { AppError, orNullIfAppError } from '../lib/app-error.ts';
import { audienceOf } from '../pipeline/accept-inbound.ts';
import { sendSystemMessage } from '../pipeline/send-outbound.ts';
import { scheduleRouting } from '../routing/schedule.ts';

/** The customer pressed "talk to a person": the conversation leaves the assistant for the queue. */
export async function requestHuman(
  deps: Deps,
  contactId: string,
  conversationId: string,
): Promise<{ queued: boolean }> {
  const row = await getConversationRow(deps.db, conversationId).catch(orNullIfAppError);
  if (!row || row.contactId !== contactId) throw new AppError('conversation.not_found');
  if (row.status === 'closed' || row.mergedIntoId) throw new AppError('conversation.closed');
  const now = deps.clock.now();
  const changed = await deps.db.transaction(async (tx) => {
    const moved = await tx
      .update(conversations)
      .set({ handler: 'human', queuedAt: now, updatedAt: now, status: 'open' })
      .where(and(eq(conversations.id, row.id), eq(conversations.handler, 'assistant')))
      .returning();
    if (moved.length === 0) return null;
    await scheduleRouting(tx);
    await recordAudit(
      tx,
      { type: 'contact', id: contactId },
      {
        action: 'conversation.handoff',
        targetType: 'conversation',
        targetId: row.id,
        data: { reasons: ['customer_request'] },
      },
    );
    return moved[0] ?? null;
  });
  if (!changed) return { queued: false };
  const locale = row.language === 'zh-CN' ? 'zh-CN' : 'en';
  await sendSystemMessage(deps, row.id, {
    text: translate(locale, 'assistant.handoffWithTicket', { number: row.number }),
    senderType: 'assistant',
    meta: { kind: 'handoff' },
  });
  await sendSystemMessage(deps, row.id, {
    text: translate(locale, 'assistantNote.customerAsked'),
    private: true,
    meta: {
      kind: 'handoff_summary',
      reasons: ['customer_request'],
      fields: row.fields.collected ?? {},
    },
  });
  deps.publish({
    type: 'conversation.changed',
    audience: audienceOf(changed),
    change: { conversationId: changed.id, status: changed.status },
  });
  deps.kickJobs();
  return { queued: true };
}
