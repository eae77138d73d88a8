import type { TLocale } from '@kefu/shared';

/** localStorage keys; public/boot.js reads the same ones before the bundle loads. */
export const LANGUAGE_KEY = 'kefu.language';
export const COLOR_SCHEME_KEY = 'kefu.color-scheme';

export const CONSOLE_LOCALES = ['zh-CN', 'en'] as const satisfies readonly TLocale[];

export function isConsoleLocale(value: unknown): value is TLocale {
  return typeof value === 'string' && (CONSOLE_LOCALES as readonly string[]).includes(value);
}

/** Same rule as the server's pickLocale: any zh-* is zh-CN, any en-* is en, else en. */
export function localeFromTags(tags: readonly string[]): TLocale {
  for (const tag of tags) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStorage(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Private mode or disabled storage: the choice lasts for this page only.
  }
}

/** The saved choice, else the browser's languages. */
export function initialLocale(): TLocale {
  const saved = readStorage(LANGUAGE_KEY);
  if (isConsoleLocale(saved)) return saved;
  return localeFromTags(navigator.languages?.length ? navigator.languages : [navigator.language]);
}
