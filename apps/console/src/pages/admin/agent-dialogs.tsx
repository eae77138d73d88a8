import type { TAgent } from '@kefu/shared';
import { Alert, Button, Code, Group, Loader, Modal, Radio, Stack, Text } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  useAgentSessions,
  useResetAgentPassword,
  useRevokeAgentSession,
  useRevokeAgentSessions,
} from '../../api/agents.ts';
import { CopyAction } from '../../components/copy-action.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { notifyError, notifySuccess } from '../../components/notify.ts';
import { PasswordField } from '../../components/password-field.tsx';
import { SessionsTable } from '../../components/sessions-table.tsx';
import { PASSWORD_MIN } from '../../lib/limits.ts';

export function ResetPasswordModal({
  opened,
  agent,
  formKey,
  onClose,
}: {
  opened: boolean;
  agent: TAgent | null;
  formKey: number;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const name = agent?.name ?? '';
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={t('agents.resetPasswordTitle', { name })}
      closeOnClickOutside={false}
    >
      {agent && <ResetPasswordForm key={formKey} agent={agent} onClose={onClose} />}
    </Modal>
  );
}

function ResetPasswordForm({ agent, onClose }: { agent: TAgent; onClose: () => void }) {
  const { t } = useTranslation();
  const reset = useResetAgentPassword();
  const [mode, setMode] = useState<'generate' | 'set'>('generate');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();

  const temporary = reset.data?.temporaryPassword;
  if (temporary) {
    return (
      <Stack gap="md">
        <Alert
          color="yellow"
          variant="light"
          icon={<IconKey size={18} />}
          title={t('agents.temporaryPasswordTitle')}
        >
          {t('agents.temporaryPasswordIntro', { name: agent.name })}
        </Alert>
        <Group gap="xs" wrap="nowrap">
          <Code
            block
            fz="lg"
            className="kefu-mono"
            aria-label={t('agents.temporaryPasswordLabel', { name: agent.name })}
            data-testid="temporary-password"
            style={{ flex: 1 }}
          >
            {temporary}
          </Code>
          <CopyAction value={temporary} size="sm" />
        </Group>
        <Group justify="flex-end">
          <Button onClick={onClose}>{t('common.done')}</Button>
        </Group>
      </Stack>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (mode === 'set' && password.length < PASSWORD_MIN) {
      setError(t('password.tooShort', { min: PASSWORD_MIN }));
      return;
    }
    setError(undefined);
    reset.mutate(
      { id: agent.id, ...(mode === 'set' ? { password } : {}) },
      {
        onSuccess: (result) => {
          if (!result.temporaryPassword) {
            notifySuccess(t('agents.resetDone', { name: agent.name }));
            onClose();
          }
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="sm">{t('agents.resetPasswordIntro')}</Text>
        {reset.error && <ErrorAlert error={reset.error} />}
        <Radio.Group
          value={mode}
          onChange={(value) => setMode(value === 'set' ? 'set' : 'generate')}
          aria-label={t('agents.action.resetPassword')}
        >
          <Stack gap={8}>
            <Radio value="generate" label={t('agents.resetGenerate')} />
            <Radio value="set" label={t('agents.resetSet')} />
          </Stack>
        </Radio.Group>
        {mode === 'set' && (
          <PasswordField
            label={t('password.new')}
            description={t('password.newHint', { min: PASSWORD_MIN })}
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={error}
          />
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="red" loading={reset.isPending}>
            {t('agents.resetSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** One agent's sessions, each can be ended, or all at once. */
export function AgentSessionsModal({
  opened,
  agent,
  onClose,
}: {
  opened: boolean;
  agent: TAgent | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const sessions = useAgentSessions(agent?.id ?? null, opened);
  const revokeOne = useRevokeAgentSession();
  const revokeAll = useRevokeAgentSessions();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size="xl"
      title={t('agents.sessionsTitle', { name: agent?.name ?? '' })}
    >
      {agent && (
        <Stack gap="md">
          {sessions.isPending ? (
            <Loader size="sm" aria-label={t('common.loading')} />
          ) : sessions.isError ? (
            <ErrorAlert error={sessions.error} />
          ) : (
            <SessionsTable
              sessions={sessions.data}
              allowCurrent
              pendingId={revokeOne.isPending ? revokeOne.variables.sessionId : null}
              onSignOut={(session) =>
                revokeOne.mutate(
                  { agentId: agent.id, sessionId: session.id },
                  {
                    onSuccess: () => notifySuccess(t('sessions.signedOut')),
                    onError: (error) => notifyError(error),
                  },
                )
              }
            />
          )}
          <Group justify="space-between">
            <Button
              color="red"
              variant="light"
              loading={revokeAll.isPending}
              disabled={!sessions.data?.length}
              onClick={() =>
                revokeAll.mutate(agent.id, {
                  onSuccess: ({ ended }) =>
                    notifySuccess(t('agents.signOutEverywhereDone', { count: ended })),
                  onError: (error) => notifyError(error),
                })
              }
            >
              {t('agents.signOutEverywhereSubmit')}
            </Button>
            <Button variant="default" onClick={onClose}>
              {t('common.close')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
