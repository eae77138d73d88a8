import type { TLocale, TOfficialChannel, TVerifyResult } from '@kefu/shared';
import { html, type SafeHtml } from '../html.ts';
import { helpPath, type PageContext, renderPage, safetyNotice } from '../layout.ts';
import { t } from '../strings.ts';
import { aria, errorSummary, field } from './components.ts';

export const VERIFY_MAX = 500;
const IDS = { value: 'verify-value' };

/** An official value as customers see it: handles with their @. */
function shown(channel: Pick<TOfficialChannel, 'kind' | 'value'>): string {
  return channel.kind === 'telegram' || channel.kind === 'x' ? `@${channel.value}` : channel.value;
}

/**
 * How a registry entry is named on the page: its label when written in the page's script
 * (labels are entered in one language), else the kind in the page language.
 */
function nameOf(locale: TLocale, channel: Pick<TOfficialChannel, 'kind' | 'label'>): string {
  const chinese = /[\u3400-\u9fff]/.test(channel.label);
  if (channel.label && chinese === (locale === 'zh-CN')) return channel.label;
  return t(locale, `kind_${channel.kind}`);
}

export function renderVerify(
  ctx: PageContext,
  input: { value: string; error?: string | undefined },
  result: TVerifyResult | null,
  registry: TOfficialChannel[],
): SafeHtml {
  const { locale } = ctx;
  const verdict = result
    ? html`<section class="verdict verdict-${result.verdict}" aria-labelledby="verdict-title" role="status" id="verdict">
<p class="verdict-label" id="verdict-title">${t(locale, `verdict_${result.verdict}`)}</p>
<p class="checked">${t(locale, 'verifyResultFor', { value: result.normalized || input.value })}</p>
<p><strong>${result.message}</strong></p>
${
  result.reasons.length > 0
    ? html`<p class="reasons-title">${t(locale, 'verifyReasons')}</p>
<ul class="reasons">${result.reasons.map((r) => html`<li data-reason="${r.code}">${r.message}</li>`)}</ul>`
    : ''
}
</section>`
    : '';
  const main = html`<h1>${t(locale, 'verifyTitle')}</h1>
<p>${t(locale, 'verifyIntro')}</p>
${errorSummary(locale, { value: input.error }, IDS)}
<form class="stack" method="post" action="${helpPath(locale, '/verify')}#verdict" novalidate>
${field({
  id: IDS.value,
  label: t(locale, 'verifyLabel'),
  error: input.error,
  control: (p) =>
    html`<div class="inline"><input id="${p.id}" name="value" value="${input.value}" required maxlength="${VERIFY_MAX}" autocomplete="off" autocapitalize="off" spellcheck="false" placeholder="${t(locale, 'verifyPlaceholder')}"${aria(p)}>
<button type="submit">${t(locale, 'verifyButton')}</button></div>`,
})}
</form>
${verdict}
${safetyNotice(locale, 'h2', false)}
<section aria-labelledby="official-title">
<h2 id="official-title">${t(locale, 'officialListTitle')}</h2>
${
  registry.length === 0
    ? html`<p>${t(locale, 'officialListEmpty')}</p>`
    : html`<ul class="official">${registry.map(
        (c) =>
          html`<li><span class="kind">${nameOf(locale, c)}</span> <code>${shown(c)}</code></li>`,
      )}</ul>`
}
</section>`;
  return renderPage(ctx, {
    title: t(locale, 'verifyTitle'),
    description: t(locale, 'verifyDescription'),
    alternates: { 'zh-CN': '/help/zh-CN/verify', en: '/help/en/verify' },
    noindex: result !== null,
    current: 'verify',
    safety: 'inline',
    main,
  });
}
