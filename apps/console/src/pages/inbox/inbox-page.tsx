import type { TConversation, TConversationCounts, TStatus } from '@kefu/shared';
import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconInbox, IconKeyboard } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useAgents } from '../../api/agents.ts';
import { useCurrentMe } from '../../api/auth.ts';
import {
  FILTER_KEYS,
  type InboxFilter,
  type InboxFilterKey,
  useConversationCounts,
  useConversationList,
} from '../../api/conversations.ts';
import { useContactsById } from '../../api/workspace.ts';
import { canAdminister } from '../../auth/guards.tsx';
import {
  ChannelLabel,
  HandlerBadge,
  LanguageBadge,
  PriorityBadge,
  SlaBadge,
  StatusBadge,
  TierBadge,
} from '../../components/conversation-badges.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Page } from '../../components/page.tsx';
import { ShortcutsModal } from '../../components/shortcuts-modal.tsx';
import { type InboxView, isStatus, isView, STATUSES, VIEWS } from '../../lib/conversation.ts';
import { customerName, readableRedactions } from '../../lib/customer.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { rememberInboxOrder } from '../../lib/inbox-order.ts';
import { isShortcutEvent } from '../../lib/keyboard.ts';
import { useRealtime } from '../../realtime/realtime.tsx';
import { InboxFilters, InboxSearch } from './inbox-filters.tsx';

const ANY_STATUS = 'any';

function useInboxFilter(views: readonly InboxView[]) {
  const [params, setParams] = useSearchParams();
  const rawView = params.get('view');
  const rawStatus = params.get('status');
  const view: InboxView = isView(rawView) && views.includes(rawView) ? rawView : 'mine';
  // A search looks through every status unless one is picked; a plain view shows open ones.
  const q = params.get('q') ?? '';
  const status: TStatus | undefined =
    rawStatus === ANY_STATUS ? undefined : isStatus(rawStatus) ? rawStatus : q ? undefined : 'open';
  const extras: Partial<Record<InboxFilterKey, string>> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) extras[key] = value;
  }
  const update = (
    next: { view?: InboxView; status?: TStatus | typeof ANY_STATUS } & Partial<
      Record<InboxFilterKey, string | undefined>
    >,
  ) => {
    const merged = new URLSearchParams(params);
    if (next.view) merged.set('view', next.view);
    if (next.status) merged.set('status', next.status);
    for (const key of FILTER_KEYS) {
      if (!(key in next)) continue;
      const value = next[key];
      if (value) merged.set(key, value);
      else merged.delete(key);
    }
    setParams(merged, { replace: true });
  };
  return { filter: { view, status, ...extras } satisfies InboxFilter, update };
}

function ViewCount({
  view,
  counts,
  active,
}: {
  view: InboxView;
  counts: TConversationCounts | undefined;
  active: boolean;
}) {
  const count = counts?.[view];
  if (count === undefined) return null;
  return (
    <Badge
      size="sm"
      variant={active ? 'filled' : 'light'}
      color={active ? 'blue' : view === 'due' && count > 0 ? 'red' : 'gray'}
      circle={count < 10}
      data-testid={`count-${view}`}
    >
      {count}
    </Badge>
  );
}

function LiveIndicator() {
  const { t } = useTranslation();
  const { status } = useRealtime();
  const live = status === 'connected';
  return (
    <Tooltip label={live ? t('inbox.liveHint') : t('alerts.reconnecting')}>
      <Badge
        variant="dot"
        color={live ? 'teal' : 'orange'}
        size="md"
        data-testid="live-indicator"
        data-live={live}
      >
        {live ? t('inbox.live') : t('inbox.reconnecting')}
      </Badge>
    </Tooltip>
  );
}

