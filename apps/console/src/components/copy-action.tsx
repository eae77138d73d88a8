import { Button, CopyButton, type MantineSize } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** Copies `value` to the clipboard and says so for a moment. */
export function CopyAction({ value, size = 'xs' }: { value: string; size?: MantineSize }) {
  const { t } = useTranslation();
  const icon = size === 'xs' ? 14 : 16;
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Button
          size={size}
          variant="default"
          leftSection={copied ? <IconCheck size={icon} /> : <IconCopy size={icon} />}
          onClick={copy}
        >
          {copied ? t('common.copied') : t('common.copy')}
        </Button>
      )}
    </CopyButton>
  );
}
