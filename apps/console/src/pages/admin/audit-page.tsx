import type { TAgent, TAuditEntry, TTeam } from '@kefu/shared';
import { consoleEn } from '@kefu/shared/i18n/console';
import {
  Anchor,
  Autocomplete,
  Button,
  Code,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconFilter, IconFilterOff } from '@tabler/icons-react';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useAgents } from '../../api/agents.ts';
import { type AuditFilter, useAuditLog } from '../../api/audit.ts';
import { useTeams } from '../../api/teams.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Page } from '../../components/page.tsx';
import { formatDateTime, formatTimestamp } from '../../lib/format.ts';

type ActionKey = keyof typeof consoleEn.audit.actions;
const KNOWN_ACTIONS = Object.keys(consoleEn.audit.actions) as ActionKey[];

function isKnownAction(action: string): action is ActionKey {
  return (KNOWN_ACTIONS as string[]).includes(action);
}

type FormState = { action: string; actorId: string; targetId: string; from: string; to: string };
const FIELDS = ['action', 'actorId', 'targetId', 'from', 'to'] as const;

function readForm(params: URLSearchParams): FormState {
  return {
    action: params.get('action') ?? '',
    actorId: params.get('actorId') ?? '',
    targetId: params.get('targetId') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
}

/** Dates are picked in the agent's own time zone; the API takes instants. */
function toFilter(form: FormState): AuditFilter {
  const day = (value: string, time: string) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
    const date = new Date(`${value}T${time}`);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  };
  const filter: AuditFilter = {};
  if (form.action.trim()) filter.action = form.action.trim();
  if (form.actorId.trim()) filter.actorId = form.actorId.trim();
  if (form.targetId.trim()) filter.targetId = form.targetId.trim();
  const since = day(form.from, '00:00:00');
  const until = day(form.to, '23:59:59.999');
  if (since) filter.since = since;
  if (until) filter.until = until;
  return filter;
}

