import type { TLocale, TRenderedCannedResponse } from '@kefu/shared';
import { isLocale } from '@kefu/shared/i18n';
import type { AgentRow } from '../auth/sessions.ts';
import { getContactRow } from '../contacts/contacts.ts';
import { getVisibleConversation } from '../conversations/queries.ts';
import type { Deps } from '../deps.ts';
import { getCannedResponseRow } from './canned-responses.ts';

/** The exchange's name in replies, until it becomes a workspace setting. */
export const EXCHANGE_NAME = 'Demo Exchange';

export const CANNED_VARIABLES = [
  'customer.name',
  'customer.email',
  'agent.name',
  'ticket.number',
  'exchange.name',
] as const;
export type CannedVariable = (typeof CANNED_VARIABLES)[number];

const VARIABLE = /( ?)\{\{\s*([\w.-]+)\s*\}\}/g;

function isKnown(name: string): name is CannedVariable {
  return (CANNED_VARIABLES as readonly string[]).includes(name);
}

/**
 * Fills `{{variables}}`. Unknown names stay as written (so a typo shows); a known one without
 * a value becomes empty, taking a space before it along ("Hi {{customer.name}}," → "Hi,").
 */
export function fillVariables(
  template: string,
  values: Partial<Record<CannedVariable, string | null>>,
): { text: string; missing: CannedVariable[] } {
  const missing = new Set<CannedVariable>();
  const text = template.replace(VARIABLE, (whole, space: string, name: string) => {
    if (!isKnown(name)) return whole;
    const value = values[name]?.trim();
    if (value) return `${space}${value}`;
    missing.add(name);
    return '';
  });
  return { text, missing: [...missing] };
}

/** The asked locale's text, else the other one's. */
export function pickText(
  texts: Partial<Record<TLocale, string>>,
  locale: TLocale,
): { locale: TLocale; text: string } | null {
  const order: TLocale[] = locale === 'zh-CN' ? ['zh-CN', 'en'] : ['en', 'zh-CN'];
  for (const candidate of order) {
    const text = texts[candidate];
    if (text?.trim()) return { locale: candidate, text };
  }
  return null;
}

function localeOfLanguage(language: string | null): TLocale {
  if (isLocale(language)) return language;
  return language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/**
 * A canned response ready for the reply box of one conversation: in the asked locale (default:
 * the conversation's language, falling back to the other one), with its variables filled.
 */
export async function renderCannedResponse(
  deps: Pick<Deps, 'db'>,
  agent: Pick<AgentRow, 'id' | 'role' | 'name'>,
  id: string,
  input: { conversationId: string; locale?: TLocale | undefined },
): Promise<TRenderedCannedResponse> {
  const canned = await getCannedResponseRow(deps.db, id);
  const conversation = await getVisibleConversation(deps.db, agent, input.conversationId);
  const contact = await getContactRow(deps.db, conversation.contactId);
  const picked = pickText(canned.texts, input.locale ?? localeOfLanguage(conversation.language));
  if (!picked) return { text: '', locale: input.locale ?? 'en', missing: [] };
  const { text, missing } = fillVariables(picked.text, {
    'customer.name': contact.name,
    'customer.email': contact.email,
    'agent.name': agent.name,
    'ticket.number': String(conversation.number),
    'exchange.name': EXCHANGE_NAME,
  });
  return { text, locale: picked.locale, missing };
}

/** Sample values an editor sees in a preview: what a real conversation would fill in. */
const SAMPLE_CUSTOMER: Record<TLocale, { name: string; email: string }> = {
  en: { name: 'Alex Morgan', email: 'alex.morgan@example.com' },
  'zh-CN': { name: '王小明', email: 'wang.xiaoming@example.com' },
};

/** Fills a draft text with sample values, and names the `{{…}}` that are not variables. */
export function previewCannedText(
  agentName: string,
  input: { text: string; locale: TLocale },
): { text: string; unknown: string[] } {
  const sample = SAMPLE_CUSTOMER[input.locale];
  const { text } = fillVariables(input.text, {
    'customer.name': sample.name,
    'customer.email': sample.email,
    'agent.name': agentName,
    'ticket.number': '10042',
    'exchange.name': EXCHANGE_NAME,
  });
  const unknown = new Set<string>();
  for (const match of input.text.matchAll(VARIABLE)) {
    const name = match[2] ?? '';
    if (!isKnown(name)) unknown.add(name);
  }
  return { text, unknown: [...unknown] };
}
