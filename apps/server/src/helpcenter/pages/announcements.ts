import type { TAnnouncement, TLocale } from '@kefu/shared';
import { html, type SafeHtml } from '../html.ts';
import { helpPath, type PageContext, renderPage } from '../layout.ts';
import { t } from '../strings.ts';

const when = (locale: TLocale, iso: string) =>
  `${new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(iso))} UTC`;

/** The banners under the header of every page: current announcements, incidents first. */
export function renderAnnouncementBanners(locale: TLocale, list: TAnnouncement[]): SafeHtml {
  if (list.length === 0) return html``;
  const items = list.map(
    (
      a,
    ) => html`<div class="announcement ${a.severity}" role="${a.severity === 'incident' ? 'alert' : 'status'}">
<div class="wrap"><strong>${t(locale, a.severity === 'incident' ? 'announcementIncident' : 'announcementInfo')}</strong> ${a.text[locale]}
<a class="more" href="${helpPath(locale, '/announcements')}#a-${a.id}">${t(locale, 'announcementMore')}</a></div>
</div>`,
  );
  return html`<section class="announcements" aria-label="${t(locale, 'announcementsTitle')}">
${items}
</section>`;
}

/** /help/{locale}/announcements: what is going on now, and what was resolved lately. */
export function renderAnnouncementIndex(ctx: PageContext, list: TAnnouncement[]): SafeHtml {
  const { locale } = ctx;
  const current = list.filter((a) => a.state === 'active');
  const past = list.filter((a) => a.state !== 'active' && a.state !== 'scheduled');
  const item = (
    a: TAnnouncement,
  ) => html`<article class="announcement-item ${a.severity}" id="a-${a.id}">
<h3>${a.text[locale]}</h3>
<p class="meta">${t(locale, a.severity === 'incident' ? 'announcementIncident' : 'announcementInfo')} · ${t(locale, 'announcementSince', { time: when(locale, a.startsAt) })}${a.resolvedAt ? html` · ${t(locale, 'announcementResolvedAt', { time: when(locale, a.resolvedAt) })}` : ''}</p>
${a.details[locale] ? html`<p>${a.details[locale]}</p>` : ''}
</article>`;
  return renderPage(ctx, {
    title: t(locale, 'announcementsTitle'),
    description: t(locale, 'announcementsDescription'),
    alternates: {
      en: helpPath('en', '/announcements'),
      'zh-CN': helpPath('zh-CN', '/announcements'),
      'x-default': helpPath('en', '/announcements'),
    },
    main: html`<h1>${t(locale, 'announcementsTitle')}</h1>
<h2>${t(locale, 'announcementsCurrent')}</h2>
${current.length > 0 ? current.map(item) : html`<p>${t(locale, 'announcementsNone')}</p>`}
${past.length > 0 ? html`<h2>${t(locale, 'announcementsPast')}</h2>${past.map(item)}` : ''}`,
  });
}
