import type { TAnnouncement, TLocale, TVerifyResult } from '@kefu/shared';
import { translate } from '@kefu/shared/i18n';
import { announcementAnswer, matchAnnouncements } from '../announcements/announcements.ts';
import type { KnowledgeIndex, SearchHit } from '../knowledge/search-index.ts';
import { detectLanguage } from '../pipeline/normalize.ts';
import { secretWarning } from '../pipeline/secret-warning.ts';
import type { ExchangeConnector, Transfer } from './connector.ts';
import type { LlmClient } from './llm.ts';
import { extractSlots, mergeSlots, type Slots } from './slots.ts';

export type Classification = { intent: string; confidence: number };
export type HandoffDecision = { handoff: boolean; reasons: string[] };

export type AssistantDeps = {
  kb: KnowledgeIndex;
  classify: (text: string) => Classification;
  detectHandoff: (text: string, intent: string) => HandoffDecision;
  connector: ExchangeConnector;
  publicUrl: string;
  now: () => Date;
  /** Generated answers grounded in the articles, when an LLM is configured. */
  llm?: LlmClient | null;
  /** The official-channel check (the Verify page's), for "is this link/account yours?". */
  checkChannel?: (value: string, locale: TLocale) => Promise<TVerifyResult>;
  /** The answer an admin wrote for an intent they added. */
  customReply?: (intent: string, locale: TLocale) => string | null;
};

/** What the assistant remembers of a conversation between messages (kept in conversation.fields). */
export type AssistantState = {
  slots: Slots;
  flow?: string;
  misunderstood: number;
  unresolved: number;
};
export const EMPTY_STATE: AssistantState = { slots: {}, misunderstood: 0, unresolved: 0 };

export type AssistantInput = {
  /** The customer's text after the secret guard. */
  text: string;
  locale?: string | null;
  redactionKinds?: ('seed_phrase' | 'private_key' | 'password' | 'api_secret')[];
  state?: AssistantState;
  exchangeUid?: string | null;
  ticketNumber?: number | null;
  /** The announcements customers see now; matching incidents lead the answer. */
  announcements?: TAnnouncement[];
};

export type AssistantAnswer = {
  intent: string;
  confidence: number;
  handoff: boolean;
  handoffReasons: string[];
  reply: string;
  articles: { id: string; slug: string; title: string; locale: TLocale; url: string }[];
  locale: TLocale;
  state: AssistantState;
  /** Structured ticket fields for the agent (coin, network, txid…). */
  fields: Slots;
  /** The announcements the reply quoted. */
  announcements: string[];
};

/** Guided flows: intents where the assistant collects details and asks the exchange. */
const FLOWS = new Set([
  'deposit.not_credited',
  'deposit.wrong_network',
  'withdrawal.pending',
  'withdrawal.failed',
  'account.locked',
]);

const UNDERSTOOD = 0.3;

/** A link, email address or @handle the customer asks about, if any. */
function channelCandidate(text: string): string | null {
  const match =
    text.match(/https?:\/\/[^\s，。]+/i) ??
    text.match(/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/) ??
    text.match(/(?:^|\s)(@[A-Za-z0-9_]{3,32})\b/) ??
    text.match(/\b(?:t\.me|x\.com|twitter\.com)\/[A-Za-z0-9_]+/i) ??
    text.match(/\b(?:[a-z0-9-]+\.)+[a-z]{2,}\b/i);
  return (match?.[1] ?? match?.[0])?.trim() ?? null;
}

