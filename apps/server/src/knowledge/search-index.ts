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

type Locale = IndexedArticle['locale'];
const LOCALES: Locale[] = ['zh-CN', 'en'];
const FIELDS = ['title', 'summary', 'tags', 'body'] as const;
/** Where a common word still tells articles apart: a body mentions "account" everywhere. */
const HEADING_FIELDS = ['title', 'summary', 'tags'];
/** How much more an article of the conversation's intent weighs. */
const INTENT_BOOST = 1.5;

/** A field's search terms, segmented once and joined by spaces (no term contains one). */
type Segmented = Record<(typeof FIELDS)[number], string> & { id: string };

/**
 * One language's articles: a MiniSearch index of their pre-segmented fields and the number of
 * articles each term occurs in.
 */
class LocaleIndex {
  readonly mini = new MiniSearch<Segmented>({
    idField: 'id',
    fields: [...FIELDS],
    storeFields: [],
    tokenize: (text) => (text ? text.split(' ') : []),
    processTerm: (term) => term,
    searchOptions: { boost: { title: 3, summary: 2, tags: 2, body: 1 }, combineWith: 'OR' },
  });
  readonly vocabulary = new Map<string, number>();
  size = 0;

  add(article: IndexedArticle) {
    const doc: Segmented = {
      id: article.id,
      title: searchTerms(article.title).join(' '),
      summary: searchTerms(article.summary).join(' '),
      tags: searchTerms(article.tags.join(' ')).join(' '),
      body: searchTerms(article.body).join(' '),
    };
    this.count(doc, 1);
    this.mini.add(doc);
    this.size++;
    return doc;
  }

  discard(id: string, doc: Segmented) {
    this.mini.discard(id);
    this.count(doc, -1);
    this.size--;
  }

  private count(doc: Segmented, delta: 1 | -1) {
    const terms = new Set(FIELDS.flatMap((f) => (doc[f] ? doc[f].split(' ') : [])));
    for (const term of terms) {
      const n = (this.vocabulary.get(term) ?? 0) + delta;
      if (n <= 0) this.vocabulary.delete(term);
      else this.vocabulary.set(term, n);
    }
  }

  /**
   * BM25 over the query's terms. Words in a large share of the articles barely change the
   * ranking but cost the most to score, so they are matched in titles, summaries and tags only;
   * a word the index does not know gets one typo of tolerance when it is a longer English word.
   */
  search(terms: string[]) {
    const common = Math.max(50, this.size * 0.1);
    const queries = terms.flatMap((term) => {
      const df = this.vocabulary.get(term) ?? 0;
      if (df > common) return [{ queries: [term], fields: HEADING_FIELDS }];
      if (df > 0) return [{ queries: [term] }];
      return /^[a-z]{5,}$/.test(term) ? [{ queries: [term], fuzzy: 0.2, prefix: true }] : [];
    });
    if (queries.length === 0) return [];
    // The terms are already segmented, stemmed and expanded.
    return this.mini.search({ queries, combineWith: 'OR' }, { tokenize: (term) => [term] });
  }
}

/**
 * BM25 ranking (MiniSearch) over title, summary, tags and body, with Chinese segmentation,
 * English stemming, typo tolerance for longer English words, and synonym groups. Each language
 * has its own index, so a query scores only the articles of the language it looks in.
 */
export class KnowledgeIndex {
  private indexes = this.create();
  private docs = new Map<string, { article: IndexedArticle; segmented: Segmented }>();

  private create(): Record<Locale, LocaleIndex> {
    return { 'zh-CN': new LocaleIndex(), en: new LocaleIndex() };
  }

  get size(): number {
    return this.docs.size;
  }

  replaceAll(articles: IndexedArticle[]): void {
    this.indexes = this.create();
    this.docs.clear();
    for (const article of articles) this.upsert(article);
  }

  upsert(article: IndexedArticle): void {
    this.remove(article.id);
    const segmented = this.indexes[article.locale].add(article);
    this.docs.set(article.id, { article, segmented });
  }

  remove(id: string): void {
    const previous = this.docs.get(id);
    if (!previous) return;
    this.indexes[previous.article.locale].discard(id, previous.segmented);
    this.docs.delete(id);
  }

  get(id: string): IndexedArticle | undefined {
    return this.docs.get(id)?.article;
  }

  /** Best matches in the wanted locale; the other locale fills in when there are too few. */
  search(
    query: string,
    options: { locale: Locale; limit?: number; intent?: string | null },
  ): SearchHit[] {
    const limit = options.limit ?? 5;
    if (!query.trim()) return [];
    const terms = [...new Set(searchTerms(query))];
    if (terms.length === 0) return [];
    const hits: SearchHit[] = [];
    for (const locale of [options.locale, ...LOCALES.filter((l) => l !== options.locale)]) {
      if (hits.length >= limit) break;
      const fallback = locale !== options.locale;
      const want = limit - hits.length;
      const found: SearchHit[] = [];
      // Results come best first; an article of the intent gains at most INTENT_BOOST, so once
      // the list is full nothing below the weakest kept score / INTENT_BOOST can enter it.
      let floor = 0;
      for (const r of this.indexes[locale].search(terms)) {
        if (found.length >= want && r.score * INTENT_BOOST < floor) break;
        const doc = this.docs.get(String(r.id))?.article;
        if (!doc || (fallback && hits.some((h) => h.slug === doc.slug))) continue;
        const boost = options.intent && doc.intents.includes(options.intent) ? INTENT_BOOST : 1;
        found.push({
          id: doc.id,
          slug: doc.slug,
          locale: doc.locale,
          title: doc.title,
          summary: doc.summary,
          score: r.score * boost,
          fallback,
        });
        if (found.length >= want) {
          found.sort((a, b) => b.score - a.score);
          found.length = want;
          floor = (found[want - 1] as SearchHit).score;
        }
      }
      found.sort((a, b) => b.score - a.score);
      hits.push(...found);
    }
    return hits;
  }
}
