import type { TAgent, TTeam } from '@kefu/shared';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Menu,
  Paper,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import {
  IconDevices,
  IconDots,
  IconHistory,
  IconKey,
  IconLock,
  IconLockOpen,
  IconLogout,
  IconPencil,
  IconPlus,
  IconSearch,
  IconShieldOff,
} from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import {
  useAgents,
  useResetAgentTwoFactor,
  useRevokeAgentSessions,
  useUnlockAgent,
} from '../../api/agents.ts';
import { useCurrentMe } from '../../api/auth.ts';
import { useTeams } from '../../api/teams.ts';
import { AvailabilityLabel, LocaleBadges, RoleBadge } from '../../components/badges.tsx';
import { ConfirmModal } from '../../components/confirm-modal.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { notifyError, notifySuccess } from '../../components/notify.ts';
import { Page } from '../../components/page.tsx';
import { formatDateTime, formatTime } from '../../lib/format.ts';
import { useDialog } from '../../lib/use-dialog.ts';
import { AgentSessionsModal, ResetPasswordModal } from './agent-dialogs.tsx';
import { AgentFormModal } from './agent-form-modal.tsx';

type Dialog =
  | { kind: 'create' }
  | { kind: 'edit'; agent: TAgent }
  | { kind: 'resetPassword'; agent: TAgent }
  | { kind: 'resetTwoFactor'; agent: TAgent }
  | { kind: 'sessions'; agent: TAgent }
  | { kind: 'signOutEverywhere'; agent: TAgent };

export function isLocked(agent: TAgent, now = Date.now()): boolean {
  return agent.lockedUntil !== null && new Date(agent.lockedUntil).getTime() > now;
}

