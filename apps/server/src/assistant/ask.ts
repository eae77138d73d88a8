import { createInterface } from 'node:readline';
import { z } from 'zod';
import { DEMO_KB_DIR } from '../demo/seed-knowledge.ts';
import type { ArticleInput } from '../knowledge/articles.ts';
import { readArticleFolder } from '../knowledge/folder.ts';
import { KnowledgeIndex } from '../knowledge/search-index.ts';
import { normalizeText } from '../pipeline/normalize.ts';
import { normalizeOfficialValue } from '../safety/channel-value.ts';
import { describeCheck } from '../safety/check-official-channel.ts';
import { DEMO_OFFICIAL_CHANNELS } from '../safety/official-channels.ts';
import { guardSecrets } from '../safety/secret-guard.ts';
import { type OfficialChannel, verifyChannel } from '../safety/verify-channel.ts';
import { buildAssistant } from './build.ts';
import { createDemoConnector } from './connector.ts';

const ZAskLine = z.object({
  id: z.union([z.string(), z.number()]),
  text: z.string().max(20_000),
  lang: z.string().optional(),
});

/** The demo help center, indexed in memory: `kefu ask` needs no database, server or network. */
export function demoKnowledgeIndex(): KnowledgeIndex {
  const kb = new KnowledgeIndex();
  const articles = readArticleFolder(DEMO_KB_DIR, { status: 'published' }).filter(
    (a): a is ArticleInput => !('message' in a),
  );
  kb.replaceAll(
    articles.map((a) => ({
      id: `${a.locale}:${a.slug}`,
      slug: a.slug,
      locale: a.locale,
      title: a.title,
      summary: a.summary ?? '',
      body: a.body,
      tags: a.tags ?? [],
      category: a.category,
      intents: a.intents ?? [],
    })),
  );
  return kb;
}

/**
 * `kefu ask --jsonl`: one JSON line in ({id, text, lang?}), one JSON line out, in order:
 * {id, intent, confidence, handoff, reply, articles:[{id,title}], redactions:[{kind}], redacted_text}.
 * Each line is a fresh conversation. A bad line answers {id, error} and the run goes on.
 */
export async function runAsk(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  publicUrl: string,
): Promise<number> {
  // The demo registry, normalized as the admin API would store it.
  const registry: OfficialChannel[] = DEMO_OFFICIAL_CHANNELS.flatMap((c) => {
    const value = normalizeOfficialValue(c.kind, c.value);
    return value ? [{ kind: c.kind, value, label: c.label ?? '' }] : [];
  });
  const assistant = buildAssistant({
    kb: demoKnowledgeIndex(),
    connector: createDemoConnector(),
    publicUrl,
    now: () => new Date(),
    checkChannel: async (value, locale) => describeCheck(verifyChannel(value, registry), locale),
  });
  let count = 0;
  for await (const raw of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (!raw.trim()) continue;
    let line: z.infer<typeof ZAskLine>;
    try {
      line = ZAskLine.parse(JSON.parse(raw));
    } catch (error) {
      output.write(
        `${JSON.stringify({ id: null, error: error instanceof Error ? error.message.split('\n')[0] : 'invalid line' })}\n`,
      );
      continue;
    }
    const text = normalizeText(line.text);
    const guard = guardSecrets(text);
    const answer = await assistant.answer({
      text: guard.text,
      locale: line.lang === 'zh' ? 'zh-CN' : line.lang === 'en' ? 'en' : null,
      redactionKinds: guard.redactions.map((r) => r.kind),
    });
    output.write(
      `${JSON.stringify({
        id: line.id,
        intent: answer.intent,
        confidence: Math.round(answer.confidence * 1000) / 1000,
        handoff: answer.handoff,
        reply: answer.reply,
        articles: answer.articles.map((a) => ({ id: a.id, title: a.title })),
        redactions: guard.redactions.map((r) => ({ kind: r.kind })),
        redacted_text: guard.text,
      })}\n`,
    );
    count++;
  }
  return count;
}