function DataCell({ data }: { data: Record<string, unknown> }) {
  const entries = Object.entries(data);
  if (entries.length === 0) return null;
  const summary = entries
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
  return (
    <Tooltip
      label={<Code block>{JSON.stringify(data, null, 2)}</Code>}
      multiline
      maw={480}
      position="left"
    >
      <Text size="xs" c="dimmed" className="kefu-truncate" maw={320}>
        {summary}
      </Text>
    </Tooltip>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const applied = readForm(params);
  const [form, setForm] = useState<FormState>(applied);
  const filter = toFilter(applied);
  const log = useAuditLog(filter);
  const agents = useAgents();
  const teams = useTeams();

  const agentsById = useMemo(
    () => new Map<string, TAgent>((agents.data ?? []).map((agent) => [agent.id, agent])),
    [agents.data],
  );
  const teamsById = useMemo(
    () => new Map<string, TTeam>((teams.data ?? []).map((team) => [team.id, team])),
    [teams.data],
  );

  const actorOptions = useMemo(() => {
    const options = (agents.data ?? []).map((agent) => ({
      value: agent.id,
      label: `${agent.name} <${agent.email}>`,
    }));
    if (form.actorId && !agentsById.has(form.actorId))
      options.unshift({ value: form.actorId, label: form.actorId });
    return options;
  }, [agents.data, agentsById, form.actorId]);

  const apply = (next: FormState) => {
    const search = new URLSearchParams();
    for (const field of FIELDS) if (next[field].trim()) search.set(field, next[field].trim());
    setParams(search);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    apply(form);
  };
  const clear = () => {
    const empty: FormState = { action: '', actorId: '', targetId: '', from: '', to: '' };
    setForm(empty);
    apply(empty);
  };
  const filterByTarget = (targetId: string) => {
    const next = { ...form, targetId };
    setForm(next);
    apply(next);
  };

  const actionLabel = (action: string) =>
    isKnownAction(action) ? t(`audit.actions.${action}`) : action;

  const actorName = (entry: TAuditEntry) => {
    if (entry.actorType === 'system') return t('common.system');
    if (entry.actorType === 'anonymous') return t('common.anonymous');
    if (entry.actorId) return agentsById.get(entry.actorId)?.name ?? entry.actorId.slice(0, 8);
    return t('common.unknown');
  };

  const targetName = (entry: TAuditEntry) => {
    if (!entry.targetId) return null;
    if (entry.targetType === 'agent') return agentsById.get(entry.targetId)?.name;
    if (entry.targetType === 'team') return teamsById.get(entry.targetId)?.name;
    return undefined;
  };

  const hasFilters = FIELDS.some((field) => applied[field]);

  return (
    <Page title={t('audit.title')} description={t('audit.intro')}>
      <Paper withBorder p="sm" radius="md">
        <form onSubmit={submit} aria-label={t('audit.filters')}>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Autocomplete
              label={t('audit.action')}
              placeholder={t('audit.actionPlaceholder')}
              data={KNOWN_ACTIONS}
              value={form.action}
              onChange={(action) => setForm({ ...form, action })}
              renderOption={({ option }) => (
                <Stack gap={0}>
                  <Text size="sm">{actionLabel(option.value)}</Text>
                  <Text size="xs" c="dimmed" className="kefu-mono">
                    {option.value}
                  </Text>
                </Stack>
              )}
              limit={30}
              maxDropdownHeight={300}
              w={180}
              size="xs"
            />
            <Select
              label={t('audit.actor')}
              placeholder={t('audit.actorPlaceholder')}
              data={actorOptions}
              value={form.actorId || null}
              onChange={(actorId) => setForm({ ...form, actorId: actorId ?? '' })}
              searchable
              clearable
              w={210}
              size="xs"
            />
            <TextInput
              label={t('audit.target')}
              placeholder={t('audit.targetPlaceholder')}
              value={form.targetId}
              onChange={(e) => setForm({ ...form, targetId: e.currentTarget.value })}
              w={200}
              size="xs"
              classNames={{ input: 'kefu-mono' }}
            />
            <TextInput
              type="date"
              label={t('audit.from')}
              value={form.from}
              max={form.to || undefined}
              onChange={(e) => setForm({ ...form, from: e.currentTarget.value })}
              w={130}
              size="xs"
            />
            <TextInput
              type="date"
              label={t('audit.to')}
              value={form.to}
              min={form.from || undefined}
              onChange={(e) => setForm({ ...form, to: e.currentTarget.value })}
              w={130}
              size="xs"
            />
            <Button type="submit" size="xs" leftSection={<IconFilter size={14} />}>
              {t('audit.apply')}
            </Button>
            {hasFilters && (
              <Button
                size="xs"
                variant="subtle"
                color="gray"
                leftSection={<IconFilterOff size={14} />}
                onClick={clear}
              >
                {t('audit.reset')}
              </Button>
            )}
          </Group>
        </form>
      </Paper>

      {log.isPending ? (
        <Loader size="sm" aria-label={t('common.loading')} />
      ) : !log.data ? (
        <ErrorAlert error={log.error} />
      ) : (
        <Stack gap="sm">
          <Paper withBorder radius="md">
            <Table.ScrollContainer minWidth={960}>
              <Table className="kefu-table" highlightOnHover aria-label={t('audit.title')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('audit.columns.at')}</Table.Th>
                    <Table.Th>{t('audit.columns.actor')}</Table.Th>
                    <Table.Th>{t('audit.columns.action')}</Table.Th>
                    <Table.Th>{t('audit.columns.target')}</Table.Th>
                    <Table.Th>{t('audit.columns.ip')}</Table.Th>
                    <Table.Th>{t('audit.columns.details')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {log.data.length === 0 ? (
                    <Table.Tr>
                      <Table.Td colSpan={6}>
                        <Text size="sm" c="dimmed" ta="center" py="md">
                          {t('audit.empty')}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ) : (
                    log.data.map((entry) => {
                      const target = targetName(entry);
                      return (
                        <Table.Tr key={entry.id}>
                          <Table.Td className="kefu-nowrap">
                            <Tooltip label={formatDateTime(entry.at)}>
                              <Text size="sm" className="kefu-mono" style={{ wordBreak: 'normal' }}>
                                {formatTimestamp(entry.at)}
                              </Text>
                            </Tooltip>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm" className="kefu-nowrap">
                              {actorName(entry)}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            <Text size="sm" className="kefu-nowrap">
                              {actionLabel(entry.action)}
                            </Text>
                            <Text size="xs" c="dimmed" className="kefu-mono">
                              {entry.action}
                            </Text>
                          </Table.Td>
                          <Table.Td>
                            {entry.targetId ? (
                              <Group gap={6} wrap="nowrap">
                                {entry.targetType && (
                                  <Text span size="xs" c="dimmed">
                                    {entry.targetType}
                                  </Text>
                                )}
                                <Anchor
                                  component="button"
                                  type="button"
                                  size="sm"
                                  onClick={() => filterByTarget(entry.targetId ?? '')}
                                  title={entry.targetId}
                                  className="kefu-nowrap"
                                >
                                  {target ?? entry.targetId.slice(0, 8)}
                                </Anchor>
                              </Group>
                            ) : (
                              <Text size="sm" c="dimmed">
                                {t('common.none')}
                              </Text>
                            )}
                          </Table.Td>
                          <Table.Td className="kefu-mono">
                            <Text size="xs">{entry.ip ?? t('common.none')}</Text>
                          </Table.Td>
                          <Table.Td>
                            <DataCell data={entry.data} />
                          </Table.Td>
                        </Table.Tr>
                      );
                    })
                  )}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </Paper>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {t('audit.shown', { count: log.data.length })}
            </Text>
            {log.hasNextPage ? (
              <Button
                variant="default"
                size="xs"
                onClick={() => void log.fetchNextPage()}
                loading={log.isFetchingNextPage}
              >
                {t('audit.loadOlder')}
              </Button>
            ) : (
              log.data.length > 0 && (
                <Text size="sm" c="dimmed">
                  {t('audit.end')}
                </Text>
              )
            )}
          </Group>
          {log.isError && <ErrorAlert error={log.error} />}
        </Stack>
      )}
    </Page>
  );
}
