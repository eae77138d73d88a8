import { translate } from '@kefu/shared/i18n';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record-audit.ts';
import { lockConversationRow } from '../conversations/queries.ts';
import { conversations } from '../conversations/schema.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../lib/app-error.ts';
import type { DomainEvent } from '../lib/events.ts';
import { audienceOf } from '../pipeline/accept-inbound.ts';
import { writeSystemMessage } from '../pipeline/send-outbound.ts';
import { scheduleRouting } from '../routing/schedule.ts';
import { scheduleSlaUpdate } from '../sla/timers.ts';
import { enqueueWebhookEvent } from '../webhooks/dispatch-event.ts';

/**
 * The customer pressed "talk to a person": the conversation leaves the assistant for the queue.
 * The move, the notice to the customer (with the ticket number) and the note for the agent
 * commit together, with the conversation locked, so a retry after a failure finds either all
 * of it or none.
 */
export async function requestHuman(
  deps: Deps,
  contactId: string,
  conversationId: string,
): Promise<{ queued: boolean }> {
  const now = deps.clock.now();
  const events = await deps.db.transaction(async (tx) => {
    const row = await lockConversationRow(tx, conversationId);
    if (row.contactId !== contactId) throw new AppError('conversation.not_found');
    if (row.status === 'closed' || row.mergedIntoId) throw new AppError('conversation.closed');
    if (row.handler !== 'assistant') return null;
    const reopened = row.status !== 'open';
    const [moved] = await tx
      .update(conversations)
      .set({
        handler: 'human',
        queuedAt: now,
        updatedAt: now,
        status: 'open',
        ...(reopened ? { resolvedAt: null, snoozedUntil: null } : {}),
      })
      .where(eq(conversations.id, row.id))
      .returning();
    if (!moved) return null;
    await scheduleRouting(tx);
    if (reopened) {
      // The deadlines count again, as when a customer's line reopens a conversation.
      await scheduleSlaUpdate(tx, row.id);
      await enqueueWebhookEvent(tx, {
        event: 'conversation.status_changed',
        conversationId: row.id,
        at: now.toISOString(),
        change: { from: row.status, to: 'open' },
      });
    }
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
    const locale = row.language === 'zh-CN' ? 'zh-CN' : 'en';
    const notice = await writeSystemMessage(tx, deps, row.id, {
      text: translate(locale, 'assistant.handoffWithTicket', { number: row.number }),
      senderType: 'assistant',
      meta: { kind: 'handoff' },
    });
    const note = await writeSystemMessage(tx, deps, row.id, {
      text: translate(locale, 'assistantNote.customerAsked'),
      private: true,
      meta: {
        kind: 'handoff_summary',
        reasons: ['customer_request'],
        fields: row.fields.collected ?? {},
      },
    });
    const changed: DomainEvent = {
      type: 'conversation.changed',
      audience: audienceOf(moved),
      change: { conversationId: moved.id, status: moved.status },
    };
    return [notice.event, note.event, changed];
  });
  if (!events) return { queued: false };
  for (const event of events) deps.publish(event);
  deps.kickJobs();
  return { queued: true };
}
