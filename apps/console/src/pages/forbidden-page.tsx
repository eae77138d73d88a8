import { Button, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page } from '../components/page.tsx';

export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('errors.forbiddenTitle')}>
      <Stack gap="sm" align="flex-start">
        <Text c="dimmed">{t('errors.forbiddenBody')}</Text>
        <Button component={Link} to="/inbox" variant="light">
          {t('errors.backToInbox')}
        </Button>
      </Stack>
    </Page>
  );
}
