import { Alert, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client.ts';
import { localizeTimestamps } from '../lib/format.ts';

/** The API's own message (already in the UI language), else a generic one. */
export function errorMessage(error: unknown, fallback: string): string {
  if (isApiError(error)) return localizeTimestamps(error.message);
  return fallback;
}

export function ErrorAlert({
  error,
  title,
  children,
}: {
  error: unknown;
  title?: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  if (!error) return null;
  // The request id helps only when reporting a server fault; it is noise on a wrong password.
  const requestId = isApiError(error) && error.status >= 500 ? error.requestId : undefined;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={title}
      role="alert"
    >
      <Text size="sm">{errorMessage(error, t('common.errorTitle'))}</Text>
      {requestId && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('common.requestId', { id: requestId })}
        </Text>
      )}
      {children}
    </Alert>
  );
}
