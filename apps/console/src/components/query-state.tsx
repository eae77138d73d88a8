import { Alert, Loader, Paper, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './error-alert.tsx';

/**
 * Loading, error and empty states of a list query, then the list itself. The empty note stands
 * in its own frame, or as plain text where the list already sits in one (`framed={false}`).
 */
export function QueryState<T>({
  query,
  empty,
  isEmpty,
  framed = true,
  children,
}: {
  query: UseQueryResult<T>;
  empty: string;
  isEmpty: (data: T) => boolean;
  framed?: boolean;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isPending) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (query.isError) return <ErrorAlert error={query.error} />;
  if (isEmpty(query.data)) {
    const note = (
      <Text c="dimmed" size="sm">
        {empty}
      </Text>
    );
    return framed ? (
      <Paper withBorder p="lg" radius="md">
        {note}
      </Paper>
    ) : (
      note
    );
  }
  return <>{children(query.data)}</>;
}

/** Says why a screen shows no editing controls to this agent. */
export function ReadOnlyNote({ children }: { children: ReactNode }) {
  return (
    <Alert color="gray" variant="light" py="xs">
      <Text size="sm">{children}</Text>
    </Alert>
  );
}
