import MiniSearch from 'minisearch';
import { searchTerms } from './segment.ts';

export type IndexedArticle = {
  id: string;
  slug: string;
  locale: 'zh-CN' | 'en';
  title: string;
  summary: string;
  body: string;
  tags: string[];
  category: string;
  intents: string[];
};

export type SearchHit = {
  id: string;
  slug: string;
  locale: 'zh-CN' | 'en';
  title: string;
  summary: string;
  score: number;
  fallback: boolean;
};

/**
 * BM25 ranking (MiniSearch) over title, summary, tags and body, with Chinese segmentation,
 * English stemming, typo tolerance for longer English words, and synonym groups.
 */
export class KnowledgeIndex {
  private mini = this.create();
  private docs = new Map<string, IndexedArticle>();

  private create() {
    return new MiniSearch<IndexedArticle>({
      idField: 'id',
      fields: ['title', 'summary', 'tags', 'body'],
      storeFields: [],
      tokenize: (text) => searchTerms(text),
      // Terms come out of searchTerms already normalized.
      processTerm: (term) => term,
      searchOptions: {
        boost: { title: 3, summary: 2, tags: 2, body: 1 },
        fuzzy: (term) => (/^[a-z]{5,}$/.test(term) ? 0.2 : false),
        prefix: (term) => /^[a-z]{4,}$/.test(term),
        combineWith: 'OR',
      },
    });
  }

  get size(): number {
    return this.docs.size;
  }

  replaceAll(articles: IndexedArticle[]): void {
    this.mini = this.create();
    this.docs.clear();
    for (const a of articles) this.docs.set(a.id, a);
    this.mini.addAll(
      articles.map((a) => ({ ...a, tags: a.tags.join(' ') as unknown as string[] })),
    );
  }

  upsert(article: IndexedArticle): void {
    if (this.docs.has(article.id)) this.mini.discard(article.id);
    this.docs.set(article.id, article);
    this.mini.add({ ...article, tags: article.tags.join(' ') as unknown as string[] });
  }

  remove(id: string): void {
    if (!this.docs.has(id)) return;
    this.mini.discard(id);
    this.docs.delete(id);
  }

  get(id: string): IndexedArticle | undefined {
    return this.docs.get(id);
  }

  /** Best matches in the wanted locale; the other locale fills in when there are too few. */
  search(
    query: string,
    options: { locale: 'zh-CN' | 'en'; limit?: number; intent?: string | null },
  ): SearchHit[] {
    const limit = options.limit ?? 5;
    if (!query.trim()) return [];
    const results = this.mini.search(query);
    const hits: SearchHit[] = [];
    const take = (wantLocale: boolean) => {
      for (const r of results) {
        if (hits.length >= limit) return;
        const doc = this.docs.get(String(r.id));
        if (!doc || (doc.locale === options.locale) !== wantLocale) continue;
        if (!wantLocale && hits.some((h) => h.slug === doc.slug)) continue;
        const boost = options.intent && doc.intents.includes(options.intent) ? 1.5 : 1;
        hits.push({
          id: doc.id,
          slug: doc.slug,
          locale: doc.locale,
          title: doc.title,
          summary: doc.summary,
          score: r.score * boost,
          fallback: !wantLocale,
        });
      }
    };
    take(true);
    take(false);
    return hits.sort((a, b) => Number(a.fallback) - Number(b.fallback) || b.score - a.score);
  }
}
