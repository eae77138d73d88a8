import { Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconInbox } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Page } from '../components/page.tsx';

/**
 * Placeholder until the conversation workspace exists: it says so, and shows nothing that
 * looks like a working queue.
 */
export function InboxPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('inbox.title')}>
      <Paper withBorder p="xl" radius="md">
        <Stack align="center" gap="sm" maw={520} mx="auto" py="xl">
          <ThemeIcon size={56} radius="xl" variant="light" color="gray">
            <IconInbox size={30} />
          </ThemeIcon>
          <Title order={3} fz="lg" ta="center">
            {t('inbox.emptyTitle')}
          </Title>
          <Text c="dimmed" ta="center" size="sm">
            {t('inbox.emptyBody')}
          </Text>
        </Stack>
      </Paper>
    </Page>
  );
}
