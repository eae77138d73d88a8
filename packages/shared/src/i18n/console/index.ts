import type { TLocale } from '../../common.ts';
import { type ConsoleMessages, consoleEn } from './en.ts';
import { consoleZhCN } from './zh-CN.ts';

// No value imports from the schemas here: the console bundles this file and must not pull zod in.
export type { ConsoleMessages };
export { consoleEn, consoleZhCN };

export const consoleResources: Record<TLocale, ConsoleMessages> = {
  en: consoleEn,
  'zh-CN': consoleZhCN,
};
