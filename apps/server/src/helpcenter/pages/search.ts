import type { SearchHit } from '../../knowledge/search-index.ts';
import { html, type SafeHtml } from '../html.ts';
import { helpPath, type PageContext, renderPage } from '../layout.ts';
import { t } from '../strings.ts';
import { articlePath, searchForm } from './components.ts';

export function renderSearch(ctx: PageContext, q: string, hits: SearchHit[]): SafeHtml {
  const { locale } = ctx;
  const contact = helpPath(locale, `/contact?q=${encodeURIComponent(q)}`);
  const results = hits.map(
    (hit) => html`<li${hit.fallback ? html` lang="${hit.locale}"` : ''}>
<a href="${articlePath(hit.locale, hit.slug)}"${hit.fallback ? html` hreflang="${hit.locale}"` : ''}>${hit.title}</a>
${hit.fallback ? html` <span class="badge" lang="${locale}">${t(locale, 'inLanguage', { language: t(locale, `lang_${hit.locale}`) })}</span>` : ''}
${hit.summary ? html`<p>${hit.summary}</p>` : ''}
</li>`,
  );
  const main = html`<h1>${q ? t(locale, 'searchResultsFor', { q }) : t(locale, 'searchTitle')}</h1>
${searchForm(locale, q, 'search-q')}
${
  !q
    ? html`<p class="empty">${t(locale, 'searchEmpty')}</p>`
    : hits.length === 0
      ? html`<p class="empty" role="status">${t(locale, 'searchNone', { q })} <a href="${contact}">${t(locale, 'navContact')}</a></p>`
      : html`<p class="count" role="status">${t(locale, 'searchCount', { count: hits.length })}</p>
<ol class="results">${results}</ol>
<p class="still">${t(locale, 'stillNeedHelp')} <a href="${contact}">${t(locale, 'stillNeedHelpLink')}</a></p>`
}`;
  return renderPage(ctx, {
    title: q ? t(locale, 'searchResultsFor', { q }) : t(locale, 'searchTitle'),
    description: t(locale, 'searchDescription'),
    alternates: {
      'zh-CN': `/help/zh-CN/search${q ? `?q=${encodeURIComponent(q)}` : ''}`,
      en: `/help/en/search${q ? `?q=${encodeURIComponent(q)}` : ''}`,
    },
    // Result lists are not pages of their own for search engines.
    noindex: Boolean(q),
    main,
  });
}
