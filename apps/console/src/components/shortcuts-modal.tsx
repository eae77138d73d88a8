import { Group, Kbd, Modal, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

type ShortcutKey =
  | 'next'
  | 'previous'
  | 'open'
  | 'reply'
  | 'note'
  | 'canned'
  | 'resolve'
  | 'assignMe'
  | 'send'
  | 'leave'
  | 'help';

const INBOX: [string[], ShortcutKey][] = [
  [['j'], 'next'],
  [['k'], 'previous'],
  [['Enter'], 'open'],
  [['?'], 'help'],
];

const WORKSPACE: [string[], ShortcutKey][] = [
  [['r'], 'reply'],
  [['n'], 'note'],
  [['/'], 'canned'],
  [['e'], 'resolve'],
  [['a'], 'assignMe'],
  [['j'], 'next'],
  [['k'], 'previous'],
  [['Enter'], 'send'],
  [['Esc'], 'leave'],
  [['?'], 'help'],
];

/** The `?` list: the keys of the inbox or of the conversation workspace. */
export function ShortcutsModal({
  opened,
  onClose,
  context,
}: {
  opened: boolean;
  onClose: () => void;
  context: 'inbox' | 'workspace';
}) {
  const { t } = useTranslation();
  const rows = context === 'inbox' ? INBOX : WORKSPACE;
  return (
    <Modal opened={opened} onClose={onClose} title={t('shortcuts.title')} size="sm">
      <Stack gap="xs">
        <Table verticalSpacing={4} aria-label={t('shortcuts.title')}>
          <Table.Tbody>
            {rows.map(([keys, action]) => (
              <Table.Tr key={action}>
                <Table.Td w={90}>
                  <Group gap={4}>
                    {keys.map((key) => (
                      <Kbd key={key} size="sm">
                        {key}
                      </Kbd>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{t(`shortcuts.${action}`)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="xs" c="dimmed">
          {t('shortcuts.hint')}
        </Text>
      </Stack>
    </Modal>
  );
}
