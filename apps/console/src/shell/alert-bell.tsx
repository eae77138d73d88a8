import {
  ActionIcon,
  Button,
  Divider,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  Stack,
  Switch,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import {
  IconAt,
  IconBell,
  IconClockExclamation,
  IconEye,
  IconUserCheck,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { formatRelative } from '../lib/format.ts';
import {
  type AgentAlertKind,
  alertStore,
  useAlertSound,
  useAlerts,
  useDesktopPermission,
} from '../realtime/alerts.ts';
import { useRealtime } from '../realtime/realtime.tsx';

const ICONS: Record<AgentAlertKind, typeof IconBell> = {
  assignment: IconUserCheck,
  mention: IconAt,
  sla_warning: IconClockExclamation,
  sla_breach: IconClockExclamation,
  review: IconEye,
};

const COLORS: Record<AgentAlertKind, string> = {
  assignment: 'blue',
  mention: 'grape',
  sla_warning: 'orange',
  sla_breach: 'red',
  review: 'gray',
};

/** The header's bell: assignments, mentions and SLA alerts of this session, newest first. */
export function AlertBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const alerts = useAlerts();
  const { status } = useRealtime();
  const [opened, setOpened] = useState(false);
  const [sound, setSound] = useAlertSound();
  const [permission, requestPermission] = useDesktopPermission();
  const unread = alerts.filter((a) => !a.read).length;
  const label = unread > 0 ? t('alerts.bellUnread', { count: unread }) : t('alerts.bell');

  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      position="bottom-end"
      width={340}
      shadow="md"
      withinPortal
    >
      <Popover.Target>
        <Tooltip label={status === 'connected' ? label : t('alerts.reconnecting')}>
          <Indicator
            label={unread > 9 ? '9+' : unread}
            size={16}
            disabled={unread === 0}
            color="red"
            offset={4}
          >
            <ActionIcon
              variant="default"
              size="md"
              aria-label={label}
              data-testid="alert-bell"
              onClick={() => setOpened((o) => !o)}
              c={status === 'connected' ? undefined : 'orange'}
            >
              <IconBell size={16} />
            </ActionIcon>
          </Indicator>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown p={0}>
        <Group justify="space-between" px="sm" py={8}>
          <Text fw={600} size="sm">
            {t('alerts.title')}
          </Text>
          {unread > 0 && (
            <Button size="compact-xs" variant="subtle" onClick={() => alertStore.markRead()}>
              {t('alerts.markAllRead')}
            </Button>
          )}
        </Group>
        <Divider />
        {alerts.length === 0 ? (
          <Text size="sm" c="dimmed" px="sm" py="md">
            {t('alerts.empty')}
          </Text>
        ) : (
          <ScrollArea.Autosize mah={320}>
            <Stack gap={0} role="list" aria-label={t('alerts.title')}>
              {alerts.map((alert) => {
                const Icon = ICONS[alert.kind];
                return (
                  <UnstyledButton
                    key={alert.id}
                    role="listitem"
                    px="sm"
                    py={8}
                    className="kefu-alert-item"
                    data-unread={alert.read ? undefined : true}
                    onClick={() => {
                      alertStore.markRead(alert.id);
                      setOpened(false);
                      void navigate(`/conversations/${alert.conversationId}`);
                    }}
                  >
                    <Group gap="sm" wrap="nowrap" align="flex-start">
                      <Icon
                        size={18}
                        color={`var(--mantine-color-${COLORS[alert.kind]}-6)`}
                        aria-hidden
                      />
                      <div style={{ flex: 1 }}>
                        <Text size="sm" fw={alert.read ? 400 : 600}>
                          {t(`alerts.kind.${alert.kind}`, { number: alert.number })}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {formatRelative(alert.at)}
                        </Text>
                      </div>
                    </Group>
                  </UnstyledButton>
                );
              })}
            </Stack>
          </ScrollArea.Autosize>
        )}
        <Divider />
        <Stack gap={6} px="sm" py={8}>
          <Switch
            size="xs"
            label={t('alerts.sound')}
            checked={sound}
            onChange={(event) => setSound(event.currentTarget.checked)}
          />
          {permission === 'default' && (
            <Button size="compact-xs" variant="light" onClick={() => void requestPermission()}>
              {t('alerts.enableDesktop')}
            </Button>
          )}
          {permission === 'granted' && (
            <Text size="xs" c="dimmed">
              {t('alerts.desktopOn')}
            </Text>
          )}
          {permission === 'denied' && (
            <Text size="xs" c="dimmed">
              {t('alerts.desktopBlocked')}
            </Text>
          )}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
