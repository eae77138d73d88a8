import type { TLocale } from '@kefu/shared';
import { type ConsoleMessages, consoleResources } from '@kefu/shared/i18n/console';
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { initialLocale, LANGUAGE_KEY, writeStorage } from './lib/preferences.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: ConsoleMessages };
  }
}

const language = initialLocale();

// Resources are bundled (two small tables), so init is synchronous.
void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: consoleResources.en },
    'zh-CN': { translation: consoleResources['zh-CN'] },
  },
  lng: language,
  fallbackLng: 'en',
  supportedLngs: ['zh-CN', 'en'],
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

function applyToDocument(lng: string) {
  document.documentElement.lang = lng;
}
applyToDocument(language);
i18n.on('languageChanged', applyToDocument);

/** Switches the UI language and remembers the choice on this browser. */
export async function changeLanguage(locale: TLocale): Promise<void> {
  writeStorage(LANGUAGE_KEY, locale);
  await i18n.changeLanguage(locale);
}

export function currentLocale(): TLocale {
  return i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
}

export default i18n;
