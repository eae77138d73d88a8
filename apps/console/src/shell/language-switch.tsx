import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLocale } from '../i18n.ts';
import { CONSOLE_LOCALES, isConsoleLocale } from '../lib/preferences.ts';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('language.label')}
      value={i18n.language === 'zh-CN' ? 'zh-CN' : currentLocale()}
      onChange={(value) => {
        if (isConsoleLocale(value)) void changeLanguage(value);
      }}
      data={CONSOLE_LOCALES.map((locale) => ({
        value: locale,
        label: t(`language.${locale}`),
      }))}
    />
  );
}
