import type { TLocale } from '@kefu/shared';
import type { ArticleRow } from '../../knowledge/articles.ts';
import { html, type SafeHtml } from '../html.ts';
import { helpPath, type PageContext, renderPage } from '../layout.ts';
import { categoryName, formatDate, t } from '../strings.ts';
import { articlePath, categoryPath } from './components.ts';

export type ArticlePageData = {
  article: ArticleRow;
  body: SafeHtml;
  translations: ArticleRow[];
  related: ArticleRow[];
  /** Set right after the reader answered "was this helpful?" without JavaScript. */
  feedback: 'yes' | 'no' | null;
};

/** The summary, or the first ~160 characters of the body without its Markdown marks. */
function describe(article: ArticleRow): string {
  const text = article.summary
    ? article.summary.replace(/\s+/g, ' ').trim()
    : article.body
        .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
        .replace(/[#*_`>|]+/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

export function renderArticle(ctx: PageContext, data: ArticlePageData): SafeHtml {
  const { locale } = ctx;
  const { article, translations, related, feedback } = data;
  const category = categoryName(locale, article.category);
  const updated =
    article.publishedAt && article.updatedAt < article.publishedAt
      ? article.publishedAt
      : article.updatedAt;
  const thanks = (answer: 'yes' | 'no') =>
    html`<div class="thanks" data-feedback-answer="${answer}" role="status"${feedback === answer ? '' : html` hidden`}>
<p>${answer === 'yes' ? t(locale, 'feedbackThanksYes') : html`${t(locale, 'feedbackThanksNo')} <a href="${helpPath(locale, '/contact')}">${t(locale, 'stillNeedHelpLink')}</a>`}</p>
</div>`;
  const main = html`<nav class="crumbs" aria-label="${t(locale, 'breadcrumbLabel')}"><ol>
<li><a href="${helpPath(locale)}">${t(locale, 'helpCenter')}</a></li>
<li><a href="${categoryPath(locale, article.category)}">${category}</a></li>
<li><a href="${articlePath(locale, article.slug)}" aria-current="page">${article.title}</a></li>
</ol></nav>
<article class="article">
<header>
<h1>${article.title}</h1>
<p class="meta"><time datetime="${updated.toISOString()}">${t(locale, 'updated', { date: formatDate(locale, updated) })}</time>
${translations.map((tr) => html` · <a href="${articlePath(tr.locale, tr.slug)}" hreflang="${tr.locale}" lang="${tr.locale}" rel="alternate">${t(tr.locale as TLocale, 'readThisIn')}</a>`)}</p>
${article.summary ? html`<p class="lead">${article.summary}</p>` : ''}
</header>
<div class="prose">
${data.body}
</div>
</article>
<section class="feedback" id="feedback" aria-labelledby="feedback-title">
${
  feedback
    ? ''
    : html`<form method="post" action="${articlePath(locale, article.slug)}/feedback" data-feedback>
<h2 id="feedback-title">${t(locale, 'feedbackQuestion')}</h2>
<div class="buttons">
<button type="submit" name="helpful" value="yes">${t(locale, 'feedbackYes')}</button>
<button type="submit" name="helpful" value="no" class="secondary">${t(locale, 'feedbackNo')}</button>
</div>
</form>`
}
${feedback ? html`<h2 id="feedback-title" class="visually-hidden">${t(locale, 'feedbackQuestion')}</h2>` : ''}
${thanks('yes')}
${thanks('no')}
</section>
${
  related.length > 0
    ? html`<section class="related" aria-labelledby="related-title">
<h2 id="related-title">${t(locale, 'relatedTitle')}</h2>
<ul>${related.map((r) => html`<li><a href="${articlePath(locale, r.slug)}">${r.title}</a></li>`)}</ul>
</section>`
    : ''
}
<p class="still">${t(locale, 'stillNeedHelp')} <a href="${helpPath(locale, '/contact')}">${t(locale, 'stillNeedHelpLink')}</a></p>`;
  const alternates: Partial<Record<TLocale, string>> = {
    [locale]: articlePath(locale, article.slug),
  };
  for (const tr of translations) alternates[tr.locale] = articlePath(tr.locale, tr.slug);
  return renderPage(ctx, {
    title: article.title,
    description: describe(article),
    alternates,
    canonical: articlePath(locale, article.slug),
    main,
  });
}

/**
 * Articles to read next: the same topic, those sharing the article's intents first, then
 * shared tags, then by title.
 */
export function relatedArticles(article: ArticleRow, candidates: ArticleRow[], limit = 5) {
  const score = (other: ArticleRow) =>
    other.intents.filter((i) => article.intents.includes(i)).length * 3 +
    other.tags.filter((tag) => article.tags.includes(tag)).length +
    (other.category === article.category ? 1 : 0);
  return candidates
    .filter((c) => c.id !== article.id && c.locale === article.locale && c.status === 'published')
    .map((c) => ({ c, s: score(c) }))
    .filter(({ s }) => s > 0)
    .sort((a, b) => b.s - a.s || a.c.title.localeCompare(b.c.title))
    .slice(0, limit)
    .map(({ c }) => c);
}
