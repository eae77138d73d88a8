import { translate } from '@kefu/shared/i18n';
import { and, asc, eq, sql } from 'drizzle-orm';
import { findCurrentAnnouncements } from '../announcements/announcements.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { contacts } from '../contacts/schema.ts';
import { lockConversationRow } from '../conversations/queries.ts';
import { conversations, messages } from '../conversations/schema.ts';
import type { DbOrTx } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import type { DomainEvent } from '../lib/events.ts';
import { audienceOf } from '../pipeline/accept-inbound.ts';
import { writeSystemMessage } from '../pipeline/send-outbound.ts';
import { scheduleRouting } from '../routing/schedule.ts';
import {
  type Assistant,
  type AssistantAnswer,
  type AssistantState,
  EMPTY_STATE,
} from './assistant.ts';
import { getAssistantSettings } from './settings.ts';

/** An extractive summary for the agent who takes over: what was asked, what was collected. */
function handoffSummary(locale: 'zh-CN' | 'en', answer: AssistantAnswer, recent: string[]): string {
  const fields = Object.entries(answer.fields)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
  const lines = [
    `${translate(locale, 'assistantNote.handoff')} (${answer.handoffReasons.join(', ') || 'handoff'})`,
    `${translate(locale, 'assistantNote.intent')}: ${answer.intent} (${Math.round(answer.confidence * 100)}%)`,
  ];
  if (fields) lines.push(`${translate(locale, 'assistantNote.fields')}: ${fields}`);
  if (recent.length)
    lines.push(
      `${translate(locale, 'assistantNote.customerSaid')}:\n${recent.map((r) => `> ${r}`).join('\n')}`,
    );
  return lines.join('\n');
}

/**
 * The `assistant.reply` job: the assistant answers a customer message in a conversation it
 * owns, or hands the conversation to the queue with a summary and the collected fields.
 */
export async function handleAssistantMessage(
  deps: Deps,
  assistant: Assistant,
  payload: { conversationId: string; messageId: string },
) {
  const [row] = await deps.db
    .select({ c: conversations, m: messages, uid: contacts.exchangeUid, vip: contacts.vipLevel })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .innerJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(messages.id, payload.messageId));
  if (row?.c.handler !== 'assistant' || row.c.id !== payload.conversationId) return;
  if (await answered(deps.db, row.c.id, row.m.id)) return;

  const settings = await getAssistantSettings(deps.db);
  const state = (row.c.fields.assistant as AssistantState | undefined) ?? EMPTY_STATE;
  const answer = await assistant.answer({
    text: row.m.text,
    locale: row.c.language,
    redactionKinds: row.m.redactions.map((r) => r.kind) as NonNullable<
      Parameters<Assistant['answer']>[0]['redactionKinds']
    >,
    state,
    exchangeUid: row.uid,
    ticketNumber: row.c.number,
    announcements: await findCurrentAnnouncements(deps),
  });
  const vipToHuman = settings.humanForVipFrom !== null && row.vip >= settings.humanForVipFrom;
  if (vipToHuman && !answer.handoff) {
    answer.handoff = true;
    answer.handoffReasons.push('vip');
  }

  // The reply, what the assistant learnt and a handoff commit together: a crash between them
  // would leave a retried job finding the reply sent and the handoff never made.
  const now = deps.clock.now();
  const events = await deps.db.transaction(async (tx) => {
    // The conversation is locked while it is written; a person who took it over while the
    // assistant was thinking keeps it, and a retry that raced this one finds the reply.
    const current = await lockConversationRow(tx, row.c.id);
    if (current.handler !== 'assistant' || (await answered(tx, row.c.id, row.m.id))) return [];
    // Another answer (the customer's next line, on another node) changed what the assistant
    // knows while this one was thinking: writing this state would undo it. The job runs again
    // from the new state.
    if (
      JSON.stringify(current.fields.assistant ?? null) !==
      JSON.stringify(row.c.fields.assistant ?? null)
    )
      throw new Error('the conversation moved on while the assistant answered');
    const reply = await writeSystemMessage(tx, deps, row.c.id, {
      text: answer.reply,
      senderType: 'assistant',
      meta: {
        inReplyTo: row.m.id,
        intent: answer.intent,
        confidence: answer.confidence,
        articles: answer.articles,
        handoff: answer.handoff,
        ...(answer.announcements.length > 0 ? { announcements: answer.announcements } : {}),
      },
    });
    const [after] = await tx
      .update(conversations)
      .set({
        intent: answer.intent,
        fields: sql`${conversations.fields} || ${JSON.stringify({ assistant: answer.state, collected: answer.fields })}::jsonb`,
        ...(answer.handoff ? { handler: 'human' as const, queuedAt: now, updatedAt: now } : {}),
      })
      .where(eq(conversations.id, row.c.id))
      .returning();
    if (!answer.handoff || !after) return [reply.event];
    const recent = await tx
      .select({ text: messages.text })
      .from(messages)
      .where(and(eq(messages.conversationId, row.c.id), eq(messages.senderType, 'contact')))
      .orderBy(asc(messages.seq));
    await scheduleRouting(tx);
    await recordAudit(
      tx,
      { type: 'system', id: null },
      {
        action: 'conversation.handoff',
        targetType: 'conversation',
        targetId: row.c.id,
        data: { reasons: answer.handoffReasons, intent: answer.intent },
      },
    );
    const summary = await writeSystemMessage(tx, deps, row.c.id, {
      text: handoffSummary(
        answer.locale,
        answer,
        recent.slice(-3).map((r) => r.text.slice(0, 300)),
      ),
      private: true,
      meta: {
        kind: 'handoff_summary',
        reasons: answer.handoffReasons,
        fields: answer.fields,
        intent: answer.intent,
      },
    });
    const changed: DomainEvent = {
      type: 'conversation.changed',
      audience: audienceOf(after),
      change: { conversationId: after.id, status: after.status },
    };
    return [reply.event, summary.event, changed];
  });
  for (const event of events) deps.publish(event);
  if (events.length > 0) deps.kickJobs();
}

/** Whether the assistant has replied to this customer message already (a retried job). */
async function answered(db: DbOrTx, conversationId: string, messageId: string): Promise<boolean> {
  const [done] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        sql`${messages.meta}->>'inReplyTo' = ${messageId}`,
      ),
    );
  return Boolean(done);
}
