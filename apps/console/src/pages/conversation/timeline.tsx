import type { TConversation, TMessage } from '@kefu/shared';
import { Anchor, Button, Group, Loader, Text, Tooltip } from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowsExchange,
  IconArrowUpRight,
  IconCheck,
  IconChecks,
  IconCircleCheck,
  IconClock,
  IconClockExclamation,
  IconGitMerge,
  IconLock,
  IconPaperclip,
  IconPencil,
  IconRobot,
  IconShieldCheck,
  IconUserCheck,
  IconUserMinus,
} from '@tabler/icons-react';
import { memo, type ReactNode, useEffect, useLayoutEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import i18n from '../../i18n.ts';
import { eventCode, isStatus } from '../../lib/conversation.ts';
import { formatDateTime, formatTime } from '../../lib/format.ts';
import { MessageText } from './message-text.tsx';
import type { Outgoing } from './outgoing.ts';

type Names = {
  customer: string;
  agent: (id: string | null) => string | null;
  team: (id: string | null) => string | null;
};

const ASSIGNMENT_EVENTS = new Set(['assigned', 'unassigned', 'transferred', 'escalated']);
const TEAM_EVENTS = new Set(['transferred', 'escalated']);

/**
 * Events carry only their code (the API does not expose their details), so names come from the
 * conversation's current state where that is certain: the latest assignment names the current
 * assignee, the latest escalation its reason, the latest transfer the current team.
 */
function eventContext(messages: TMessage[]) {
  let lastAssignment: string | null = null;
  let lastTeamChange: string | null = null;
  let lastEscalation: string | null = null;
  for (const message of messages) {
    const code = eventCode(message);
    if (!code) continue;
    if (ASSIGNMENT_EVENTS.has(code)) lastAssignment = message.id;
    if (TEAM_EVENTS.has(code)) lastTeamChange = message.id;
    if (code === 'escalated') lastEscalation = message.id;
  }
  return { lastAssignment, lastTeamChange, lastEscalation };
}

type EventView = { icon: typeof IconCheck; color: string; text: string };

function describeEvent(
  code: string,
  message: TMessage,
  conversation: TConversation,
  context: ReturnType<typeof eventContext>,
  names: Names,
): EventView {
  const t = i18n.t;
  switch (code) {
    case 'assigned': {
      const name =
        context.lastAssignment === message.id ? names.agent(conversation.assigneeId) : null;
      return {
        icon: IconUserCheck,
        color: 'blue',
        text: name ? t('workspace.events.assignedTo', { name }) : t('workspace.events.assigned'),
      };
    }
    case 'unassigned':
      return { icon: IconUserMinus, color: 'gray', text: t('workspace.events.unassigned') };
    case 'transferred': {
      const team = context.lastTeamChange === message.id ? names.team(conversation.teamId) : null;
      return {
        icon: IconArrowsExchange,
        color: 'blue',
        text: team
          ? t('workspace.events.transferredTo', { team })
          : t('workspace.events.transferred'),
      };
    }
    case 'escalated': {
      const reason = context.lastEscalation === message.id ? conversation.escalationReason : null;
      return {
        icon: IconArrowUpRight,
        color: 'orange',
        text: reason
          ? t('workspace.events.escalatedReason', { reason })
          : t('workspace.events.escalated'),
      };
    }
    case 'updated':
      return { icon: IconPencil, color: 'gray', text: t('workspace.events.updated') };
    case 'merged':
      return { icon: IconGitMerge, color: 'grape', text: t('workspace.events.merged') };
    case 'sla_warning':
      return {
        icon: IconClockExclamation,
        color: 'orange',
        text: t('workspace.events.slaWarning'),
      };
    case 'sla_breached':
      return { icon: IconClockExclamation, color: 'red', text: t('workspace.events.slaBreached') };
  }
  if (code.startsWith('status_')) {
    const status = code.slice('status_'.length);
    if (isStatus(status)) {
      return {
        icon: status === 'resolved' ? IconCircleCheck : IconClock,
        color: status === 'resolved' ? 'teal' : 'gray',
        text: t(`workspace.events.status.${status}`),
      };
    }
  }
  return { icon: IconClock, color: 'gray', text: t('workspace.events.other', { code }) };
}

function dayOf(iso: string): string {
  return new Date(iso).toDateString();
}

function DaySeparator({ iso }: { iso: string }) {
  const label = new Intl.DateTimeFormat(i18n.language === 'zh-CN' ? 'zh-CN' : 'en', {
    dateStyle: 'full',
  }).format(new Date(iso));
  return (
    <div className="kefu-day">
      <span>{label}</span>
    </div>
  );
}

function Time({ iso }: { iso: string }) {
  return (
    <Tooltip label={formatDateTime(iso)}>
      <Text span size="xs" c="dimmed" className="kefu-tabular">
        {formatTime(iso)}
      </Text>
    </Tooltip>
  );
}

function DeliveryState({ status }: { status: TMessage['deliveryStatus'] }) {
  const { t } = useTranslation();
  if (!status) return null;
  const view =
    status === 'failed'
      ? { icon: <IconAlertTriangle size={12} />, text: t('workspace.delivery.failed'), c: 'red' }
      : status === 'delivered'
        ? { icon: <IconChecks size={12} />, text: t('workspace.delivery.delivered'), c: 'teal' }
        : { icon: <IconCheck size={12} />, text: t('workspace.delivery.sent'), c: 'dimmed' };
  return (
    <Group gap={2} wrap="nowrap" c={view.c} data-testid="delivery-state" data-state={status}>
      {view.icon}
      <Text span size="xs" c="inherit">
        {view.text}
      </Text>
    </Group>
  );
}

function Attachments({ message }: { message: TMessage }) {
  if (message.attachments.length === 0) return null;
  return (
    <Group gap={6} mt={4}>
      {message.attachments.map((file) => (
        <Anchor
          key={file.id}
          href={`/api/v1/attachments/${file.id}`}
          target="_blank"
          rel="noopener noreferrer"
          size="xs"
        >
          <Group gap={2} wrap="nowrap">
            <IconPaperclip size={12} aria-hidden />
            {file.name} ({Math.max(1, Math.round(file.size / 1024))} KB)
          </Group>
        </Anchor>
      ))}
    </Group>
  );
}

function Bubble({
  kind,
  side,
  sender,
  at,
  footer,
  children,
  testId,
}: {
  kind: 'contact' | 'reply' | 'assistant' | 'note' | 'system';
  side: 'in' | 'out' | 'center';
  sender: ReactNode;
  at: string;
  footer?: ReactNode;
  children: ReactNode;
  testId: string;
}) {
  return (
    <div className="kefu-msg" data-kind={kind} data-side={side} data-testid={testId}>
      <Group gap={6} justify="space-between" wrap="nowrap" mb={2}>
        <Text size="xs" fw={600} className="kefu-truncate">
          {sender}
        </Text>
        <Time iso={at} />
      </Group>
      {children}
      {footer && (
        <Group gap={6} justify="flex-end" mt={2}>
          {footer}
        </Group>
      )}
    </div>
  );
}

function MessageItem({
  message,
  conversation,
  context,
  names,
}: {
  message: TMessage;
  conversation: TConversation;
  context: ReturnType<typeof eventContext>;
  names: Names;
}) {
  const { t } = useTranslation();
  const code = eventCode(message);
  if (code) {
    const event = describeEvent(code, message, conversation, context, names);
    const Icon = event.icon;
    return (
      <div className="kefu-event" data-testid="timeline-event" data-event={code}>
        <Icon size={14} color={`var(--mantine-color-${event.color}-6)`} aria-hidden />
        <Text span size="xs" className="kefu-event-text">
          {event.text}
        </Text>
        <Time iso={message.createdAt} />
      </div>
    );
  }
  if (message.senderType === 'system') {
    // Notices the customer sees (secret warning, queue) or, when private, the assistant's
    // handoff summary for agents.
    return (
      <Bubble
        kind="system"
        side="center"
        testId={message.private ? 'timeline-system-note' : 'timeline-system'}
        at={message.createdAt}
        sender={
          <Group gap={4} wrap="nowrap">
            {message.private ? (
              <IconRobot size={14} aria-hidden />
            ) : (
              <IconShieldCheck size={14} aria-hidden />
            )}
            {message.private ? t('workspace.sender.handoff') : t('workspace.sender.system')}
          </Group>
        }
      >
        <MessageText text={message.text} />
      </Bubble>
    );
  }
  if (message.senderType === 'contact') {
    return (
      <Bubble
        kind="contact"
        side="in"
        testId="timeline-contact"
        at={message.createdAt}
        sender={names.customer}
      >
        <MessageText text={message.text} />
        <Attachments message={message} />
      </Bubble>
    );
  }
  if (message.private) {
    return (
      <Bubble
        kind="note"
        side="out"
        testId="timeline-note"
        at={message.createdAt}
        sender={
          <Group gap={4} wrap="nowrap">
            <IconLock size={12} aria-hidden />
            {t('workspace.sender.note', {
              name: message.senderName ?? names.agent(message.senderId) ?? t('common.unknown'),
            })}
          </Group>
        }
      >
        <MessageText text={message.text} mentions />
        <Attachments message={message} />
      </Bubble>
    );
  }
  const assistant = message.senderType === 'assistant';
  return (
    <Bubble
      kind={assistant ? 'assistant' : 'reply'}
      side="out"
      testId={assistant ? 'timeline-assistant' : 'timeline-reply'}
      at={message.createdAt}
      sender={
        assistant ? (
          <Group gap={4} wrap="nowrap">
            <IconRobot size={12} aria-hidden />
            {t('workspace.sender.assistant')}
          </Group>
        ) : (
          (message.senderName ?? names.agent(message.senderId) ?? t('common.unknown'))
        )
      }
      footer={<DeliveryState status={message.deliveryStatus} />}
    >
      <MessageText text={message.text} />
      <Attachments message={message} />
    </Bubble>
  );
}

function OutgoingItem({
  item,
  onRetry,
  onDiscard,
}: {
  item: Outgoing;
  onRetry: (item: Outgoing) => void;
  onDiscard: (item: Outgoing) => void;
}) {
  const { t } = useTranslation();
  return (
    <Bubble
      kind={item.private ? 'note' : 'reply'}
      side="out"
      testId="timeline-outgoing"
      at={item.createdAt}
      sender={item.private ? t('workspace.sender.myNote') : t('common.you')}
      footer={
        item.state === 'sending' ? (
          <Group gap={4} c="dimmed" data-testid="delivery-state" data-state="sending">
            <Loader size={10} />
            <Text span size="xs" c="inherit">
              {t('workspace.delivery.sending')}
            </Text>
          </Group>
        ) : (
          <Group gap={6} data-testid="delivery-state" data-state="failed">
            <Tooltip label={item.error ?? ''} disabled={!item.error}>
              <Group gap={2} c="red" wrap="nowrap">
                <IconAlertTriangle size={12} />
                <Text span size="xs" c="inherit">
                  {t('workspace.delivery.notSent')}
                </Text>
              </Group>
            </Tooltip>
            <Button size="compact-xs" variant="light" onClick={() => onRetry(item)}>
              {t('workspace.delivery.retry')}
            </Button>
            <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onDiscard(item)}>
              {t('workspace.delivery.discard')}
            </Button>
          </Group>
        )
      }
    >
      <MessageText text={item.text} mentions={item.private} />
    </Bubble>
  );
}

