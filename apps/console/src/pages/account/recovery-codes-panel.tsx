import {
  Alert,
  Button,
  Checkbox,
  CopyButton,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
} from '@mantine/core';
import { IconCheck, IconCopy, IconDownload, IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoke after the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The ten recovery codes, shown once, with copy and download; "Done" once saved. */
export function RecoveryCodesPanel({
  codes,
  email,
  onDone,
}: {
  codes: string[];
  email: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [saved, setSaved] = useState(false);
  const text = `${t('twoFactor.recoveryFileHeader', { email })}\n\n${codes.join('\n')}\n`;
  return (
    <Stack gap="md">
      <Alert
        color="yellow"
        variant="light"
        icon={<IconKey size={18} />}
        title={t('twoFactor.recoveryTitle')}
      >
        {t('twoFactor.recoveryIntro')}
      </Alert>
      <Paper withBorder p="md" bg="var(--mantine-color-default-hover)">
        <List
          listStyleType="none"
          aria-label={t('twoFactor.recoveryListLabel')}
          data-testid="recovery-codes"
          p={0}
          m={0}
        >
          <SimpleGrid cols={2} spacing="xs" verticalSpacing={6}>
            {codes.map((code) => (
              <List.Item key={code}>
                <Text className="kefu-mono" fz="md" fw={600}>
                  {code}
                </Text>
              </List.Item>
            ))}
          </SimpleGrid>
        </List>
      </Paper>
      <Group gap="xs">
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button
              variant="default"
              size="xs"
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
            >
              {copied ? t('common.copied') : t('twoFactor.copyAll')}
            </Button>
          )}
        </CopyButton>
        <Button
          variant="default"
          size="xs"
          leftSection={<IconDownload size={16} />}
          onClick={() => download('kefu-recovery-codes.txt', text)}
        >
          {t('twoFactor.downloadTxt')}
        </Button>
      </Group>
      <Checkbox
        label={t('twoFactor.savedCheck')}
        checked={saved}
        onChange={(e) => setSaved(e.currentTarget.checked)}
      />
      <Button onClick={onDone} disabled={!saved} w="fit-content">
        {t('common.done')}
      </Button>
    </Stack>
  );
}
