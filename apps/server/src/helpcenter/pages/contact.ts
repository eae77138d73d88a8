import type { TLocale } from '@kefu/shared';
import { html, type SafeHtml } from '../html.ts';
import { helpPath, type PageContext, renderPage } from '../layout.ts';
import { categoryName, HELP_CATEGORIES, t } from '../strings.ts';
import { aria, errorSummary, type FieldErrors, field, nonceInput } from './components.ts';

export const CONTACT_CATEGORIES = [...HELP_CATEGORIES, 'other'] as const;
export const DESCRIPTION_MIN = 8;

export type ContactForm = { email: string; category: string; description: string; nonce: string };

const IDS = {
  email: 'contact-email',
  category: 'contact-category',
  description: 'contact-description',
};

const alternates = { 'zh-CN': '/help/zh-CN/contact', en: '/help/en/contact' };

function contactCategoryName(locale: TLocale, category: string): string {
  return category === 'other' ? t(locale, 'cat_other') : categoryName(locale, category);
}

export function renderContactForm(
  ctx: PageContext,
  form: ContactForm,
  errors: FieldErrors = {},
  notice?: string,
): SafeHtml {
  const { locale } = ctx;
  const main = html`<h1>${t(locale, 'contactTitle')}</h1>
<p>${t(locale, 'contactIntro')}</p>
${notice ? html`<p class="notice" role="alert">${notice}</p>` : ''}
${errorSummary(locale, errors, IDS)}
<form class="stack" method="post" action="${helpPath(locale, '/contact')}" novalidate data-once>
${nonceInput(form.nonce)}
${field({
  id: IDS.description,
  label: t(locale, 'descriptionLabel'),
  hint: t(locale, 'descriptionHint'),
  error: errors.description,
  control: (p) =>
    html`<textarea id="${p.id}" name="description" rows="6" required minlength="${DESCRIPTION_MIN}" maxlength="10000"${aria(p)} data-suggest="${locale}">${form.description}</textarea>`,
})}
<section class="suggestions" id="suggestions" aria-live="polite" hidden
 data-lang-en="${t(locale, 'inLanguage', { language: t(locale, 'lang_en') })}"
 data-lang-zh-cn="${t(locale, 'inLanguage', { language: t(locale, 'lang_zh-CN') })}">
<h2>${t(locale, 'suggestionsTitle')}</h2>
<ul></ul>
</section>
${field({
  id: IDS.category,
  label: t(locale, 'categoryLabel'),
  error: errors.category,
  control: (p) => html`<select id="${p.id}" name="category" required${aria(p)}>
<option value="">${t(locale, 'categoryChoose')}</option>
${CONTACT_CATEGORIES.map((c) => html`<option value="${c}"${form.category === c ? html` selected` : ''}>${contactCategoryName(locale, c)}</option>`)}
</select>`,
})}
${field({
  id: IDS.email,
  label: t(locale, 'emailLabel'),
  hint: t(locale, 'emailHint'),
  error: errors.email,
  control: (p) =>
    html`<input id="${p.id}" type="email" name="email" value="${form.email}" required maxlength="254" autocomplete="email" inputmode="email" spellcheck="false"${aria(p)}>`,
})}
<p><button type="submit">${t(locale, 'submit')}</button></p>
</form>`;
  return renderPage(ctx, {
    title: t(locale, 'contactTitle'),
    description: t(locale, 'contactDescription'),
    alternates,
    current: 'contact',
    main,
  });
}

export function renderContactSent(
  ctx: PageContext,
  result: { number: number; duplicate: boolean; warning: string | null },
): SafeHtml {
  const { locale } = ctx;
  const main = html`<section class="done" aria-labelledby="sent-title">
<h1 id="sent-title">${t(locale, 'sentTitle')}</h1>
${result.duplicate ? html`<p class="notice">${t(locale, 'sentDuplicate')}</p>` : ''}
${result.warning ? html`<p class="notice warn" role="alert">${result.warning}</p>` : ''}
<p class="ticket-number">${t(locale, 'sentNumber')} <strong data-ticket-number>#${result.number}</strong></p>
<p>${t(locale, 'sentText')}</p>
<p><a class="button" href="${helpPath(locale, `/tickets?number=${result.number}`)}">${t(locale, 'viewTicket')}</a></p>
</section>`;
  return renderPage(ctx, {
    title: t(locale, 'sentTitle'),
    description: t(locale, 'contactDescription'),
    alternates,
    noindex: true,
    current: 'contact',
    main,
  });
}
