import { Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMySessions, useRevokeMySession } from '../../api/auth.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { notifyError, notifySuccess } from '../../components/notify.ts';
import { SessionsTable } from '../../components/sessions-table.tsx';

export function MySessionsCard() {
  const { t } = useTranslation();
  const sessions = useMySessions();
  const revoke = useRevokeMySession();
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="sm">
        <div>
          <Title order={3} fz="md">
            {t('sessions.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('sessions.intro')}
          </Text>
        </div>
        {sessions.isPending ? (
          <Loader size="sm" aria-label={t('common.loading')} />
        ) : sessions.isError ? (
          <ErrorAlert error={sessions.error} />
        ) : (
          <SessionsTable
            sessions={sessions.data}
            pendingId={revoke.isPending ? revoke.variables : null}
            onSignOut={(session) =>
              revoke.mutate(session.id, {
                onSuccess: () => notifySuccess(t('sessions.signedOut')),
                onError: (error) => notifyError(error),
              })
            }
          />
        )}
      </Stack>
    </Paper>
  );
}
