import type { TLocale } from '../../common.ts';
import { type WidgetMessages, widgetEn } from './en.ts';
import { widgetZhCN } from './zh-CN.ts';

// No value imports from the schemas here: the widget bundles this file and must not pull zod in.
export type { WidgetMessages };
export { widgetEn, widgetZhCN };

export const widgetResources: Record<TLocale, WidgetMessages> = {
  en: widgetEn,
  'zh-CN': widgetZhCN,
};

/** A widget string with its {{vars}} filled. */
export function widgetText(
  locale: TLocale,
  key: keyof WidgetMessages,
  vars: Record<string, string | number> = {},
): string {
  const template = widgetResources[locale][key] ?? widgetEn[key];
  return template.replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(vars[v] ?? ''));
}
