import { Alert, Badge, Group, Loader, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useAgents } from '../../api/agents.ts';
import { useCurrentMe } from '../../api/auth.ts';
import { useSecuritySettings, useUpdateSecuritySettings } from '../../api/settings.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { notifyError, notifySuccess } from '../../components/notify.ts';
import { Page } from '../../components/page.tsx';

export function SecurityPage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const settings = useSecuritySettings();
  const update = useUpdateSecuritySettings();
  const agents = useAgents();
  const active = (agents.data ?? []).filter((agent) => agent.active);
  const without = active.filter((agent) => !agent.twoFactorEnabled);

  return (
    <Page title={t('security.title')} maw={820}>
      {settings.isPending ? (
        <Loader size="sm" aria-label={t('common.loading')} />
      ) : settings.isError ? (
        <ErrorAlert error={settings.error} />
      ) : (
        <Paper withBorder p="md" radius="md">
          <Stack gap="md">
            <Switch
              size="md"
              label={<Text fw={600}>{t('security.requireTwoFactor')}</Text>}
              description={t('security.requireTwoFactorHint')}
              checked={
                update.isPending
                  ? (update.variables?.requireTwoFactor ?? false)
                  : settings.data.requireTwoFactor
              }
              disabled={update.isPending}
              onChange={(event) =>
                update.mutate(
                  { requireTwoFactor: event.currentTarget.checked },
                  {
                    onSuccess: () => notifySuccess(t('security.saved')),
                    onError: (error) => notifyError(error),
                  },
                )
              }
            />
            {!me.agent.twoFactorEnabled && !settings.data.requireTwoFactor && (
              <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
                {t('security.selfWarning')}
              </Alert>
            )}
            {agents.data && (
              <Stack gap={6}>
                <Title order={3} fz="sm">
                  {t('security.coverage', {
                    enabled: active.length - without.length,
                    total: active.length,
                  })}
                </Title>
                {without.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('security.allCovered')}
                  </Text>
                ) : (
                  <>
                    <Text size="sm" c="dimmed">
                      {t('security.withoutTwoFactor')}
                    </Text>
                    <Group gap={6}>
                      {without.map((agent) => (
                        <Badge key={agent.id} variant="light" color="gray" tt="none">
                          {agent.name}
                        </Badge>
                      ))}
                    </Group>
                  </>
                )}
              </Stack>
            )}
          </Stack>
        </Paper>
      )}
    </Page>
  );
}
