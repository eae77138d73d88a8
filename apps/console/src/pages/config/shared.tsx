import { Alert, Loader, Paper, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';

/** Loading, error and empty states of a list query, then the list itself. */
export function QueryState<T>({
  query,
  empty,
  isEmpty,
  children,
}: {
  query: UseQueryResult<T>;
  empty: string;
  isEmpty: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isPending) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (query.isError) return <ErrorAlert error={query.error} />;
  if (isEmpty(query.data))
    return (
      <Paper withBorder p="lg" radius="md">
        <Text c="dimmed" size="sm">
          {empty}
        </Text>
      </Paper>
    );
  return <>{children(query.data)}</>;
}

export function ReadOnlyNote({ children }: { children: ReactNode }) {
  return (
    <Alert color="gray" variant="light" py="xs">
      <Text size="sm">{children}</Text>
    </Alert>
  );
}

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
