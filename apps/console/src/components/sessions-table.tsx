import type { TSession } from '@kefu/shared';
import { Badge, Button, Group, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconDeviceDesktop } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { describeUserAgent, formatDateTime, formatRelative } from '../lib/format.ts';

export function useDeviceName() {
  const { t } = useTranslation();
  return (session: TSession) => {
    const device = describeUserAgent(session.userAgent);
    return device ? t('sessions.deviceOn', device) : t('sessions.unknownDevice');
  };
}

/** Sessions of one agent; `onSignOut` ends one (hidden for the current browser when omitted). */
export function SessionsTable({
  sessions,
  onSignOut,
  pendingId,
  allowCurrent = false,
}: {
  sessions: TSession[];
  onSignOut: (session: TSession) => void;
  pendingId?: string | null;
  allowCurrent?: boolean;
}) {
  const { t } = useTranslation();
  const deviceName = useDeviceName();
  if (sessions.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('sessions.empty')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table className="kefu-table" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('sessions.device')}</Table.Th>
            <Table.Th>{t('sessions.ip')}</Table.Th>
            <Table.Th>{t('sessions.started')}</Table.Th>
            <Table.Th>{t('sessions.lastSeen')}</Table.Th>
            <Table.Th>{t('sessions.expires')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sessions.map((session) => {
            const name = deviceName(session);
            return (
              <Table.Tr key={session.id}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <IconDeviceDesktop size={16} aria-hidden />
                    <Tooltip label={session.userAgent ?? t('common.unknown')} multiline maw={360}>
                      <Text size="sm">{name}</Text>
                    </Tooltip>
                    {session.current && (
                      <Badge size="xs" color="teal" variant="light">
                        {t('sessions.current')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td className="kefu-mono">{session.ip ?? t('common.none')}</Table.Td>
                <Table.Td className="kefu-nowrap">{formatDateTime(session.createdAt)}</Table.Td>
                <Table.Td className="kefu-nowrap">
                  <Tooltip label={formatDateTime(session.lastSeenAt)}>
                    <span>{formatRelative(session.lastSeenAt)}</span>
                  </Tooltip>
                </Table.Td>
                <Table.Td className="kefu-nowrap">{formatDateTime(session.expiresAt)}</Table.Td>
                <Table.Td ta="right">
                  {(!session.current || allowCurrent) && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      color="red"
                      loading={pendingId === session.id}
                      onClick={() => onSignOut(session)}
                      aria-label={t('sessions.signOutSession', { device: name })}
                    >
                      {t('sessions.signOut')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
