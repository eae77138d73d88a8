import type { TLocale } from '@kefu/shared';
import { z } from 'zod';
import type { SearchHit } from '../knowledge/search-index.ts';

export type LlmClient = {
  /** A reply grounded in the given articles, or null when the model is unsure (then a person takes over). */
  answer(input: {
    question: string;
    locale: TLocale;
    articles: (SearchHit & { body: string; url: string })[];
  }): Promise<{ text: string; handoff: boolean } | null>;
};

const ZCompletion = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

const HANDOFF = '[[HANDOFF]]';

function systemPrompt(locale: TLocale): string {
  return [
    'You are the support assistant of Demo Exchange, a cryptocurrency exchange.',
    `Answer in ${locale === 'zh-CN' ? 'Simplified Chinese' : 'English'}, briefly (at most 120 words), using ONLY the numbered articles given.`,
    'Cite the articles you used as [1], [2].',
    'Never ask for or accept passwords, 2FA or SMS codes, private keys, seed phrases or API secrets.',
    'Never ask the customer to pay any fee, deposit or "unlock" payment, and never give wallet addresses to send funds to.',
    `If the articles do not answer the question, or the customer reports stolen funds, a complaint or a legal matter, reply exactly ${HANDOFF}.`,
  ].join('\n');
}

/** Replies that break the guardrails are thrown away (the template answer is used instead). */
const FORBIDDEN = [
  /\b(send|give|share|provide|tell|enter)\b[^.\n]{0,40}\b(password|passcode|2fa|otp|verification code|sms code|private key|seed phrase|recovery phrase|mnemonic|secret key)\b/i,
  /(提供|发送|告诉|输入|发给)[^。\n]{0,20}(密码|验证码|私钥|助记词|密钥)/,
  /\b(pay|transfer|deposit)\b[^.\n]{0,40}\b(fee|unlock|activation|verification)\b/i,
  /(支付|缴纳|转账)[^。\n]{0,20}(手续费|解冻费|保证金|激活费)/,
];

export function violatesGuardrails(text: string): boolean {
  return FORBIDDEN.some((p) => p.test(text));
}

/** Any OpenAI-compatible chat-completions endpoint (KEFU_LLM_BASE_URL, KEFU_LLM_API_KEY, KEFU_LLM_MODEL). */
export function createLlmClient(options: {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs?: number;
}): LlmClient {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return {
    async answer({ question, locale, articles }) {
      if (articles.length === 0) return { text: '', handoff: true };
      const context = articles
        .map((a, i) => `[${i + 1}] ${a.title}\n${a.body.slice(0, 3000)}`)
        .join('\n\n');
      let response: Response;
      try {
        response = await fetch(endpoint, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${options.apiKey}`,
          },
          body: JSON.stringify({
            model: options.model,
            temperature: 0.2,
            max_tokens: 400,
            messages: [
              { role: 'system', content: systemPrompt(locale) },
              { role: 'user', content: `Articles:\n${context}\n\nCustomer: ${question}` },
            ],
          }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
        });
      } catch {
        return null;
      }
      if (!response.ok) return null;
      const parsed = ZCompletion.safeParse(await response.json().catch(() => null));
      const content = parsed.success ? parsed.data.choices[0]?.message.content?.trim() : undefined;
      if (!content) return null;
      if (content.includes(HANDOFF)) return { text: '', handoff: true };
      if (violatesGuardrails(content)) return null;
      // Citations become links the customer can open.
      const text = content.replace(/\[(\d+)\]/g, (m, n: string) => {
        const a = articles[Number(n) - 1];
        return a ? `[${n}](${a.url})` : m;
      });
      return { text, handoff: false };
    },
  };
}