function matches(agent: TAgent, teams: Map<string, TTeam>, query: string): boolean {
  if (!query) return true;
  const haystack = [
    agent.name,
    agent.email,
    agent.role,
    ...agent.skills,
    ...agent.teamIds.map((id) => teams.get(id)?.name ?? ''),
  ]
    .join(' ')
    .toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

export function AgentsPage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const navigate = useNavigate();
  const agents = useAgents();
  const teams = useTeams();
  const unlock = useUnlockAgent();
  const resetTwoFactor = useResetAgentTwoFactor();
  const signOutEverywhere = useRevokeAgentSessions();
  const [query, setQuery] = useState('');
  const dialog = useDialog<Dialog>();
  const isAdmin = me.agent.role === 'admin';

  const teamsById = useMemo(
    () => new Map((teams.data ?? []).map((team) => [team.id, team])),
    [teams.data],
  );
  const shown = dialog.value;
  const agentOf = (kind: Exclude<Dialog['kind'], 'create'>): TAgent | null =>
    shown && shown.kind === kind ? shown.agent : null;
  const visible = (agents.data ?? []).filter((agent) => matches(agent, teamsById, query));

  const rows = visible.map((agent) => {
    const locked = isLocked(agent);
    const self = agent.id === me.agent.id;
    return (
      <Table.Tr key={agent.id} style={agent.active ? undefined : { opacity: 0.6 }}>
        <Table.Td>
          <Text size="sm" fw={600} className="kefu-nowrap">
            {agent.name}
            {self && (
              <Text span c="dimmed" fw={400} size="xs">
                {' '}
                ({t('common.you')})
              </Text>
            )}
          </Text>
          <Text size="xs" c="dimmed">
            {agent.email}
          </Text>
        </Table.Td>
        <Table.Td>
          <RoleBadge role={agent.role} />
        </Table.Td>
        <Table.Td>
          <LocaleBadges locales={agent.languages} />
        </Table.Td>
        <Table.Td className="kefu-wrap" miw={140}>
          <Group gap={4}>
            {agent.teamIds.map((id) => (
              <Badge key={id} size="sm" variant="light" color="gray" tt="none">
                {teamsById.get(id)?.name ?? id.slice(0, 8)}
              </Badge>
            ))}
          </Group>
          {agent.skills.length > 0 && (
            <Text size="xs" c="dimmed" mt={2}>
              {t('agents.skillsLine', { skills: agent.skills.join(', ') })}
            </Text>
          )}
        </Table.Td>
        <Table.Td ta="center">{agent.capacity}</Table.Td>
        <Table.Td>
          <AvailabilityLabel availability={agent.availability} />
        </Table.Td>
        <Table.Td>
          {agent.twoFactorEnabled ? (
            <Badge size="sm" color="teal" variant="light">
              {t('common.on')}
            </Badge>
          ) : (
            <Badge size="sm" color="gray" variant="outline">
              {t('common.off')}
            </Badge>
          )}
        </Table.Td>
        <Table.Td>
          <Group gap={4} wrap="nowrap">
            {agent.active ? (
              <Badge size="sm" color="teal" variant="dot">
                {t('agents.statusActive')}
              </Badge>
            ) : (
              <Badge size="sm" color="gray" variant="dot">
                {t('agents.statusDisabled')}
              </Badge>
            )}
            {locked && agent.lockedUntil && (
              <Tooltip label={formatDateTime(agent.lockedUntil)}>
                <Badge
                  size="sm"
                  color="red"
                  variant="light"
                  leftSection={<IconLock size={12} />}
                  data-testid="locked-badge"
                >
                  {t('agents.lockedUntil', { time: formatTime(agent.lockedUntil) })}
                </Badge>
              </Tooltip>
            )}
          </Group>
        </Table.Td>
        <Table.Td ta="right">
          <Group gap={2} justify="flex-end" wrap="nowrap">
            {isAdmin && (
              <Tooltip label={t('agents.action.edit')}>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={`${t('agents.action.edit')}: ${agent.name}`}
                  onClick={() => dialog.open({ kind: 'edit', agent })}
                >
                  <IconPencil size={16} />
                </ActionIcon>
              </Tooltip>
            )}
            <Menu position="bottom-end" withinPortal shadow="md">
              <Menu.Target>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={t('agents.actionsFor', { name: agent.name })}
                >
                  <IconDots size={16} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                {isAdmin && (
                  <Menu.Item
                    leftSection={<IconKey size={16} />}
                    onClick={() => dialog.open({ kind: 'resetPassword', agent })}
                  >
                    {t('agents.action.resetPassword')}
                  </Menu.Item>
                )}
                <Menu.Item
                  leftSection={<IconLockOpen size={16} />}
                  disabled={!locked}
                  onClick={() =>
                    unlock.mutate(agent.id, {
                      onSuccess: () => notifySuccess(t('agents.unlocked', { name: agent.name })),
                      onError: (error) => notifyError(error),
                    })
                  }
                >
                  {t('agents.action.unlock')}
                </Menu.Item>
                {isAdmin && (
                  <>
                    <Menu.Item
                      leftSection={<IconShieldOff size={16} />}
                      disabled={!agent.twoFactorEnabled}
                      onClick={() => dialog.open({ kind: 'resetTwoFactor', agent })}
                    >
                      {t('agents.action.resetTwoFactor')}
                    </Menu.Item>
                    <Menu.Item
                      leftSection={<IconDevices size={16} />}
                      onClick={() => dialog.open({ kind: 'sessions', agent })}
                    >
                      {t('agents.action.sessions')}
                    </Menu.Item>
                    <Menu.Item
                      leftSection={<IconLogout size={16} />}
                      color="red"
                      onClick={() => dialog.open({ kind: 'signOutEverywhere', agent })}
                    >
                      {t('agents.action.signOutEverywhere')}
                    </Menu.Item>
                  </>
                )}
                <Menu.Divider />
                <Menu.Item
                  leftSection={<IconHistory size={16} />}
                  onClick={() =>
                    void navigate(`/admin/audit?targetId=${encodeURIComponent(agent.id)}`)
                  }
                >
                  {t('agents.action.auditTrail')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Table.Td>
      </Table.Tr>
    );
  });

  return (
    <Page
      title={t('agents.title')}
      description={agents.data ? t('agents.count', { count: agents.data.length }) : undefined}
      actions={
        <>
          <TextInput
            aria-label={t('agents.searchLabel')}
            placeholder={t('agents.searchPlaceholder')}
            leftSection={<IconSearch size={16} />}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            w={240}
            size="sm"
          />
          {isAdmin && (
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => dialog.open({ kind: 'create' })}
            >
              {t('agents.create')}
            </Button>
          )}
        </>
      }
    >
      {!isAdmin && (
        <Alert color="gray" variant="light" py="xs">
          <Text size="sm">{t('agents.readOnly')}</Text>
        </Alert>
      )}
      {agents.isPending ? (
        <Loader size="sm" aria-label={t('common.loading')} />
      ) : agents.isError ? (
        <ErrorAlert error={agents.error} />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={980}>
            <Table
              className="kefu-table"
              highlightOnHover
              horizontalSpacing={8}
              aria-label={t('agents.title')}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>
                    {t('agents.columns.name')} · {t('agents.columns.email')}
                  </Table.Th>
                  <Table.Th>{t('agents.columns.role')}</Table.Th>
                  <Table.Th>{t('agents.columns.languages')}</Table.Th>
                  <Table.Th>{t('agents.columns.teams')}</Table.Th>
                  <Table.Th ta="center">{t('agents.columns.capacity')}</Table.Th>
                  <Table.Th>{t('agents.columns.availability')}</Table.Th>
                  <Table.Th>{t('agents.columns.twoFactor')}</Table.Th>
                  <Table.Th>{t('agents.columns.status')}</Table.Th>
                  <Table.Th ta="right">{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.length > 0 ? (
                  rows
                ) : (
                  <Table.Tr>
                    <Table.Td colSpan={9}>
                      <Text size="sm" c="dimmed" ta="center" py="md">
                        {t('agents.noMatch')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}

      <AgentFormModal
        opened={dialog.opened && (shown?.kind === 'create' || shown?.kind === 'edit')}
        agent={shown?.kind === 'edit' ? shown.agent : null}
        formKey={dialog.key}
        selfId={me.agent.id}
        onClose={dialog.close}
      />
      <ResetPasswordModal
        opened={dialog.opened && shown?.kind === 'resetPassword'}
        agent={agentOf('resetPassword')}
        formKey={dialog.key}
        onClose={dialog.close}
      />
      <AgentSessionsModal
        opened={dialog.opened && shown?.kind === 'sessions'}
        agent={agentOf('sessions')}
        onClose={dialog.close}
      />
      <ConfirmModal
        opened={dialog.opened && shown?.kind === 'resetTwoFactor'}
        title={t('agents.resetTwoFactorTitle', { name: agentOf('resetTwoFactor')?.name ?? '' })}
        confirmLabel={t('agents.resetTwoFactorSubmit')}
        loading={resetTwoFactor.isPending}
        error={resetTwoFactor.error}
        onClose={() => {
          resetTwoFactor.reset();
          dialog.close();
        }}
        onConfirm={() => {
          const agent = agentOf('resetTwoFactor');
          if (!agent) return;
          resetTwoFactor.mutate(agent.id, {
            onSuccess: () => {
              notifySuccess(t('agents.resetTwoFactorDone', { name: agent.name }));
              dialog.close();
            },
          });
        }}
      >
        {t('agents.resetTwoFactorIntro')}
      </ConfirmModal>
      <ConfirmModal
        opened={dialog.opened && shown?.kind === 'signOutEverywhere'}
        title={t('agents.signOutEverywhereTitle', {
          name: agentOf('signOutEverywhere')?.name ?? '',
        })}
        confirmLabel={t('agents.signOutEverywhereSubmit')}
        loading={signOutEverywhere.isPending}
        error={signOutEverywhere.error}
        onClose={() => {
          signOutEverywhere.reset();
          dialog.close();
        }}
        onConfirm={() => {
          const agent = agentOf('signOutEverywhere');
          if (!agent) return;
          signOutEverywhere.mutate(agent.id, {
            onSuccess: ({ ended }) => {
              notifySuccess(t('agents.signOutEverywhereDone', { count: ended }));
              dialog.close();
            },
          });
        }}
      >
        {t('agents.signOutEverywhereIntro')}
      </ConfirmModal>
    </Page>
  );
}
