import {
  Alert,
  Anchor,
  Box,
  Button,
  Center,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconInfoCircle, IconLock } from '@tabler/icons-react';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { useLogin, useMe } from '../api/auth.ts';
import { isApiError } from '../api/client.ts';
import type { FromState } from '../auth/guards.tsx';
import { ErrorAlert } from '../components/error-alert.tsx';
import { FullPageLoader } from '../components/full-page.tsx';
import { PasswordField } from '../components/password-field.tsx';
import { ColorSchemeToggle } from '../shell/color-scheme-toggle.tsx';
import { LanguageSwitch } from '../shell/language-switch.tsx';
import { Logo } from '../shell/logo.tsx';

type Step = 'password' | 'totp' | 'recovery';

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function useSessionEndedNotice(): boolean {
  const [ended] = useState(() => {
    const flag = sessionStorage.getItem('kefu.session-ended') === '1';
    sessionStorage.removeItem('kefu.session-ended');
    return flag;
  });
  return ended;
}

export function SignInPage() {
  const { t } = useTranslation();
  useDocumentTitle(`${t('signIn.submit')} · ${t('common.appName')}`);
  const me = useMe();
  const location = useLocation();
  const from = (location.state as FromState)?.from;
  const login = useLogin();
  const sessionEnded = useSessionEndedNotice();

  const [step, setStep] = useState<Step>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const codeInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (step !== 'password') codeInput.current?.focus();
  }, [step]);

  if (me.isPending) return <FullPageLoader />;
  if (me.data) {
    if (me.data.twoFactorEnrollmentRequired) return <Navigate to="/enrol-2fa" replace />;
    const target = from && from !== '/sign-in' ? from : '/inbox';
    return <Navigate to={target} replace />;
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const trimmedEmail = email.trim();
    if (step === 'password') {
      if (!trimmedEmail) errors.email = t('signIn.emailRequired');
      else if (!EMAIL_PATTERN.test(trimmedEmail)) errors.email = t('signIn.emailInvalid');
      if (!password) errors.password = t('signIn.passwordRequired');
    } else if (step === 'totp') {
      if (!/^\d{6}$/.test(code.trim())) errors.code = t('signIn.codeInvalid');
    } else if (!code.trim()) {
      errors.code = t('signIn.recoveryRequired');
    }
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    login.mutate(
      {
        email: trimmedEmail,
        password,
        ...(step === 'totp' ? { totpCode: code.trim() } : {}),
        ...(step === 'recovery' ? { recoveryCode: code.trim() } : {}),
      },
      {
        onError: (error) => {
          if (isApiError(error, 'auth.totp_required')) {
            login.reset();
            setCode('');
            setStep('totp');
          } else if (step !== 'password') {
            setCode('');
          }
        },
      },
    );
  };

  const backToPassword = () => {
    login.reset();
    setStep('password');
    setCode('');
    setPassword('');
    setFieldErrors({});
  };

  const error = login.error;
  const errorTitle = isApiError(error, 'auth.account_locked')
    ? t('signIn.lockedTitle')
    : isApiError(error, 'auth.account_disabled')
      ? t('signIn.disabledTitle')
      : t('signIn.failedTitle');

  return (
    <Box mih="100vh" bg="var(--mantine-color-body)">
      <Group justify="flex-end" p="md" gap="sm">
        <LanguageSwitch />
        <ColorSchemeToggle />
      </Group>
      <Center px="md" pb="xl" pt="4vh">
        <Stack w="100%" maw={420} gap="lg">
          <Stack gap={4} align="center">
            <Logo size="lg" />
            <Text size="sm" c="dimmed" ta="center">
              {t('signIn.subtitle')}
            </Text>
          </Stack>
          <Paper withBorder shadow="sm" p="lg" radius="md">
            <form onSubmit={submit} noValidate>
              <Stack gap="md">
                {step === 'password' ? (
                  <>
                    <Title order={1} fz="h4">
                      {t('signIn.title')}
                    </Title>
                    {sessionEnded && !error && (
                      <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
                        {t('signIn.sessionEnded')}
                      </Alert>
                    )}
                    {error && <ErrorAlert error={error} title={errorTitle} />}
                    <TextInput
                      label={t('signIn.email')}
                      placeholder={t('signIn.emailPlaceholder')}
                      type="email"
                      autoComplete="username"
                      autoFocus
                      required
                      value={email}
                      onChange={(e) => setEmail(e.currentTarget.value)}
                      error={fieldErrors.email}
                    />
                    <PasswordField
                      label={t('signIn.password')}
                      autoComplete="current-password"
                      required
                      value={password}
                      onChange={(e) => setPassword(e.currentTarget.value)}
                      error={fieldErrors.password}
                    />
                    <Button type="submit" loading={login.isPending} fullWidth>
                      {t('signIn.submit')}
                    </Button>
                  </>
                ) : (
                  <>
                    <Group gap="xs" wrap="nowrap">
                      <IconLock size={20} aria-hidden />
                      <Title order={1} fz="h4">
                        {t('signIn.totpTitle')}
                      </Title>
                    </Group>
                    <Text size="sm" c="dimmed">
                      {step === 'totp'
                        ? t('signIn.totpIntro', { email: email.trim() })
                        : t('signIn.recoveryIntro')}
                    </Text>
                    {error && <ErrorAlert error={error} title={errorTitle} />}
                    {step === 'totp' ? (
                      <TextInput
                        key="totp"
                        ref={codeInput}
                        label={t('signIn.totpCode')}
                        inputMode="numeric"
                        autoComplete="one-time-code"
                        maxLength={6}
                        required
                        value={code}
                        onChange={(e) => setCode(e.currentTarget.value.replace(/\D/g, ''))}
                        error={fieldErrors.code}
                        styles={{ input: { letterSpacing: '0.3em', fontSize: 18 } }}
                      />
                    ) : (
                      <TextInput
                        key="recovery"
                        ref={codeInput}
                        label={t('signIn.recoveryCode')}
                        autoComplete="off"
                        spellCheck={false}
                        placeholder="xxxxx-xxxxx"
                        required
                        value={code}
                        onChange={(e) => setCode(e.currentTarget.value)}
                        error={fieldErrors.code}
                        classNames={{ input: 'kefu-mono' }}
                      />
                    )}
                    <Button type="submit" loading={login.isPending} fullWidth>
                      {t('signIn.verify')}
                    </Button>
                    <Stack gap={6} align="center">
                      <Anchor
                        component="button"
                        type="button"
                        size="sm"
                        onClick={() => {
                          login.reset();
                          setCode('');
                          setFieldErrors({});
                          setStep(step === 'totp' ? 'recovery' : 'totp');
                        }}
                      >
                        {step === 'totp' ? t('signIn.useRecoveryCode') : t('signIn.useTotpCode')}
                      </Anchor>
                      <Anchor
                        component="button"
                        type="button"
                        size="sm"
                        c="dimmed"
                        onClick={backToPassword}
                      >
                        {t('signIn.otherAccount')}
                      </Anchor>
                    </Stack>
                  </>
                )}
              </Stack>
            </form>
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
}
