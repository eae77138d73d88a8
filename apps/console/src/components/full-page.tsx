import { Button, Center, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './error-alert.tsx';

export function FullPageLoader() {
  const { t } = useTranslation();
  return (
    <Center h="100vh">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}

/** When the console cannot even learn who is signed in (server down, network). */
export function FullPageError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Center h="100vh" p="md">
      <Stack maw={460} gap="md">
        <Title order={3}>{t('common.errorTitle')}</Title>
        <ErrorAlert error={error} />
        <Button onClick={onRetry} variant="light" w="fit-content">
          {t('common.retry')}
        </Button>
      </Stack>
    </Center>
  );
}

/** The router's errorElement: a render error, not an API error. */
export function CrashPage() {
  const { t } = useTranslation();
  return (
    <Center h="100vh" p="md">
      <Stack maw={460} gap="sm">
        <Title order={3}>{t('common.errorTitle')}</Title>
        <Text c="dimmed">{t('errors.crashBody')}</Text>
        <Button onClick={() => window.location.reload()} w="fit-content">
          {t('errors.reload')}
        </Button>
      </Stack>
    </Center>
  );
}
