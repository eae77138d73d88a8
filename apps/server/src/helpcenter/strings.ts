import { LOCALES, type TLocale } from '@kefu/shared';
import { type Messages, translate } from '@kefu/shared/i18n';

export type HelpKey = keyof Messages['help'];

/** A help-center string in `locale` (i18n group `help`). */
export function t(locale: TLocale, key: HelpKey, vars: Record<string, string | number> = {}) {
  return translate(locale, `help.${key}`, vars);
}

/** The help center's topics, in the order the home page shows them. */
export const HELP_CATEGORIES = [
  'account',
  'security',
  'kyc',
  'deposits',
  'withdrawals',
  'fees',
  'trading',
  'fiat',
  'support',
] as const;
export type HelpCategory = (typeof HELP_CATEGORIES)[number];

export function isHelpCategory(value: string): value is HelpCategory {
  return (HELP_CATEGORIES as readonly string[]).includes(value);
}

/** A category's localized name; a category an admin made up is shown as written. */
export function categoryName(locale: TLocale, category: string): string {
  return isHelpCategory(category) ? t(locale, `cat_${category}`) : category;
}

/** The other locales, for language links (zh-CN ⇄ en). */
export function otherLocales(locale: TLocale): TLocale[] {
  return LOCALES.filter((l) => l !== locale);
}

/** A date as people of `locale` write it (server time zone independent: UTC). */
export function formatDate(locale: TLocale, date: Date | string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(date),
  );
}

/** Date and time in UTC; help.js shows it in the reader's time zone. */
export function formatDateTime(locale: TLocale, date: Date | string): string {
  const text = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(new Date(date));
  return `${text} UTC`;
}
