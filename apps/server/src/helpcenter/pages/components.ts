import type { TLocale } from '@kefu/shared';
import { html, type SafeHtml } from '../html.ts';
import { helpPath } from '../layout.ts';
import { t } from '../strings.ts';

/** Field name → message, in the page language. */
export type FieldErrors = Partial<Record<string, string>>;

export const articlePath = (locale: string, slug: string) =>
  `/help/${locale}/articles/${encodeURIComponent(slug)}`;
export const categoryPath = (locale: TLocale, category: string) =>
  helpPath(locale, `/categories/${encodeURIComponent(category)}`);

/** The list of problems at the top of a form, each linking to its field. */
export function errorSummary(locale: TLocale, errors: FieldErrors, ids: Record<string, string>) {
  const entries = Object.entries(errors).filter(([, message]) => message);
  if (entries.length === 0) return html``;
  return html`<div class="errors" role="alert" tabindex="-1" id="errors">
<p><strong>${t(locale, 'errorsTitle')}</strong></p>
<ul>${entries.map(([name, message]) => html`<li><a href="#${ids[name] ?? name}">${message}</a></li>`)}</ul>
</div>`;
}

type ControlProps = { id: string; describedBy: string; invalid: boolean };

/** A labelled form field with its hint and inline error, wired up with aria-describedby. */
export function field(options: {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  control: (props: ControlProps) => SafeHtml;
}): SafeHtml {
  const { id, label, hint, error } = options;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return html`<div class="field${error ? ' invalid' : ''}">
<label for="${id}">${label}</label>
${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : ''}
${error ? html`<p class="error" id="${id}-error">${error}</p>` : ''}
${options.control({ id, describedBy, invalid: Boolean(error) })}
</div>`;
}

/** `aria-describedby` and `aria-invalid` for a control, when there is something to say. */
export function aria(props: ControlProps): SafeHtml {
  return html`${props.describedBy ? html` aria-describedby="${props.describedBy}"` : ''}${props.invalid ? html` aria-invalid="true"` : ''}`;
}

export function searchForm(locale: TLocale, q = '', id = 'q'): SafeHtml {
  return html`<form class="search" role="search" method="get" action="${helpPath(locale, '/search')}">
<label class="visually-hidden" for="${id}">${t(locale, 'searchLabel')}</label>
<input id="${id}" type="search" name="q" value="${q}" placeholder="${t(locale, 'searchPlaceholder')}" maxlength="200" autocomplete="off" enterkeyhint="search">
<button type="submit">${t(locale, 'searchButton')}</button>
</form>`;
}

/** A hidden per-form nonce (see form-nonce.ts). */
export function nonceInput(nonce: string): SafeHtml {
  return html`<input type="hidden" name="nonce" value="${nonce}">`;
}

/** A heading and text for a page that only says something (not found, errors). */
export function messagePage(locale: TLocale, title: string, text: string): SafeHtml {
  return html`<section class="message">
<h1>${title}</h1>
<p>${text}</p>
${searchForm(locale)}
<p><a href="${helpPath(locale)}">${t(locale, 'backHome')}</a></p>
</section>`;
}
