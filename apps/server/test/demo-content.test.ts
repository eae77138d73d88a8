import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_KB_DIR } from '../src/demo/seed-knowledge.ts';
import type { ArticleInput } from '../src/knowledge/articles.ts';
import { readArticleFolder } from '../src/knowledge/folder.ts';

const taxonomy = new URL('../../../../shared/eval/taxonomy.md', import.meta.url);

describe('the demo knowledge base', () => {
  const entries = readArticleFolder(DEMO_KB_DIR, { status: 'published' });

  it('parses: every file has valid front matter', () => {
    const problems = entries.filter((e) => 'message' in e);
    expect(problems).toEqual([]);
  });

  const articles = entries.filter((e): e is ArticleInput => !('message' in e));
  it('has at least 40 articles per locale, each translated', () => {
    const en = articles.filter((a) => a.locale === 'en').map((a) => a.slug);
    const zh = articles.filter((a) => a.locale === 'zh-CN').map((a) => a.slug);
    expect(en.length).toBeGreaterThanOrEqual(40);
    expect(zh.length).toBeGreaterThanOrEqual(40);
    expect([...en].sort()).toEqual([...zh].sort());
  });

  it.runIf(existsSync(taxonomy))(
    'covers every intent of the default taxonomy in both locales',
    () => {
      const intents = [...readFileSync(taxonomy, 'utf8').matchAll(/^\| ([a-z0-9_.]+) \|/gm)]
        .map((m) => m[1])
        .filter((i) => i !== 'intent');
      expect(intents.length).toBe(21);
      for (const locale of ['en', 'zh-CN']) {
        const covered = new Set(
          articles.filter((a) => a.locale === locale).flatMap((a) => a.intents ?? []),
        );
        for (const intent of intents)
          expect(covered.has(intent as string), `${locale} ${intent}`).toBe(true);
      }
    },
  );
});
