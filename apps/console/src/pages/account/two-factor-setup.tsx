import {
  ActionIcon,
  Button,
  Code,
  CopyButton,
  Group,
  Image,
  Loader,
  Paper,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useConfirmTotp, useStartTotpSetup } from '../../api/auth.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { RecoveryCodesPanel } from './recovery-codes-panel.tsx';

/**
 * TOTP enrolment: QR code and key, confirm with a code, then the recovery codes once.
 * `onFinished` runs when the agent has saved the codes (or cancelled, with `false`).
 */
export function TwoFactorSetup({
  email,
  onFinished,
  cancellable = true,
}: {
  email: string;
  onFinished: (enrolled: boolean) => void;
  cancellable?: boolean;
}) {
  const { t } = useTranslation();
  const start = useStartTotpSetup();
  const confirm = useConfirmTotp();
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string>();
  const started = useRef(false);

  useEffect(() => {
    // Once per mount (StrictMode mounts twice in development): each call makes a new secret.
    if (started.current) return;
    started.current = true;
    start.mutate();
  }, [start]);

  if (confirm.data) {
    return (
      <RecoveryCodesPanel
        codes={confirm.data.recoveryCodes}
        email={email}
        onDone={() => onFinished(true)}
      />
    );
  }

  if (start.isPending || start.isIdle) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (start.isError) {
    return (
      <Stack gap="sm">
        <ErrorAlert error={start.error} />
        <Group gap="xs">
          <Button variant="light" onClick={() => start.mutate()}>
            {t('common.retry')}
          </Button>
          {cancellable && (
            <Button variant="default" onClick={() => onFinished(false)}>
              {t('common.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    );
  }

  const setup = start.data;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{6}$/.test(code.trim())) {
      setCodeError(t('signIn.codeInvalid'));
      return;
    }
    setCodeError(undefined);
    confirm.mutate(code.trim(), { onError: () => setCode('') });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text fw={600} size="sm">
          {t('twoFactor.step1')}
        </Text>
        <Group align="flex-start" gap="lg" wrap="nowrap">
          <Paper withBorder p={6} bg="white" radius="sm" style={{ flexShrink: 0 }}>
            <Image src={setup.qrDataUrl} alt={t('twoFactor.qrAlt')} w={180} h={180} />
          </Paper>
          <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
            <Text size="sm" c="dimmed">
              {t('twoFactor.manualEntry')}
            </Text>
            <Group gap={4} wrap="nowrap" align="center">
              <Code
                fz="sm"
                p="xs"
                aria-label={t('twoFactor.secretLabel')}
                data-testid="totp-secret"
                style={{ wordSpacing: '0.2em', lineHeight: 1.7 }}
              >
                {/* Groups of four, as authenticator apps show keys; they ignore the spaces. */}
                {setup.secret.match(/.{1,4}/g)?.join(' ') ?? setup.secret}
              </Code>
              <CopyButton value={setup.secret}>
                {({ copied, copy }) => (
                  <Tooltip label={copied ? t('common.copied') : t('common.copy')}>
                    <ActionIcon
                      variant="subtle"
                      color={copied ? 'teal' : 'gray'}
                      onClick={copy}
                      aria-label={t('common.copy')}
                    >
                      {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                    </ActionIcon>
                  </Tooltip>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Group>
        <Text fw={600} size="sm">
          {t('twoFactor.step2')}
        </Text>
        {confirm.error && <ErrorAlert error={confirm.error} />}
        <Group align="flex-start" gap="sm">
          <TextInput
            label={t('twoFactor.codeLabel')}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            w={220}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
            error={codeError}
            styles={{ input: { letterSpacing: '0.3em', fontSize: 16 } }}
          />
        </Group>
        <Group gap="xs">
          <Button type="submit" loading={confirm.isPending}>
            {t('twoFactor.confirm')}
          </Button>
          {cancellable && (
            <Button variant="default" onClick={() => onFinished(false)}>
              {t('common.cancel')}
            </Button>
          )}
        </Group>
      </Stack>
    </form>
  );
}