/** Conversations by view (mine, unassigned, my teams, all) and status, kept live by the socket. */
export function InboxPage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const navigate = useNavigate();
  const views = useMemo(
    () => VIEWS.filter((view) => view !== 'all' || canAdminister(me.agent.role)),
    [me.agent.role],
  );
  const { filter, update } = useInboxFilter(views);
  const list = useConversationList(filter);
  const { view: _view, ...shared } = filter;
  const counts = useConversationCounts(shared);
  const filtered = FILTER_KEYS.some((key) => filter[key]);
  const agents = useAgents();
  const conversations = list.data ?? [];
  const contacts = useContactsById(
    useMemo(() => conversations.map((c) => c.contactId), [conversations]),
  );
  const agentNames = useMemo(
    () => new Map((agents.data ?? []).map((agent) => [agent.id, agent.name])),
    [agents.data],
  );
  const [selected, setSelected] = useState(0);
  const [helpOpen, setHelpOpen] = useState(false);

  useEffect(() => {
    rememberInboxOrder(conversations.map((c) => c.id));
  }, [conversations]);

  // j/k move the selection, Enter or o opens it, ? lists the shortcuts.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!isShortcutEvent(event)) return;
      if (event.key === 'j') {
        setSelected((i) => Math.min(i + 1, Math.max(conversations.length - 1, 0)));
      } else if (event.key === 'k') {
        setSelected((i) => Math.max(i - 1, 0));
      } else if (event.key === 'Enter' || event.key === 'o') {
        const target = conversations[selected];
        if (target) void navigate(`/conversations/${target.id}`);
      } else if (event.key === '?') {
        setHelpOpen(true);
      } else {
        return;
      }
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [conversations, selected, navigate]);

  useEffect(() => {
    document.querySelector(`[data-row-index="${selected}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const statusOptions = [
    { value: ANY_STATUS, label: t('inbox.anyStatus') },
    ...STATUSES.map((status) => ({ value: status, label: t(`ticket.status.${status}`) })),
  ];

  return (
    <Page
      title={t('inbox.title')}
      actions={
        <>
          <LiveIndicator />
          <Tooltip label={t('shortcuts.title')}>
            <Button
              variant="subtle"
              color="gray"
              size="xs"
              leftSection={<IconKeyboard size={16} />}
              onClick={() => setHelpOpen(true)}
            >
              ?
            </Button>
          </Tooltip>
        </>
      }
    >
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Tabs
          value={filter.view}
          onChange={(value) => {
            if (isView(value)) {
              setSelected(0);
              update({ view: value });
            }
          }}
          variant="pills"
          radius="sm"
        >
          <Tabs.List aria-label={t('inbox.viewsLabel')}>
            {views.map((view) => (
              <Tabs.Tab
                key={view}
                value={view}
                rightSection={
                  <ViewCount view={view} counts={counts.data} active={view === filter.view} />
                }
              >
                {t(`inbox.views.${view}`)}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
        <Group gap="xs" wrap="nowrap">
          <InboxSearch
            value={filter.q ?? ''}
            onChange={(q) => {
              setSelected(0);
              update({ q: q || undefined });
            }}
          />
          <InboxFilters
            values={filter}
            onChange={(next) => {
              setSelected(0);
              update(next);
            }}
          />
          <Select
            aria-label={t('inbox.status')}
            size="xs"
            w={170}
            data={statusOptions}
            value={filter.status ?? ANY_STATUS}
            allowDeselect={false}
            onChange={(value) => {
              if (value === ANY_STATUS || isStatus(value)) {
                setSelected(0);
                update({ status: value });
              }
            }}
          />
        </Group>
      </Group>
      {me.agent.availability !== 'online' && filter.view === 'mine' && (
        <Alert color="yellow" variant="light" py="xs">
          <Text size="sm">
            {t('inbox.offlineHint', { availability: t(`availability.${me.agent.availability}`) })}
          </Text>
        </Alert>
      )}
      {list.isPending ? (
        <Loader size="sm" aria-label={t('common.loading')} />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : conversations.length === 0 && filtered ? (
        <NoMatches />
      ) : conversations.length === 0 ? (
        <EmptyInbox view={filter.view} />
      ) : (
        <Stack gap="xs">
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={960}>
              <Table
                className="kefu-table kefu-inbox-table"
                horizontalSpacing="xs"
                highlightOnHover
                aria-label={t(`inbox.views.${filter.view}`)}
              >
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('inbox.columns.number')}</Table.Th>
                    <Table.Th>{t('inbox.columns.customer')}</Table.Th>
                    <Table.Th>{t('inbox.columns.channel')}</Table.Th>
                    <Table.Th>{t('inbox.columns.priority')}</Table.Th>
                    <Table.Th>{t('inbox.columns.tier')}</Table.Th>
                    <Table.Th>{t('inbox.columns.assignee')}</Table.Th>
                    <Table.Th>{t('inbox.columns.sla')}</Table.Th>
                    <Table.Th>{t('inbox.columns.language')}</Table.Th>
                    <Table.Th>{t('inbox.columns.handler')}</Table.Th>
                    <Table.Th>{t('inbox.columns.updated')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {conversations.map((conversation, index) => (
                    <InboxRow
                      key={conversation.id}
                      index={index}
                      conversation={conversation}
                      selected={index === selected}
                      customer={customerName(
                        contacts.get(conversation.contactId),
                        conversation.contactId,
                      )}
                      assignee={
                        conversation.assigneeId
                          ? (agentNames.get(conversation.assigneeId) ?? t('common.unknown'))
                          : null
                      }
                      showStatus={!filter.status}
                      onOpen={() => void navigate(`/conversations/${conversation.id}`)}
                    />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {t('inbox.shown', { count: conversations.length })} · {t('inbox.shortcutsHint')}
            </Text>
            {list.hasNextPage ? (
              <Button
                variant="default"
                size="xs"
                loading={list.isFetchingNextPage}
                onClick={() => void list.fetchNextPage()}
              >
                {t('inbox.loadMore')}
              </Button>
            ) : (
              <Text size="xs" c="dimmed">
                {t('inbox.end')}
              </Text>
            )}
          </Group>
        </Stack>
      )}
      <ShortcutsModal opened={helpOpen} onClose={() => setHelpOpen(false)} context="inbox" />
    </Page>
  );
}

function InboxRow({
  conversation,
  index,
  selected,
  customer,
  assignee,
  showStatus,
  onOpen,
}: {
  conversation: TConversation;
  index: number;
  selected: boolean;
  customer: string;
  assignee: string | null;
  showStatus: boolean;
  onOpen: () => void;
}) {
  const { t } = useTranslation();
  const activity = conversation.lastMessageAt ?? conversation.updatedAt;
  const subject = conversation.subject
    ? readableRedactions(conversation.subject)
    : t('ticket.noSubject');
  return (
    <Table.Tr
      data-row-index={index}
      data-conversation-id={conversation.id}
      data-selected={selected || undefined}
      className="kefu-inbox-row"
      onClick={onOpen}
    >
      <Table.Td>
        <Text
          component={Link}
          to={`/conversations/${conversation.id}`}
          size="sm"
          fw={600}
          className="kefu-tabular"
          onClick={(event) => event.stopPropagation()}
        >
          #{conversation.number}
        </Text>
      </Table.Td>
      <Table.Td className="kefu-wrap" miw={200} maw={260}>
        <Group gap={6} wrap="nowrap">
          <Text size="sm" fw={600} className="kefu-truncate">
            {customer}
          </Text>
          {showStatus && <StatusBadge status={conversation.status} />}
        </Group>
        <Text size="xs" c="dimmed" className="kefu-truncate" title={subject}>
          {subject}
        </Text>
      </Table.Td>
      <Table.Td>
        <ChannelLabel channel={conversation.channel} />
      </Table.Td>
      <Table.Td>
        <PriorityBadge priority={conversation.priority} />
      </Table.Td>
      <Table.Td>
        <TierBadge tier={conversation.tier} />
      </Table.Td>
      <Table.Td>
        {assignee ? (
          <Text size="sm" className="kefu-truncate" maw={120}>
            {assignee}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('ticket.unassigned')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <SlaBadge conversation={conversation} />
      </Table.Td>
      <Table.Td>
        <LanguageBadge language={conversation.language} />
      </Table.Td>
      <Table.Td>
        <HandlerBadge handler={conversation.handler} />
      </Table.Td>
      <Table.Td>
        <Tooltip label={formatDateTime(activity)}>
          <Text size="sm" c="dimmed">
            {formatRelative(activity)}
          </Text>
        </Tooltip>
      </Table.Td>
    </Table.Tr>
  );
}

function EmptyInbox({ view }: { view: InboxView }) {
  const { t } = useTranslation();
  const mine = view === 'mine';
  return (
    <Paper withBorder p="xl" radius="md">
      <Stack align="center" gap="sm" maw={520} mx="auto" py="lg">
        <ThemeIcon size={56} radius="xl" variant="light" color="gray">
          <IconInbox size={30} />
        </ThemeIcon>
        <Title order={3} fz="lg" ta="center">
          {mine ? t('inbox.emptyTitle') : t('inbox.emptyViewTitle')}
        </Title>
        <Text c="dimmed" ta="center" size="sm">
          {mine ? t('inbox.emptyBody') : t('inbox.emptyViewBody')}
        </Text>
      </Stack>
    </Paper>
  );
}

function NoMatches() {
  const { t } = useTranslation();
  return (
    <Paper withBorder radius="md" p="xl" data-testid="no-matches">
      <Stack align="center" gap="xs">
        <Text fw={600}>{t('inboxSearch.noResultsTitle')}</Text>
        <Text size="sm" c="dimmed" ta="center">
          {t('inboxSearch.noResultsBody')}
        </Text>
      </Stack>
    </Paper>
  );
}
