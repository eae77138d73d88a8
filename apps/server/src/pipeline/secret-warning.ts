import type { TLocale, TSecretKind } from '@kefu/shared';
import { translate } from '@kefu/shared/i18n';

/** The warning a customer gets, in their language, when the secret guard masked something. */
export function secretWarning(locale: TLocale, kinds: TSecretKind[]): string {
  const unique = [...new Set(kinds)];
  const names = unique.map((k) => translate(locale, `customer.kind_${k}`));
  const list = locale === 'zh-CN' ? names.join('、') : names.join(', ');
  return translate(locale, 'customer.secretWarning', { kinds: list });
}
