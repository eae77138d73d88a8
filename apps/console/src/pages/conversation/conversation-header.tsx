import type { TAgent, TConversation, TMe, TStatus, TTeam } from '@kefu/shared';
import { ActionIcon, Button, Group, Menu, Text, Title, Tooltip } from '@mantine/core';
import {
  IconArrowLeft,
  IconArrowsExchange,
  IconArrowUpRight,
  IconCheck,
  IconChevronDown,
  IconClock,
  IconDots,
  IconGitMerge,
  IconKeyboard,
  IconLock,
  IconMail,
  IconPlayerPause,
  IconRefresh,
  IconStars,
  IconUserCheck,
  IconUserMinus,
  IconUserPlus,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import {
  useAssignConversation,
  useSetConversationStatus,
  useTransferConversation,
} from '../../api/conversations.ts';
import { AvailabilityDot } from '../../components/badges.tsx';
import {
  ChannelLabel,
  HandlerBadge,
  LanguageBadge,
  PriorityBadge,
  SlaCountdown,
  StatusBadge,
  TierBadge,
} from '../../components/conversation-badges.tsx';
import { notifyError, notifySuccess } from '../../components/notify.ts';
import { slaSummary } from '../../lib/conversation.ts';
import { readableRedactions } from '../../lib/customer.ts';
import { ReviewModal } from '../quality/review-modal.tsx';

function snoozeUntil(choice: '1h' | '4h' | 'tomorrow'): string {
  const now = new Date();
  if (choice === '1h') return new Date(now.getTime() + 3600_000).toISOString();
  if (choice === '4h') return new Date(now.getTime() + 4 * 3600_000).toISOString();
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  tomorrow.setHours(9, 0, 0, 0);
  return tomorrow.toISOString();
}

export type HeaderActions = {
  assignToMe: () => void;
  resolve: () => void;
};

/** Ticket number, subject and state, with the actions an agent takes on the conversation. */
export function ConversationHeader({
  conversation,
  me,
  agents,
  teams,
  customer,
  onEscalate,
  onMerge,
  onShortcuts,
  actionsRef,
}: {
  conversation: TConversation;
  me: TMe;
  agents: TAgent[];
  teams: TTeam[];
  customer: string;
  onEscalate: () => void;
  onMerge: () => void;
  onShortcuts: () => void;
  actionsRef: { current: HeaderActions | null };
}) {
  const { t } = useTranslation();
  const assign = useAssignConversation(conversation.id);
  const setStatus = useSetConversationStatus(conversation.id);
  const transfer = useTransferConversation(conversation.id);
  const sla = slaSummary(conversation, ['firstResponse', 'nextResponse', 'resolution']);
  const assignee = agents.find((a) => a.id === conversation.assigneeId);
  const team = teams.find((x) => x.id === conversation.teamId);
  const subject = conversation.subject
    ? readableRedactions(conversation.subject)
    : t('ticket.noSubject');
  const mine = conversation.assigneeId === me.agent.id;
  const closed = conversation.status === 'resolved' || conversation.status === 'closed';
  const busy = assign.isPending || setStatus.isPending || transfer.isPending;
  const canReview = me.agent.role === 'supervisor' || me.agent.role === 'admin';
  const [reviewing, setReviewing] = useState(false);

  const assignTo = (agent: TAgent | null) =>
    assign.mutate(agent?.id ?? null, {
      onSuccess: () =>
        notifySuccess(
          agent
            ? t('workspace.notice.assigned', { name: agent.name })
            : t('workspace.notice.unassigned'),
        ),
      onError: (error) => notifyError(error),
    });

  const changeStatus = (status: TStatus, snoozedUntil?: string) =>
    setStatus.mutate(
      { status, ...(snoozedUntil ? { snoozedUntil } : {}) },
      {
        onSuccess: () =>
          notifySuccess(
            t('workspace.notice.status', {
              number: conversation.number,
              status: t(`ticket.status.${status}`),
            }),
          ),
        onError: (error) => notifyError(error),
      },
    );

  actionsRef.current = {
    assignToMe: () => {
      if (!mine) assignTo(me.agent);
    },
    resolve: () => {
      if (conversation.status !== 'resolved') changeStatus('resolved');
    },
  };

  return (
    <header className="kefu-workspace-header">
      <Group gap="xs" wrap="nowrap" justify="space-between">
        <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
          <Tooltip label={t('workspace.back')}>
            <ActionIcon
              component={Link}
              to="/inbox"
              variant="subtle"
              color="gray"
              aria-label={t('workspace.back')}
            >
              <IconArrowLeft size={18} />
            </ActionIcon>
          </Tooltip>
          <Title order={2} fz="h4" className="kefu-tabular" style={{ flexShrink: 0 }}>
            #{conversation.number}
          </Title>
          <Text fw={600} className="kefu-truncate" title={subject}>
            {subject}
          </Text>
        </Group>
        <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
          <StatusBadge status={conversation.status} />
          <PriorityBadge priority={conversation.priority} />
          <TierBadge tier={conversation.tier} />
          <LanguageBadge language={conversation.language} />
        </Group>
      </Group>
      <Group gap="sm" wrap="nowrap" c="dimmed" ml={36} mt={2} className="kefu-header-meta">
        <Text size="xs" fw={600} className="kefu-truncate" c="var(--mantine-color-text)">
          {customer}
        </Text>
        <ChannelLabel channel={conversation.channel} size="xs" />
        <HandlerBadge handler={conversation.handler} size="xs" />
        <Text size="xs" className="kefu-nowrap">
          {team ? `${team.name}` : t('workspace.panel.noTeam')}
        </Text>
        <Text size="xs" className="kefu-truncate">
          {assignee ? t('workspace.assignedTo', { name: assignee.name }) : t('ticket.unassigned')}
        </Text>
        {sla && (
          <div style={{ marginLeft: 'auto', flexShrink: 0 }}>
            <SlaCountdown sla={sla} withTarget />
          </div>
        )}
      </Group>
      <Group gap={6} mt={8} wrap="wrap">
        <Group gap={6} wrap="wrap">
          {!mine && (
            <Button
              size="compact-sm"
              fw={500}
              variant="light"
              leftSection={<IconUserCheck size={14} />}
              loading={assign.isPending}
              onClick={() => assignTo(me.agent)}
            >
              {t('workspace.actions.assignToMe')}
            </Button>
          )}
          <Tooltip label={t('transcript.action')}>
            <ActionIcon
              variant="default"
              aria-label={t('transcript.action')}
              onClick={() => {
                api
                  .post<{ email: string }>(`/conversations/${conversation.id}/transcript`, {})
                  .then((sent) => notifySuccess(t('transcript.sent', { email: sent.email })))
                  .catch((error: unknown) => notifyError(error));
              }}
            >
              <IconMail size={16} />
            </ActionIcon>
          </Tooltip>
          <Menu position="bottom-start" shadow="md" withinPortal>
            <Menu.Target>
              <Button
                size="compact-sm"
                fw={500}
                variant="default"
                leftSection={<IconUserPlus size={14} />}
                disabled={busy}
              >
                {t('workspace.actions.assign')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown mah={360} style={{ overflowY: 'auto' }}>
              <Menu.Label>{t('workspace.actions.assignTo')}</Menu.Label>
              {agents
                .filter((a) => a.active && a.id !== conversation.assigneeId)
                .map((agent) => (
                  <Menu.Item
                    key={agent.id}
                    leftSection={<AvailabilityDot availability={agent.availability} />}
                    onClick={() => assignTo(agent)}
                  >
                    {agent.name}
                  </Menu.Item>
                ))}
              {conversation.assigneeId && (
                <>
                  <Menu.Divider />
                  <Menu.Item
                    leftSection={<IconUserMinus size={14} />}
                    onClick={() => assignTo(null)}
                  >
                    {t('workspace.actions.unassign')}
                  </Menu.Item>
                </>
              )}
            </Menu.Dropdown>
          </Menu>
          <Button.Group>
            {closed ? (
              <Button
                size="compact-sm"
                fw={500}
                variant="default"
                leftSection={<IconRefresh size={14} />}
                loading={setStatus.isPending}
                onClick={() => changeStatus('open')}
              >
                {t('workspace.actions.reopen')}
              </Button>
            ) : (
              <Button
                size="compact-sm"
                fw={500}
                color="teal"
                leftSection={<IconCheck size={14} />}
                loading={setStatus.isPending}
                onClick={() => changeStatus('resolved')}
              >
                {t('workspace.actions.resolve')}
              </Button>
            )}
            <Menu position="bottom-start" shadow="md" withinPortal>
              <Menu.Target>
                <Button
                  size="compact-sm"
                  fw={500}
                  variant={closed ? 'default' : 'filled'}
                  color={closed ? undefined : 'teal'}
                  px={6}
                  aria-label={t('workspace.actions.status')}
                  disabled={busy}
                >
                  <IconChevronDown size={14} />
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{t('workspace.actions.status')}</Menu.Label>
                {conversation.status !== 'open' && (
                  <Menu.Item
                    leftSection={<IconRefresh size={14} />}
                    onClick={() => changeStatus('open')}
                  >
                    {t('workspace.actions.open')}
                  </Menu.Item>
                )}
                {conversation.status !== 'pending' && (
                  <Menu.Item
                    leftSection={<IconClock size={14} />}
                    onClick={() => changeStatus('pending')}
                  >
                    {t('workspace.actions.pending')}
                  </Menu.Item>
                )}
                <Menu.Sub>
                  <Menu.Sub.Target>
                    <Menu.Sub.Item leftSection={<IconPlayerPause size={14} />}>
                      {t('workspace.actions.snooze')}
                    </Menu.Sub.Item>
                  </Menu.Sub.Target>
                  <Menu.Sub.Dropdown>
                    {(['1h', '4h', 'tomorrow'] as const).map((choice) => (
                      <Menu.Item
                        key={choice}
                        onClick={() => changeStatus('snoozed', snoozeUntil(choice))}
                      >
                        {t(`workspace.actions.snooze_${choice}`)}
                      </Menu.Item>
                    ))}
                  </Menu.Sub.Dropdown>
                </Menu.Sub>
                {conversation.status !== 'resolved' && (
                  <Menu.Item
                    leftSection={<IconCheck size={14} />}
                    onClick={() => changeStatus('resolved')}
                  >
                    {t('workspace.actions.resolve')}
                  </Menu.Item>
                )}
                {conversation.status !== 'closed' && (
                  <Menu.Item
                    leftSection={<IconLock size={14} />}
                    onClick={() => changeStatus('closed')}
                  >
                    {t('workspace.actions.close')}
                  </Menu.Item>
                )}
              </Menu.Dropdown>
            </Menu>
          </Button.Group>
          <Menu position="bottom-start" shadow="md" withinPortal>
            <Menu.Target>
              <Button
                size="compact-sm"
                fw={500}
                variant="default"
                leftSection={<IconArrowsExchange size={14} />}
                disabled={busy}
              >
                {t('workspace.actions.transfer')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{t('workspace.actions.transferTo')}</Menu.Label>
              {teams
                .filter((x) => x.id !== conversation.teamId)
                .map((x) => (
                  <Menu.Item
                    key={x.id}
                    onClick={() =>
                      transfer.mutate(
                        { teamId: x.id },
                        {
                          onSuccess: () =>
                            notifySuccess(t('workspace.notice.transferred', { team: x.name })),
                          onError: (error) => notifyError(error),
                        },
                      )
                    }
                  >
                    {x.name} ({x.tier})
                  </Menu.Item>
                ))}
            </Menu.Dropdown>
          </Menu>
          {conversation.tier !== 'L2' && (
            <Button
              size="compact-sm"
              fw={500}
              variant="light"
              color="orange"
              leftSection={<IconArrowUpRight size={14} />}
              onClick={onEscalate}
              disabled={busy}
            >
              {t('workspace.actions.escalate')}
            </Button>
          )}
          {canReview && (
            <Button
              size="compact-sm"
              fw={500}
              variant="light"
              color="grape"
              leftSection={<IconStars size={14} />}
              onClick={() => setReviewing(true)}
            >
              {t('quality.review')}
            </Button>
          )}
          <ReviewModal
            conversation={reviewing ? conversation : null}
            onClose={() => setReviewing(false)}
          />
          <Menu position="bottom-end" shadow="md" withinPortal>
            <Menu.Target>
              <ActionIcon variant="default" size={26} aria-label={t('workspace.actions.more')}>
                <IconDots size={16} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconGitMerge size={14} />} onClick={onMerge}>
                {t('workspace.actions.merge')}
              </Menu.Item>
              <Menu.Item leftSection={<IconKeyboard size={14} />} onClick={onShortcuts}>
                {t('shortcuts.title')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
    </header>
  );
}
