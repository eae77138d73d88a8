import type { TLocale } from '@kefu/shared';
import { assetUrl, type HelpAsset } from './assets.ts';
import { html, SafeHtml } from './html.ts';
import { otherLocales, t } from './strings.ts';

/** What every page knows about the request it answers. */
export type PageContext = {
  locale: TLocale;
  /** PUBLIC_URL, for canonical and alternate links. */
  origin: string;
  assets: Map<string, HelpAsset>;
  /** A fresh form nonce, for pages with a form. */
  nonce: () => string;
};

export type NavItem = 'tickets' | 'verify' | 'contact';

export type PageOptions = {
  /** The page's own title; the site name is added. Omitted on the home page. */
  title?: string;
  description: string;
  /** This page's path in each language it exists in (hreflang → path), its own included. */
  alternates: Partial<Record<TLocale | 'x-default', string>>;
  /** Defaults to this locale's alternate. */
  canonical?: string;
  /** Pages with personal or one-off content stay out of search engines. */
  noindex?: boolean;
  current?: NavItem;
  /** The standing safety notice: in the footer (default), or nowhere because the page shows it. */
  safety?: 'footer' | 'inline';
  main: SafeHtml;
};

export const helpPath = (locale: TLocale, rest = '') => `/help/${locale}${rest}`;

/** The standing notice: what official support never asks for, and where to check a channel. */
export function safetyNotice(
  locale: TLocale,
  headingLevel: 'h2' | 'p' = 'h2',
  linkToVerify = true,
): SafeHtml {
  const title =
    headingLevel === 'h2'
      ? html`<h2 id="safety-title">${t(locale, 'safetyTitle')}</h2>`
      : html`<p class="safety-title" id="safety-title">${t(locale, 'safetyTitle')}</p>`;
  return html`<aside class="safety" aria-labelledby="safety-title">
${title}
<p>${t(locale, 'safetyText')}</p>
${linkToVerify ? html`<p><a href="${helpPath(locale, '/verify')}">${t(locale, 'safetyVerifyLink')}</a></p>` : ''}
</aside>`;
}

/**
 * Where current announcements (incidents, maintenance) go on every page, just under the header.
 * The routes fill it in when the page is sent, so every page shows them without each page
 * loading them.
 */
export const ANNOUNCEMENT_SLOT = '<!-- slot:announcements -->';
function announcementSlot(_locale: TLocale): SafeHtml {
  return new SafeHtml(ANNOUNCEMENT_SLOT);
}

export function renderPage(ctx: PageContext, options: PageOptions): SafeHtml {
  const { locale, origin } = ctx;
  const site = t(locale, 'siteName');
  const title = options.title ? `${options.title} · ${site}` : site;
  const canonical = options.canonical ?? options.alternates[locale] ?? helpPath(locale);
  const alternates = Object.entries(options.alternates).map(
    ([lang, path]) => html`<link rel="alternate" hreflang="${lang}" href="${origin}${path}">`,
  );
  const switches = otherLocales(locale).map((other) => {
    const target = options.alternates[other] ?? helpPath(other);
    return html`<a class="lang" href="${target}" hreflang="${other}" lang="${other}">${t(other, 'languageName')}</a>`;
  });
  const nav = (item: NavItem, path: string, label: string) =>
    html`<a href="${helpPath(locale, path)}"${options.current === item ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="description" content="${options.description}">
${options.noindex ? html`<meta name="robots" content="noindex">` : ''}
<link rel="canonical" href="${origin}${canonical}">
${alternates}
<meta name="color-scheme" content="light dark">
<link rel="stylesheet" href="${assetUrl(ctx.assets, 'help.css')}">
<script src="${assetUrl(ctx.assets, 'help.js')}" defer></script>
</head>
<body>
<a class="skip" href="#main">${t(locale, 'skipToContent')}</a>
<header class="top">
<div class="wrap bar">
<a class="brand" href="${helpPath(locale)}">${t(locale, 'brand')} <span>${t(locale, 'helpCenter')}</span></a>
<nav aria-label="${t(locale, 'navLabel')}">
${nav('tickets', '/tickets', t(locale, 'navTickets'))}
${nav('verify', '/verify', t(locale, 'navVerify'))}
${nav('contact', '/contact', t(locale, 'navContact'))}
${switches}
</nav>
</div>
</header>
${announcementSlot(locale)}
<main id="main" class="wrap">
${options.main}
</main>
<footer class="foot">
<div class="wrap">
${options.safety === 'inline' ? '' : safetyNotice(locale, 'p')}
<p class="small">© ${t(locale, 'brand')} · <a href="${helpPath(locale)}">${site}</a></p>
</div>
</footer>
</body>
</html>
`;
}
