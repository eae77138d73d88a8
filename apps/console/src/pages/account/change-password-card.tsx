import { Button, Paper, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { useChangePassword } from '../../api/auth.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { notifySuccess } from '../../components/notify.ts';
import { PasswordField } from '../../components/password-field.tsx';
import { PASSWORD_MIN } from '../../lib/limits.ts';

export function ChangePasswordCard() {
  const { t } = useTranslation();
  const change = useChangePassword();
  const form = useForm({
    mode: 'controlled',
    initialValues: { currentPassword: '', newPassword: '', repeat: '' },
    validate: {
      currentPassword: (value) => (value ? null : t('password.currentRequired')),
      newPassword: (value) =>
        value.length < PASSWORD_MIN ? t('password.tooShort', { min: PASSWORD_MIN }) : null,
      repeat: (value, values) => (value !== values.newPassword ? t('password.mismatch') : null),
    },
  });
  return (
    <Paper withBorder p="md" radius="md">
      <form
        noValidate
        onSubmit={form.onSubmit(({ currentPassword, newPassword }) =>
          change.mutate(
            { currentPassword, newPassword },
            {
              onSuccess: () => {
                form.reset();
                notifySuccess(t('password.changed'));
              },
            },
          ),
        )}
      >
        <Stack gap="sm">
          <div>
            <Title order={3} fz="md">
              {t('password.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('password.intro')}
            </Text>
          </div>
          {change.error && <ErrorAlert error={change.error} />}
          <PasswordField
            label={t('password.current')}
            autoComplete="current-password"
            {...form.getInputProps('currentPassword')}
          />
          <PasswordField
            label={t('password.new')}
            description={t('password.newHint', { min: PASSWORD_MIN })}
            autoComplete="new-password"
            {...form.getInputProps('newPassword')}
          />
          <PasswordField
            label={t('password.repeat')}
            autoComplete="new-password"
            {...form.getInputProps('repeat')}
          />
          <Button type="submit" loading={change.isPending} w="fit-content">
            {t('password.submit')}
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}
