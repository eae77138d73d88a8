import { and, asc, eq } from 'drizzle-orm';
import type { AgentRow } from '../auth/sessions.ts';
import { contacts } from '../contacts/schema.ts';
import { getVisibleConversation } from '../conversations/queries.ts';
import { messages } from '../conversations/schema.ts';
import type { Deps } from '../deps.ts';
import { type AssistantState, EMPTY_STATE } from './assistant.ts';

export type CopilotView = {
  intent: string | null;
  confidence: number | null;
  suggestedReply: string | null;
  articles: { id: string; slug: string; title: string; locale: string; url: string }[];
  summary: string[];
  fields: Record<string, unknown>;
};

/**
 * For the agent on a conversation: the assistant's suggested reply to the last customer message,
 * relevant articles, and an extractive summary (what was asked, what was collected).
 */
export async function getCopilot(
  deps: Deps,
  agent: Pick<AgentRow, 'id' | 'role'>,
  conversationId: string,
): Promise<CopilotView> {
  const conversation = await getVisibleConversation(deps.db, agent, conversationId);
  const customerMessages = await deps.db
    .select({ text: messages.text, redactions: messages.redactions })
    .from(messages)
    .where(and(eq(messages.conversationId, conversation.id), eq(messages.senderType, 'contact')))
    .orderBy(asc(messages.seq));
  const last = customerMessages.at(-1);
  const [contact] = await deps.db
    .select({ uid: contacts.exchangeUid })
    .from(contacts)
    .where(eq(contacts.id, conversation.contactId));
  const summary = customerMessages.slice(-3).map((m) => m.text.slice(0, 300));
  if (!last || !deps.assistant) {
    return {
      intent: conversation.intent,
      confidence: null,
      suggestedReply: null,
      articles: [],
      summary,
      fields: conversation.fields,
    };
  }
  const answer = await deps.assistant.answer({
    text: last.text,
    locale: conversation.language,
    state: (conversation.fields.assistant as AssistantState | undefined) ?? EMPTY_STATE,
    exchangeUid: contact?.uid ?? null,
    ticketNumber: conversation.number,
  });
  return {
    intent: answer.intent,
    confidence: answer.confidence,
    // A handoff notice is for customers; the agent gets the article-based answer or nothing.
    suggestedReply: answer.handoff ? null : answer.reply || null,
    articles: answer.articles,
    summary,
    fields: {
      ...(conversation.fields.collected as Record<string, unknown> | undefined),
      ...answer.fields,
    },
  };
}
