import type { TRole } from '@kefu/shared';
import type { ConsoleMessages } from '@kefu/shared/i18n/console';
import {
  IconBook,
  IconChartBar,
  IconChecklist,
  IconClipboardList,
  IconClockHour9,
  IconInbox,
  IconMessageBolt,
  IconMessageChatbot,
  IconPlugConnected,
  IconRobot,
  IconRosetteDiscountCheck,
  IconShieldLock,
  IconSpeakerphone,
  IconTargetArrow,
  IconUserCircle,
  IconUsers,
  IconUsersGroup,
  IconWebhook,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';

type NavKey = keyof ConsoleMessages['nav'];

export type NavItem = {
  to: string;
  label: NavKey;
  icon: ComponentType<{ size?: number; stroke?: number }>;
  roles?: readonly TRole[];
  /** Other paths that belong to this item (a conversation opened from the inbox). */
  also?: readonly string[];
};

export type NavSection = { label: NavKey; items: NavItem[]; roles?: readonly TRole[] };

/** The console's sections. */
export const NAVIGATION: NavSection[] = [
  {
    label: 'work',
    items: [
      { to: '/inbox', label: 'inbox', icon: IconInbox, also: ['/conversations'] },
      { to: '/reports', label: 'reports', icon: IconChartBar, roles: ['admin', 'supervisor'] },
      { to: '/quality', label: 'quality', icon: IconChecklist, roles: ['admin', 'supervisor'] },
    ],
  },
  { label: 'settings', items: [{ to: '/account', label: 'account', icon: IconUserCircle }] },
  {
    label: 'administration',
    roles: ['admin', 'supervisor'],
    items: [
      { to: '/admin/agents', label: 'agents', icon: IconUsers },
      { to: '/admin/teams', label: 'teams', icon: IconUsersGroup },
      { to: '/admin/security', label: 'security', icon: IconShieldLock, roles: ['admin'] },
      { to: '/admin/audit', label: 'audit', icon: IconClipboardList },
    ],
  },
  {
    label: 'service',
    roles: ['admin', 'supervisor'],
    items: [
      { to: '/admin/sla', label: 'slaPolicies', icon: IconTargetArrow },
      { to: '/admin/business-hours', label: 'businessHours', icon: IconClockHour9 },
      { to: '/admin/canned-responses', label: 'cannedResponses', icon: IconMessageBolt },
      { to: '/admin/announcements', label: 'announcements', icon: IconSpeakerphone },
    ],
  },
  {
    label: 'assistantSection',
    items: [
      { to: '/knowledge', label: 'knowledgeBase', icon: IconBook },
      {
        to: '/admin/assistant',
        label: 'assistantSettings',
        icon: IconRobot,
        roles: ['admin', 'supervisor'],
      },
    ],
  },
  {
    label: 'protection',
    roles: ['admin', 'supervisor'],
    items: [
      { to: '/admin/channels', label: 'channels', icon: IconPlugConnected, roles: ['admin'] },
      { to: '/admin/widget', label: 'widget', icon: IconMessageChatbot, roles: ['admin'] },
      { to: '/admin/official-channels', label: 'officialChannels', icon: IconRosetteDiscountCheck },
      { to: '/admin/webhooks', label: 'webhooks', icon: IconWebhook, roles: ['admin'] },
    ],
  },
];

export function visibleNavigation(role: TRole): NavSection[] {
  return NAVIGATION.filter((section) => !section.roles || section.roles.includes(role))
    .map((section) => ({
      ...section,
      items: section.items.filter((item) => !item.roles || item.roles.includes(role)),
    }))
    .filter((section) => section.items.length > 0);
}
