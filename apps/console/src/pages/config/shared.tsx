import { useTranslation } from 'react-i18next';

/** Minutes as the largest whole unit that fits ("90 min", "4 h", "2 d"). */
export function useDuration() {
  const { t } = useTranslation();
  return (minutes: number | null) => {
    if (minutes === null) return t('config.sla.noTarget');
    if (minutes % 1440 === 0) return t('config.sla.duration.days', { count: minutes / 1440 });
    if (minutes % 60 === 0) return t('config.sla.duration.hours', { count: minutes / 60 });
    return t('config.sla.duration.minutes', { count: minutes });
  };
}
