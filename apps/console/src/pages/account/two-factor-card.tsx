import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconShieldCheck, IconShieldOff } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentMe, useDisableTotp, useRegenerateRecoveryCodes } from '../../api/auth.ts';
import { queryKeys } from '../../api/query-keys.ts';
import { useSecuritySettings } from '../../api/settings.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { notifySuccess } from '../../components/notify.ts';
import { PasswordField } from '../../components/password-field.tsx';
import { RecoveryCodesPanel } from './recovery-codes-panel.tsx';
import { TwoFactorSetup } from './two-factor-setup.tsx';

const SIX_DIGITS = /^\d{6}$/;

function CodeInput({
  value,
  onChange,
  error,
  label,
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  label: string;
}) {
  return (
    <TextInput
      label={label}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      w={220}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value.replace(/\D/g, ''))}
      error={error}
      styles={{ input: { letterSpacing: '0.3em', fontSize: 16 } }}
    />
  );
}

function DisableModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const disable = useDisableTotp();
  // Only admins may read the setting; for others the warning is simply not shown.
  const security = useSecuritySettings(me.agent.role === 'admin' && opened);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [errors, setErrors] = useState<{ password?: string; code?: string }>({});
  const close = () => {
    setPassword('');
    setCode('');
    setErrors({});
    disable.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = {
      ...(password ? {} : { password: t('password.currentRequired') }),
      ...(SIX_DIGITS.test(code) ? {} : { code: t('signIn.codeInvalid') }),
    };
    setErrors(next);
    if (next.password || next.code) return;
    disable.mutate(
      { password, code },
      {
        onSuccess: () => {
          notifySuccess(t('twoFactor.disabledNotice'));
          close();
        },
        onError: () => setCode(''),
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title={t('twoFactor.disableTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('twoFactor.disableIntro')}</Text>
          {security.data?.requireTwoFactor && (
            <Alert color="yellow" variant="light">
              {t('twoFactor.disableRequiredWarning')}
            </Alert>
          )}
          {disable.error && <ErrorAlert error={disable.error} />}
          <PasswordField
            label={t('twoFactor.password')}
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={errors.password}
          />
          <CodeInput
            label={t('twoFactor.codeLabel')}
            value={code}
            onChange={setCode}
            error={errors.code}
          />
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={disable.isPending}>
              {t('twoFactor.disableSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function RegenerateModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const regenerate = useRegenerateRecoveryCodes();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();
  const close = () => {
    setCode('');
    setError(undefined);
    regenerate.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!SIX_DIGITS.test(code)) {
      setError(t('signIn.codeInvalid'));
      return;
    }
    setError(undefined);
    regenerate.mutate(code, { onError: () => setCode('') });
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={t('twoFactor.regenerateTitle')}
      size="lg"
      // The new codes are shown once: do not lose them to a stray click outside.
      closeOnClickOutside={!regenerate.data}
    >
      {regenerate.data ? (
        <RecoveryCodesPanel
          codes={regenerate.data.recoveryCodes}
          email={me.agent.email}
          onDone={close}
        />
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text size="sm">{t('twoFactor.regenerateIntro')}</Text>
            {regenerate.error && <ErrorAlert error={regenerate.error} />}
            <CodeInput
              label={t('twoFactor.codeLabel')}
              value={code}
              onChange={setCode}
              error={error}
            />
            <Group justify="flex-end" gap="xs">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={regenerate.isPending}>
                {t('twoFactor.regenerateSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

export function TwoFactorCard() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const queryClient = useQueryClient();
  const [settingUp, setSettingUp] = useState(false);
  const [modal, setModal] = useState<'disable' | 'regenerate' | null>(null);
  const enabled = me.agent.twoFactorEnabled;

  return (
    <Paper withBorder p="md" radius="md" style={{ alignSelf: 'start' }}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Title order={3} fz="md">
            {t('twoFactor.title')}
          </Title>
          {enabled && !settingUp ? (
            <Badge color="teal" variant="light" leftSection={<IconShieldCheck size={14} />}>
              {t('twoFactor.statusOn')}
            </Badge>
          ) : (
            <Badge color="gray" variant="light" leftSection={<IconShieldOff size={14} />}>
              {t('twoFactor.statusOff')}
            </Badge>
          )}
        </Group>
        {settingUp ? (
          <TwoFactorSetup
            email={me.agent.email}
            onFinished={(enrolled) => {
              setSettingUp(false);
              if (enrolled) {
                notifySuccess(t('twoFactor.enabledNotice'));
                void queryClient.invalidateQueries({ queryKey: queryKeys.me });
              }
            }}
          />
        ) : enabled ? (
          <>
            <Text size="sm" c="dimmed">
              {t('twoFactor.onIntro')}
            </Text>
            <Group gap="xs">
              <Button variant="default" size="xs" onClick={() => setModal('regenerate')}>
                {t('twoFactor.regenerate')}
              </Button>
              <Button variant="light" color="red" size="xs" onClick={() => setModal('disable')}>
                {t('twoFactor.disable')}
              </Button>
            </Group>
          </>
        ) : (
          <>
            <Text size="sm" c="dimmed">
              {t('twoFactor.offIntro')}
            </Text>
            <Button onClick={() => setSettingUp(true)} w="fit-content">
              {t('twoFactor.start')}
            </Button>
          </>
        )}
      </Stack>
      <DisableModal opened={modal === 'disable'} onClose={() => setModal(null)} />
      <RegenerateModal opened={modal === 'regenerate'} onClose={() => setModal(null)} />
    </Paper>
  );
}
