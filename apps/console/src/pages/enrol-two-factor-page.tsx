import { Alert, Box, Button, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconLogout, IconShieldLock } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate } from 'react-router';
import { useLogout, useMe } from '../api/auth.ts';
import { queryKeys } from '../api/query-keys.ts';
import { FullPageError, FullPageLoader } from '../components/full-page.tsx';
import { notifyError } from '../components/notify.ts';
import { ColorSchemeToggle } from '../shell/color-scheme-toggle.tsx';
import { LanguageSwitch } from '../shell/language-switch.tsx';
import { Logo } from '../shell/logo.tsx';
import { TwoFactorSetup } from './account/two-factor-setup.tsx';

/** The only page an agent sees while the workspace requires 2FA and they have none. */
export function EnrolTwoFactorPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('enrol.title')} · ${t('common.appName')}`);
  const me = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const logout = useLogout();
  // Once enrolment was required here, stay while the recovery codes are shown, even after
  // `me` says it no longer is; "Done" leaves.
  const wasRequired = useRef(false);
  if (me.data?.twoFactorEnrollmentRequired) wasRequired.current = true;

  if (me.isPending) return <FullPageLoader />;
  if (me.isError) return <FullPageError error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Navigate to="/sign-in" replace />;
  if (!me.data.twoFactorEnrollmentRequired && !wasRequired.current)
    return <Navigate to="/inbox" replace />;
  const { agent } = me.data;

  const finish = async () => {
    await queryClient.invalidateQueries({ queryKey: queryKeys.me });
    void navigate('/inbox', { replace: true });
  };

  return (
    <Box mih="100vh">
      <Group justify="space-between" p="md" gap="sm">
        <Logo />
        <Group gap="sm">
          <LanguageSwitch />
          <ColorSchemeToggle />
          <Button
            variant="subtle"
            color="gray"
            size="xs"
            leftSection={<IconLogout size={16} />}
            loading={logout.isPending}
            onClick={() =>
              logout.mutate(undefined, {
                onSuccess: () => void navigate('/sign-in', { replace: true }),
                onError: (error) => notifyError(error),
              })
            }
          >
            {t('header.signOut')}
          </Button>
        </Group>
      </Group>
      <Center px="md" pb="xl">
        <Paper withBorder shadow="sm" p="lg" radius="md" w="100%" maw={640}>
          <Stack gap="md">
            <Group gap="xs" wrap="nowrap">
              <IconShieldLock size={24} aria-hidden />
              <Title order={1} fz="h3">
                {t('enrol.title')}
              </Title>
            </Group>
            <Text size="sm" c="dimmed">
              {t('enrol.signedInAs', { name: agent.name, email: agent.email })}
            </Text>
            <Alert color="blue" variant="light">
              {t('enrol.required')}
            </Alert>
            <TwoFactorSetup
              email={agent.email}
              cancellable={false}
              onFinished={(enrolled) => {
                if (enrolled) void finish();
              }}
            />
          </Stack>
        </Paper>
      </Center>
    </Box>
  );
}
