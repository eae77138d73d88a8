import type { ArticleRow } from '../../knowledge/articles.ts';
import { html, type SafeHtml } from '../html.ts';
import { helpPath, type PageContext, renderPage, safetyNotice } from '../layout.ts';
import { categoryName, t } from '../strings.ts';
import { articlePath, categoryPath, searchForm } from './components.ts';

/** How many articles of a topic the home page lists before "All N articles". */
export const HOME_ARTICLES_PER_CATEGORY = 5;

/** A topic with its first articles; `more` when it has others. */
export type CategoryGroup = { category: string; articles: ArticleRow[]; more: boolean };

export function renderHome(ctx: PageContext, groups: CategoryGroup[]): SafeHtml {
  const { locale } = ctx;
  const card = (path: string, title: string, text: string) =>
    html`<li><a class="card" href="${helpPath(locale, path)}"><strong>${title}</strong><span>${text}</span></a></li>`;
  const sections = groups.map(({ category, articles, more }, i) => {
    const shown = articles.slice(0, HOME_ARTICLES_PER_CATEGORY);
    return html`<section class="topic" aria-labelledby="topic-${i}">
<h3 id="topic-${i}"><a href="${categoryPath(locale, category)}">${categoryName(locale, category)}</a></h3>
<ul>${shown.map((a) => html`<li><a href="${articlePath(locale, a.slug)}">${a.title}</a></li>`)}</ul>
${more ? html`<p class="more"><a href="${categoryPath(locale, category)}">${t(locale, 'moreArticles', { category: categoryName(locale, category) })} →</a></p>` : ''}
</section>`;
  });
  const main = html`<section class="hero">
<h1>${t(locale, 'homeTitle')}</h1>
${searchForm(locale)}
</section>
<ul class="cards wide">
${card('/tickets', t(locale, 'navTickets'), t(locale, 'cardTicketsText'))}
${card('/verify', t(locale, 'navVerify'), t(locale, 'cardVerifyText'))}
${card('/contact', t(locale, 'navContact'), t(locale, 'cardContactText'))}
</ul>
<div class="wide">${safetyNotice(locale)}</div>
<section class="wide" aria-labelledby="topics-title">
<h2 id="topics-title">${t(locale, 'categoriesTitle')}</h2>
${groups.length === 0 ? html`<p>${t(locale, 'noArticles')}</p>` : html`<div class="topics">${sections}</div>`}
</section>`;
  return renderPage(ctx, {
    description: t(locale, 'homeDescription'),
    alternates: { 'zh-CN': '/help/zh-CN', en: '/help/en', 'x-default': '/help' },
    safety: 'inline',
    main,
  });
}

export function renderCategory(
  ctx: PageContext,
  category: string,
  articles: ArticleRow[],
  alternates: PageContext['locale'][],
): SafeHtml {
  const { locale } = ctx;
  const name = categoryName(locale, category);
  const main = html`<nav class="crumbs" aria-label="${t(locale, 'breadcrumbLabel')}"><ol>
<li><a href="${helpPath(locale)}">${t(locale, 'helpCenter')}</a></li>
<li><a href="${categoryPath(locale, category)}" aria-current="page">${name}</a></li>
</ol></nav>
<h1>${name}</h1>
${
  articles.length === 0
    ? html`<p>${t(locale, 'noArticles')}</p>`
    : html`<ul class="results">${articles.map(
        (a) =>
          html`<li><a href="${articlePath(locale, a.slug)}">${a.title}</a>${a.summary ? html`<p>${a.summary}</p>` : ''}</li>`,
      )}</ul>`
}`;
  return renderPage(ctx, {
    title: name,
    description: t(locale, 'categoryDescription', { category: name }),
    alternates: Object.fromEntries(alternates.map((l) => [l, categoryPath(l, category)])),
    main,
  });
}