export function createAssistant(deps: AssistantDeps) {
  const t = (locale: TLocale, key: string, vars: Record<string, string | number> = {}) =>
    translate(locale, `assistant.${key}`, vars);
  const articleUrl = (hit: SearchHit) =>
    `${deps.publicUrl}/help/${hit.locale}/articles/${hit.slug}`;
  const when = (locale: TLocale, iso: string) =>
    `${new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
    }).format(new Date(iso))} UTC`;

  function describeTransfer(locale: TLocale, tr: Transfer, owner: boolean): string {
    if (tr.kind === 'deposit') {
      if (!owner) {
        return t(locale, 'depositStatusOnly', {
          confirmations: tr.confirmations ?? 0,
          required: tr.requiredConfirmations ?? 0,
          network: tr.network,
        });
      }
      if (tr.reason === 'missing_memo') return t(locale, 'depositMissingMemo', { coin: tr.coin });
      if (tr.status === 'credited')
        return t(locale, 'depositCredited', {
          coin: tr.coin,
          amount: tr.amount,
          time: when(locale, tr.updatedAt),
        });
      return t(locale, 'depositConfirming', {
        coin: tr.coin,
        network: tr.network,
        confirmations: tr.confirmations ?? 0,
        required: tr.requiredConfirmations ?? 0,
      });
    }
    if (!owner) return t(locale, 'signInNeeded', { what: t(locale, 'what_withdrawals') });
    if (tr.status === 'under_review' || tr.status === 'processing' || tr.status === 'pending') {
      return t(locale, 'withdrawalReview', {
        amount: tr.amount,
        coin: tr.coin,
        time: when(locale, tr.createdAt),
      });
    }
    if (tr.status === 'failed' || tr.status === 'rejected') {
      const reasonKey =
        tr.reason === 'address_not_whitelisted' || tr.reason === 'missing_memo'
          ? `reason_${tr.reason}`
          : 'reason_other';
      return t(locale, 'withdrawalFailed', {
        amount: tr.amount,
        coin: tr.coin,
        reason: t(locale, reasonKey),
      });
    }
    return t(locale, 'withdrawalCompleted', {
      time: when(locale, tr.updatedAt),
      txid: tr.txid ?? '—',
    });
  }

  async function runFlow(
    intent: string,
    locale: TLocale,
    slots: Slots,
    exchangeUid: string | null,
  ): Promise<{ text: string | null; resolved: boolean }> {
    const parts: string[] = [];
    if (slots.address && slots.addressValid === false) {
      parts.push(t(locale, 'invalidAddress', { address: slots.address, coin: slots.coin ?? '' }));
    }
    if (intent === 'account.locked') {
      if (!exchangeUid) return { text: parts.join('\n') || null, resolved: false };
      const result = await deps.connector.requestUnlock(exchangeUid);
      return { text: t(locale, result.ok ? 'unlockSent' : 'notLocked'), resolved: true };
    }
    if (slots.txid) {
      const tr = await deps.connector.findByTxId(slots.txid);
      if (tr) {
        parts.push(describeTransfer(locale, tr, Boolean(exchangeUid && tr.uid === exchangeUid)));
        return {
          text: parts.join('\n'),
          resolved:
            tr.status === 'credited' ||
            tr.status === 'completed' ||
            tr.status === 'confirming' ||
            tr.status === 'under_review',
        };
      }
      if (intent.startsWith('deposit')) {
        parts.push(t(locale, 'depositNotFound'));
        return { text: parts.join('\n'), resolved: false };
      }
    }
    if (exchangeUid && intent !== 'deposit.wrong_network') {
      const list = intent.startsWith('deposit')
        ? await deps.connector.listDeposits(exchangeUid)
        : await deps.connector.listWithdrawals(exchangeUid);
      const open = list
        .filter((tr) =>
          intent.startsWith('deposit')
            ? tr.status !== 'credited'
            : intent === 'withdrawal.failed'
              ? tr.status === 'failed' || tr.status === 'rejected'
              : tr.status !== 'completed',
        )
        .filter((tr) => !slots.coin || tr.coin === slots.coin)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      const latest = open[0];
      if (latest) {
        parts.push(describeTransfer(locale, latest, true));
        return { text: parts.join('\n'), resolved: true };
      }
    }
    if (intent === 'deposit.not_credited') {
      const missing = (['coin', 'network', 'txid'] as const).filter((f) => !slots[f]);
      if (missing.length > 0)
        parts.push(
          t(locale, 'needFields', {
            fields: missing
              .map((f) => t(locale, `field_${f}`))
              .join(locale === 'zh-CN' ? '、' : ', '),
          }),
        );
    } else if (
      (intent === 'withdrawal.pending' || intent === 'withdrawal.failed') &&
      !exchangeUid
    ) {
      parts.push(t(locale, 'signInNeeded', { what: t(locale, 'what_withdrawals') }));
    }
    return { text: parts.join('\n') || null, resolved: false };
  }

  async function answer(input: AssistantInput): Promise<AssistantAnswer> {
    const locale = detectLanguage(input.text, input.locale);
    const previous = input.state ?? EMPTY_STATE;
    const extracted = extractSlots(input.text);
    const slots = mergeSlots(previous.slots, extracted);
    let { intent, confidence } = deps.classify(input.text);
    // A reply that only supplies what the flow asked for (a TxID, a coin) continues that flow.
    const onlyData =
      Object.keys(extracted).length > 0 &&
      input.text.replace(/\b[0-9a-zA-Z]{20,}\b/g, '').trim().length < 40;
    if (previous.flow && onlyData && confidence < 0.6) {
      intent = previous.flow;
      confidence = Math.max(confidence, 0.6);
    }
    const decision = deps.detectHandoff(input.text, intent);
    const hits = deps.kb.search(input.text, { locale, limit: 3, intent });
    const matching = hits.filter((h) => deps.kb.get(h.id)?.intents.includes(intent));
    const articles = (matching.length > 0 ? matching : hits).slice(0, 2);
    const lines: string[] = [];
    if (input.redactionKinds && input.redactionKinds.length > 0)
      lines.push(secretWarning(locale, input.redactionKinds));
    // A known incident explains the problem before anything else: "ETH withdrawals are delayed".
    const notices = matchAnnouncements(input.announcements ?? [], {
      text: input.text,
      intent,
      coin: slots.coin ?? null,
    }).slice(0, 2);
    for (const notice of notices) lines.push(announcementAnswer(notice, locale));
    const leadLines = lines.length;

    const state: AssistantState = {
      slots,
      misunderstood: previous.misunderstood,
      unresolved: previous.unresolved,
    };
    let handoff = decision.handoff;
    let llmAnswered = false;
    const reasons = [...decision.reasons];

    if (!handoff) {
      const custom = deps.customReply?.(intent, locale);
      if (custom) lines.push(custom);
      else if (intent === 'greeting') lines.push(t(locale, 'greeting'));
      else if (intent === 'security.phishing') {
        const candidate = channelCandidate(input.text);
        if (candidate && deps.checkChannel) {
          const check = await deps.checkChannel(candidate, locale);
          lines.push([check.message, ...check.reasons.map((r) => r.message)].join(' '));
        }
        lines.push(t(locale, 'phishing', { url: `${deps.publicUrl}/help/${locale}/verify` }));
      } else if (intent === 'support.ticket_status') {
        lines.push(
          t(locale, 'ticketStatus', {
            ticket: slots.ticket ?? input.ticketNumber ?? '',
            url: `${deps.publicUrl}/help/${locale}/tickets`,
          }),
        );
      } else if (FLOWS.has(intent)) {
        state.flow = intent;
        const flow = await runFlow(intent, locale, slots, input.exchangeUid ?? null);
        if (flow.text) lines.push(flow.text);
        state.unresolved = flow.resolved
          ? 0
          : previous.unresolved + (previous.flow === intent ? 1 : 0);
        // Asked twice and still not resolved: a person takes over with what was collected.
        if (state.unresolved >= 2) {
          handoff = true;
          reasons.push('unresolved_flow');
        }
      }
      const understood = confidence >= UNDERSTOOD || articles.length > 0;
      state.misunderstood = understood ? 0 : previous.misunderstood + 1;
      if (!understood) {
        if (state.misunderstood >= 2) {
          handoff = true;
          reasons.push('not_understood');
        } else lines.push(t(locale, 'notUnderstood'));
      }
      const lead = articles[0];
      const templated =
        FLOWS.has(intent) ||
        intent === 'greeting' ||
        intent === 'security.phishing' ||
        intent === 'support.ticket_status';
      if (!handoff && deps.llm && lead && understood && !templated) {
        const generated = await deps.llm.answer({
          question: input.text,
          locale,
          articles: articles.map((a) => ({
            ...a,
            body: deps.kb.get(a.id)?.body ?? a.summary,
            url: articleUrl(a),
          })),
        });
        if (generated?.handoff) {
          handoff = true;
          reasons.push('llm_unsure');
        } else if (generated) {
          lines.push(generated.text);
          llmAnswered = true;
        }
      }
      if (!handoff && !llmAnswered && lead && intent !== 'greeting' && understood) {
        if (lines.length === leadLines && lead.summary) lines.push(lead.summary);
        lines.push(t(locale, 'relatedArticle', { title: lead.title, url: articleUrl(lead) }));
      }
    }
    if (handoff) {
      const key = reasons.includes('funds_stolen')
        ? 'handoffStolen'
        : reasons.includes('complaint') || reasons.includes('legal_threat')
          ? 'handoffComplaint'
          : input.ticketNumber
            ? 'handoffWithTicket'
            : 'handoff';
      lines.push(t(locale, key, { number: input.ticketNumber ?? '' }));
    }
    return {
      intent,
      confidence,
      handoff,
      handoffReasons: reasons,
      reply: lines.join('\n\n'),
      articles: articles.map((a) => ({
        id: a.id,
        slug: a.slug,
        title: a.title,
        locale: a.locale,
        url: articleUrl(a),
      })),
      locale,
      state,
      fields: slots,
      announcements: notices.map((n) => n.id),
    };
  }

  return { answer };
}
export type Assistant = ReturnType<typeof createAssistant>;
