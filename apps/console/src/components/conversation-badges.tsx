import type { TConversation, TPriority, TStatus } from '@kefu/shared';
import { Badge, Group, Text, Tooltip } from '@mantine/core';
import {
  IconBrandTelegram,
  IconMail,
  IconMessageCircle,
  IconPlugConnected,
  IconRobot,
  IconUser,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  formatDuration,
  PRIORITY_COLORS,
  type SlaSummary,
  STATUS_COLORS,
  slaSummary,
} from '../lib/conversation.ts';
import { formatTime } from '../lib/format.ts';
import { useNow } from '../lib/use-now.ts';

export function StatusBadge({ status }: { status: TStatus }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant="light" color={STATUS_COLORS[status]}>
      {t(`ticket.status.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: TPriority }) {
  const { t } = useTranslation();
  return (
    <Badge
      size="sm"
      variant={priority === 'urgent' ? 'filled' : 'light'}
      color={PRIORITY_COLORS[priority]}
    >
      {t(`ticket.priority.${priority}`)}
    </Badge>
  );
}

export function TierBadge({ tier }: { tier: 'L1' | 'L2' }) {
  return (
    <Badge size="sm" variant="outline" color={tier === 'L2' ? 'orange' : 'blue'}>
      {tier}
    </Badge>
  );
}

const CHANNEL_ICONS = {
  widget: IconMessageCircle,
  email: IconMail,
  telegram: IconBrandTelegram,
  api: IconPlugConnected,
} as const;

function isKnownChannel(channel: string): channel is keyof typeof CHANNEL_ICONS {
  return channel in CHANNEL_ICONS;
}

export function ChannelLabel({ channel, size = 'sm' }: { channel: string; size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  const Icon = isKnownChannel(channel) ? CHANNEL_ICONS[channel] : IconMessageCircle;
  return (
    <Group gap={4} wrap="nowrap">
      <Icon size={size === 'xs' ? 12 : 14} stroke={1.7} aria-hidden />
      <Text size={size} className="kefu-nowrap">
        {isKnownChannel(channel) ? t(`ticket.channel.${channel}`) : channel}
      </Text>
    </Group>
  );
}

export function HandlerBadge({
  handler,
  size = 'sm',
}: {
  handler: 'assistant' | 'human';
  size?: 'xs' | 'sm';
}) {
  const { t } = useTranslation();
  const Icon = handler === 'assistant' ? IconRobot : IconUser;
  return (
    <Group gap={4} wrap="nowrap" c={handler === 'assistant' ? 'violet' : 'teal'}>
      <Icon size={size === 'xs' ? 12 : 14} stroke={1.8} aria-hidden />
      <Text size={size} c="inherit" className="kefu-nowrap">
        {t(`ticket.handler.${handler}`)}
      </Text>
    </Group>
  );
}

export function LanguageBadge({ language }: { language: string | null }) {
  const { t } = useTranslation();
  if (!language) return <Text size="sm">{t('common.none')}</Text>;
  const label = language === 'zh-CN' || language === 'en' ? t(`language.${language}`) : language;
  return (
    <Badge size="sm" variant="outline" color="gray">
      {label}
    </Badge>
  );
}

/** "12m", orange when the warning fired, red once overdue or breached; ticks while shown. */
export function SlaCountdown({
  sla,
  size = 'sm',
  withTarget = false,
}: {
  sla: SlaSummary;
  size?: 'xs' | 'sm' | 'md';
  withTarget?: boolean;
}) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const left = new Date(sla.dueAt).getTime() - now;
  const overdue = left < 0 || sla.level === 'breached';
  const color = overdue ? 'red' : sla.level === 'warning' || left < 10 * 60_000 ? 'orange' : 'gray';
  const target = t(`ticket.sla.${sla.target}`);
  const time = formatDuration(left);
  const label = overdue ? t('ticket.sla.overdueShort', { time }) : time;
  const tooltip = overdue
    ? t('ticket.sla.overdue', { target, time, at: formatTime(sla.dueAt) })
    : t('ticket.sla.dueIn', { target, time, at: formatTime(sla.dueAt) });
  return (
    <Tooltip label={tooltip}>
      <Badge
        size={size}
        color={color}
        variant={overdue ? 'filled' : 'light'}
        data-testid="sla-badge"
        aria-label={tooltip}
        className="kefu-tabular"
      >
        {withTarget ? `${target} · ${label}` : label}
      </Badge>
    </Tooltip>
  );
}

export function SlaBadge({ conversation }: { conversation: TConversation }) {
  const { t } = useTranslation();
  const sla = slaSummary(conversation);
  if (!sla) {
    return (
      <Text size="sm" c="dimmed">
        {t('common.none')}
      </Text>
    );
  }
  return <SlaCountdown sla={sla} />;
}
