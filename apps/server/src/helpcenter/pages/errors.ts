import type { SafeHtml } from '../html.ts';
import { type PageContext, renderPage } from '../layout.ts';
import { t } from '../strings.ts';
import { messagePage } from './components.ts';

export function renderNotFound(ctx: PageContext): SafeHtml {
  const { locale } = ctx;
  return renderPage(ctx, {
    title: t(locale, 'notFoundTitle'),
    description: t(locale, 'notFoundText'),
    alternates: {},
    canonical: `/help/${locale}`,
    noindex: true,
    main: messagePage(locale, t(locale, 'notFoundTitle'), t(locale, 'notFoundText')),
  });
}

export function renderErrorPage(
  ctx: PageContext,
  kind: 'rate_limited' | 'failed',
  requestId: string,
): SafeHtml {
  const { locale } = ctx;
  const title = kind === 'rate_limited' ? t(locale, 'tooManyTitle') : t(locale, 'errorTitle');
  const text =
    kind === 'rate_limited' ? t(locale, 'tooManyText') : t(locale, 'errorText', { requestId });
  return renderPage(ctx, {
    title,
    description: text,
    alternates: {},
    canonical: `/help/${locale}`,
    noindex: true,
    main: messagePage(locale, title, text),
  });
}
