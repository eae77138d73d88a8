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
  /**
   * Document frequency of every indexed term: typo tolerance is tried only for query words the
   * index does not know, and words in most documents (which barely change the ranking but cost
   * the most to score) are left out of the query.
   */
  private vocabulary = new Map<string, number>();

  private count(article: IndexedArticle, delta: 1 | -1) {
    const terms = new Set(
      searchTerms(
        [article.title, article.summary, article.body, article.tags.join(' ')].join('\n'),
      ),
    );
    for (const term of terms) {
      const n = (this.vocabulary.get(term) ?? 0) + delta;
      if (n <= 0) this.vocabulary.delete(term);
      else this.vocabulary.set(term, n);
    }
  }

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
    this.vocabulary.clear();
    for (const a of articles) {
      this.docs.set(a.id, a);
      this.count(a, 1);
    }
    this.mini.addAll(
      articles.map((a) => ({ ...a, tags: a.tags.join(' ') as unknown as string[] })),
    );
  }

  upsert(article: IndexedArticle): void {
    const previous = this.docs.get(article.id);
    if (previous) {
      this.mini.discard(article.id);
      this.count(previous, -1);
    }
    this.docs.set(article.id, article);
    this.count(article, 1);
    this.mini.add({ ...article, tags: article.tags.join(' ') as unknown as string[] });
  }

  remove(id: string): void {
    const previous = this.docs.get(id);
    if (!previous) return;
    this.mini.discard(id);
    this.count(previous, -1);
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
    const all = [...new Set(searchTerms(query))];
    if (all.length === 0) return [];
    const df = (t: string) => this.vocabulary.get(t) ?? 0;
    // Keep discriminating words; if every word is common, keep the three rarest.
    const common = Math.max(50, this.docs.size * 0.1);
    let terms = all.filter((t) => df(t) <= common);
    if (terms.length === 0) terms = [...all].sort((a, b) => df(a) - df(b)).slice(0, 3);
    // Known words match exactly; an unknown longer English word gets one typo of tolerance.
    const results = this.mini.search({
      // The terms are already segmented, stemmed and expanded.
      tokenize: (term: string) => [term],
      combineWith: 'OR',
      queries: terms.map((term) =>
        this.vocabulary.has(term) || !/^[a-z]{5,}$/.test(term)
          ? { queries: [term] }
          : { queries: [term], fuzzy: 0.2, prefix: true },
      ),
    });
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