/** Messages, notes and events in order, with the agent's own messages still on their way. */
export const Timeline = memo(function Timeline({
  conversation,
  messages,
  outgoing,
  names,
  onRetry,
  onDiscard,
}: {
  conversation: TConversation;
  messages: TMessage[];
  outgoing: Outgoing[];
  names: Names;
  onRetry: (item: Outgoing) => void;
  onDiscard: (item: Outgoing) => void;
}) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const stuckToBottom = useRef(true);
  const context = useMemo(() => eventContext(messages), [messages]);
  const stored = useMemo(
    () => new Set(messages.map((m) => m.clientMessageId).filter(Boolean)),
    [messages],
  );
  const pending = outgoing.filter((o) => !stored.has(o.clientMessageId));

  // Follow new messages while the agent is at the bottom; leave them be when reading above.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the content grows
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stuckToBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages.length, pending.length]);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const onScroll = () => {
      stuckToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  let previousDay = '';
  return (
    <div
      ref={scroller}
      className="kefu-timeline"
      role="log"
      aria-label={t('workspace.timeline')}
      data-testid="timeline"
    >
      {messages.map((message) => {
        const day = dayOf(message.createdAt);
        const separator = day !== previousDay ? <DaySeparator iso={message.createdAt} /> : null;
        previousDay = day;
        return (
          <div key={message.id} className="kefu-timeline-row" data-seq={message.seq}>
            {separator}
            <MessageItem
              message={message}
              conversation={conversation}
              context={context}
              names={names}
            />
          </div>
        );
      })}
      {pending.map((item) => (
        <div key={item.clientMessageId} className="kefu-timeline-row">
          <OutgoingItem item={item} onRetry={onRetry} onDiscard={onDiscard} />
        </div>
      ))}
    </div>
  );
});
