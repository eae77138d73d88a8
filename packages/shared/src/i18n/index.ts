import { LOCALES, type TLocale } from '../common.ts';
import { en, type Messages } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type { Messages };
export { en, zhCN };

export const resources: Record<TLocale, Messages> = { en, 'zh-CN': zhCN };

/** Picks zh-CN or en from an Accept-Language header or a locale tag; en when nothing matches. */
export function pickLocale(header: string | undefined | null): TLocale {
  if (!header) return 'en';
  const tags = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}

export function isLocale(value: unknown): value is TLocale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Looks up a dotted key (`errors.auth.forbidden` uses the first dot only) and fills {{vars}}. */
export function translate(
  locale: TLocale,
  key: string,
  vars: Record<string, string | number> = {},
): string {
  const dot = key.indexOf('.');
  const group = key.slice(0, dot) as keyof Messages;
  const name = key.slice(dot + 1);
  const table = resources[locale][group] as Record<string, string> | undefined;
  const fallback = resources.en[group] as Record<string, string> | undefined;
  const template = table?.[name] ?? fallback?.[name] ?? key;
  return template.replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(vars[v] ?? ''));
}
