import { describe, expect, it } from 'vitest';
import { type IndexedArticle, KnowledgeIndex } from './search-index.ts';

function article(
  i: number,
  locale: IndexedArticle['locale'],
  fields: Partial<IndexedArticle>,
): IndexedArticle {
  return {
    id: `a-${locale}-${i}`,
    slug: `article-${i}`,
    locale,
    title: `Article ${i}`,
    summary: '',
    body: '',
    tags: [],
    category: 'general',
    intents: [],
    ...fields,
  };
}

/** A large help center where some words are in nearly every article's body. */
function largeIndex(): KnowledgeIndex {
  const kb = new KnowledgeIndex();
  const articles: IndexedArticle[] = [];
  for (let i = 0; i < 1000; i++) {
    articles.push(
      article(i, 'en', {
        body: `Your account and your deposit are safe. Review step ${i} of the guide.`,
      }),
      article(i, 'zh-CN', {
        title: `文章 ${i}`,
        body: `您的账户与充值都是安全的，请按第 ${i} 步操作。`,
      }),
    );
  }
  articles.push(
    article(2000, 'en', {
      title: 'My account is locked',
      body: 'Wait 30 minutes, then reset your password.',
    }),
    article(2000, 'zh-CN', { title: '充值未到账怎么办', body: '请提供交易哈希。' }),
  );
  kb.replaceAll(articles);
  return kb;
}

describe('KnowledgeIndex', () => {
  it('ranks by the headings when every word of the query is common in bodies', () => {
    const kb = largeIndex();
    const [top] = kb.search('account locked', { locale: 'en' });
    expect(top?.title).toBe('My account is locked');
  });

  it('still finds articles when the only rare words of the query are unknown to the index', () => {
    const kb = largeIndex();
    // 没到账 and 怎么 occur in no article; 充值 is in every body and in one title.
    const hits = kb.search('充值没到账怎么', { locale: 'zh-CN' });
    expect(hits[0]?.title).toBe('充值未到账怎么办');
    expect(kb.search('account qqq', { locale: 'en' })[0]?.title).toBe('My account is locked');
  });

  it('fills in from the other language only when the asked one has too few', () => {
    const kb = new KnowledgeIndex();
    kb.replaceAll([
      article(1, 'en', { title: 'Withdrawal limits', slug: 'limits' }),
      article(1, 'zh-CN', { title: '提币限额', slug: 'limits' }),
      article(2, 'zh-CN', { title: '提币审核', slug: 'review' }),
    ]);
    const hits = kb.search('提币', { locale: 'en', limit: 5 });
    // The English article first; the Chinese translation of the same slug is not repeated.
    expect(hits.map((h) => [h.slug, h.locale, h.fallback])).toEqual([
      ['limits', 'en', false],
      ['review', 'zh-CN', true],
    ]);
    expect(kb.search('提币', { locale: 'en', limit: 1 }).map((h) => h.slug)).toEqual(['limits']);
  });

  it('updates and removes articles in their own language', () => {
    const kb = largeIndex();
    const locked = kb.search('locked', { locale: 'en' })[0];
    expect(locked?.title).toBe('My account is locked');
    kb.upsert({ ...(kb.get(locked?.id ?? '') as IndexedArticle), title: 'Frozen accounts' });
    expect(kb.search('locked', { locale: 'en' })[0]?.title).toBe('Frozen accounts');
    kb.remove(locked?.id ?? '');
    expect(kb.search('frozen', { locale: 'en' })).toEqual([]);
    expect(kb.size).toBe(2001);
  });
});
