import { DEMO_KB_DIR } from '../apps/server/src/demo/seed-knowledge.ts';
import type { ArticleInput } from '../apps/server/src/knowledge/articles.ts';
import { readArticleFolder } from '../apps/server/src/knowledge/folder.ts';
import { type IndexedArticle, KnowledgeIndex } from '../apps/server/src/knowledge/search-index.ts';
import { percentile, type Row, rng, round } from './lib.ts';

/**
 * KB search latency over 10,000 generated articles: sentences recombined from the demo help
 * center (both languages), so the vocabulary, segmentation and synonyms are realistic.
 */
export async function* run(): AsyncGenerator<Row> {
  const demo = readArticleFolder(DEMO_KB_DIR, { status: 'published' }).filter(
    (a): a is ArticleInput => !('message' in a),
  );
  const sentences = {
    en: demo
      .filter((a) => a.locale === 'en')
      .flatMap((a) => a.body.split(/(?<=[.!?])\s+/))
      .filter((s) => s.length > 20),
    'zh-CN': demo
      .filter((a) => a.locale === 'zh-CN')
      .flatMap((a) => a.body.split(/(?<=[。！？])/))
      .filter((s) => s.length > 8),
  };
  const titles = {
    en: demo.filter((a) => a.locale === 'en').map((a) => a.title),
    'zh-CN': demo.filter((a) => a.locale === 'zh-CN').map((a) => a.title),
  };
  const random = rng(42);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T;
  const articles: IndexedArticle[] = [];
  for (let i = 0; i < 10_000; i++) {
    const locale = i % 2 === 0 ? 'en' : 'zh-CN';
    const body = Array.from({ length: 12 }, () => pick(sentences[locale])).join(
      locale === 'en' ? ' ' : '',
    );
    articles.push({
      id: `gen-${i}`,
      slug: `generated-${i}`,
      locale,
      title: `${pick(titles[locale])} ${i}`,
      summary: pick(sentences[locale]),
      body,
      tags: [],
      category: 'generated',
      intents: [],
    });
  }
  const kb = new KnowledgeIndex();
  const t0 = performance.now();
  kb.replaceAll(articles);
  const indexMs = performance.now() - t0;
  const queries = [
    'my deposit has not arrived',
    'withdrawal pending review',
    'reset google authenticator lost phone',
    'account locked',
    'trading fee maker taker',
    'how to export trade history',
    'kyc rejected name mismatch',
    'wrong network memo missing',
    '充值没到账',
    '提币一直在审核',
    '谷歌验证器丢了怎么办',
    '账户被冻结了',
    '手续费是多少',
    '实名认证失败',
    '转人工',
    '怎么导出交易记录',
  ];
  for (let i = 0; i < 50; i++) kb.search(pick(queries), { locale: 'en' });
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const q = pick(queries);
    const start = performance.now();
    kb.search(q, { locale: /[\u4e00-\u9fff]/.test(q) ? 'zh-CN' : 'en', limit: 5 });
    samples.push(performance.now() - start);
  }
  const context = { articles: articles.length, queries: samples.length };
  yield {
    metric: 'kb.search_p50_ms',
    value: round(percentile(samples, 50)),
    unit: 'ms',
    mode: 'embedded',
    ...context,
  };
  yield {
    metric: 'kb.search_p99_ms',
    value: round(percentile(samples, 99)),
    unit: 'ms',
    mode: 'embedded',
    ...context,
  };
  yield {
    metric: 'kb.index_build_ms',
    value: round(indexMs, 0),
    unit: 'ms',
    mode: 'embedded',
    ...context,
  };
}
