import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentMe } from '../../api/auth.ts';
import {
  type TBusinessHours,
  type THoliday,
  type TTeamHours,
  useBusinessHours,
  useSaveBusinessHours,
} from '../../api/config.ts';
import { useTeams } from '../../api/teams.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { notifySuccess } from '../../components/notify.ts';
import { Page } from '../../components/page.tsx';
import { QueryState, ReadOnlyNote } from '../../components/query-state.tsx';

// Monday first, as support rosters are written; `day` is 0 = Sunday as in the API.
const WEEK = [1, 2, 3, 4, 5, 6, 0] as const;
type Day = (typeof WEEK)[number];
type DayRow = { day: Day; enabled: boolean; open: string; close: string };

export function BusinessHoursPage() {
  const { t } = useTranslation();
  const me = useCurrentMe();
  const teams = useTeams();
  const [teamId, setTeamId] = useState<string | null>(null);
  const selected = teamId ?? teams.data?.[0]?.id ?? null;
  const hours = useBusinessHours(selected);
  const canEdit = me.agent.role === 'admin';

  return (
    <Page title={t('config.hours.title')} description={t('config.hours.description')} maw={860}>
      {!canEdit && <ReadOnlyNote>{t('config.hours.readOnly')}</ReadOnlyNote>}
      <QueryState query={teams} empty={t('config.hours.noTeams')} isEmpty={(l) => l.length === 0}>
        {(list) => (
          <Stack gap="md">
            <Select
              label={t('config.hours.team')}
              w={320}
              allowDeselect={false}
              data={list.map((team) => ({ value: team.id, label: team.name }))}
              value={selected}
              onChange={setTeamId}
            />
            {hours.isPending ? null : hours.isError ? (
              <ErrorAlert error={hours.error} />
            ) : (
              <HoursForm
                key={`${hours.data.id}:${hours.dataUpdatedAt}`}
                team={hours.data}
                canEdit={canEdit}
              />
            )}
          </Stack>
        )}
      </QueryState>
    </Page>
  );
}

function initialDays(hours: TBusinessHours): DayRow[] {
  return WEEK.map((day) => {
    const entry = hours?.weekly.find((w) => w.day === day);
    return entry
      ? { day, enabled: true, open: entry.open, close: entry.close }
      : { day, enabled: false, open: '09:00', close: '18:00' };
  });
}

function HoursForm({ team, canEdit }: { team: TTeamHours; canEdit: boolean }) {
  const { t } = useTranslation();
  const save = useSaveBusinessHours();
  const [alwaysOpen, setAlwaysOpen] = useState(team.businessHours === null);
  const [days, setDays] = useState<DayRow[]>(() => initialDays(team.businessHours));
  const [holidays, setHolidays] = useState<THoliday[]>(team.businessHours?.holidays ?? []);
  const [problem, setProblem] = useState<string | null>(null);

  const setDay = (day: Day, change: Partial<DayRow>) =>
    setDays((rows) => rows.map((row) => (row.day === day ? { ...row, ...change } : row)));

  const submit = () => {
    setProblem(null);
    if (!alwaysOpen) {
      const wrong = days.find(
        (row) => row.enabled && row.close !== '24:00' && row.open >= row.close,
      );
      if (wrong) {
        setProblem(
          t('config.hours.validation.order', { day: t(`config.hours.days.${wrong.day}`) }),
        );
        return;
      }
      if (holidays.some((h) => !/^\d{4}-\d{2}-\d{2}$/.test(h.date))) {
        setProblem(t('config.hours.validation.date'));
        return;
      }
    }
    const businessHours: TBusinessHours = alwaysOpen
      ? null
      : {
          weekly: days
            .filter((row) => row.enabled)
            .map(({ day, open, close }) => ({ day, open, close })),
          holidays: holidays.map((h) =>
            h.name?.trim() ? { date: h.date, name: h.name.trim() } : { date: h.date },
          ),
        };
    save.mutate(
      { teamId: team.id, businessHours },
      { onSuccess: (saved) => notifySuccess(t('config.hours.saved', { name: saved.name })) },
    );
  };

  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {t('config.hours.timezone', { timezone: team.timezone })}
        </Text>
        {save.error && <ErrorAlert error={save.error} />}
        {problem && (
          <Alert color="red" variant="light" role="alert">
            <Text size="sm">{problem}</Text>
          </Alert>
        )}
        <Switch
          label={t('config.hours.alwaysOpen')}
          description={t('config.hours.alwaysOpenHint')}
          checked={alwaysOpen}
          disabled={!canEdit}
          onChange={(event) => setAlwaysOpen(event.currentTarget.checked)}
        />
        {!alwaysOpen && (
          <>
            <Title order={3} fz="sm">
              {t('config.hours.weekly')}
            </Title>
            <Table className="kefu-table" aria-label={t('config.hours.weekly')} maw={560}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('config.hours.day')}</Table.Th>
                  <Table.Th>{t('config.hours.open')}</Table.Th>
                  <Table.Th>{t('config.hours.close')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {days.map((row) => {
                  const name = t(`config.hours.days.${row.day}`);
                  return (
                    <Table.Tr key={row.day}>
                      <Table.Td>
                        <Checkbox
                          label={name}
                          checked={row.enabled}
                          disabled={!canEdit}
                          onChange={(event) =>
                            setDay(row.day, { enabled: event.currentTarget.checked })
                          }
                        />
                      </Table.Td>
                      {row.enabled ? (
                        <>
                          <Table.Td>
                            <TextInput
                              type="time"
                              size="xs"
                              w={120}
                              aria-label={`${name} ${t('config.hours.open')}`}
                              value={row.open}
                              disabled={!canEdit}
                              onChange={(event) =>
                                setDay(row.day, { open: event.currentTarget.value })
                              }
                            />
                          </Table.Td>
                          <Table.Td>
                            <TextInput
                              type="time"
                              size="xs"
                              w={120}
                              aria-label={`${name} ${t('config.hours.close')}`}
                              value={row.close}
                              disabled={!canEdit}
                              onChange={(event) =>
                                setDay(row.day, { close: event.currentTarget.value })
                              }
                            />
                          </Table.Td>
                        </>
                      ) : (
                        <Table.Td colSpan={2}>
                          <Text size="sm" c="dimmed">
                            {t('config.hours.closed')}
                          </Text>
                        </Table.Td>
                      )}
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
            <Group justify="space-between" maw={560}>
              <Title order={3} fz="sm">
                {t('config.hours.holidays')}
              </Title>
              {canEdit && (
                <Button
                  size="xs"
                  variant="light"
                  leftSection={<IconPlus size={14} />}
                  onClick={() => setHolidays((list) => [...list, { date: '', name: '' }])}
                >
                  {t('config.hours.addHoliday')}
                </Button>
              )}
            </Group>
            {holidays.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('config.hours.holidaysEmpty')}
              </Text>
            ) : (
              <Stack gap="xs" maw={560}>
                {holidays.map((holiday, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, not reordered
                  <Group key={index} gap="xs" wrap="nowrap">
                    <TextInput
                      type="date"
                      size="xs"
                      w={160}
                      aria-label={t('config.hours.holidayDate')}
                      value={holiday.date}
                      disabled={!canEdit}
                      onChange={(event) => {
                        const date = event.currentTarget.value;
                        setHolidays((list) =>
                          list.map((h, i) => (i === index ? { ...h, date } : h)),
                        );
                      }}
                    />
                    <TextInput
                      size="xs"
                      style={{ flex: 1 }}
                      aria-label={t('config.hours.holidayName')}
                      placeholder={t('config.hours.holidayNamePlaceholder')}
                      maxLength={80}
                      value={holiday.name ?? ''}
                      disabled={!canEdit}
                      onChange={(event) => {
                        const name = event.currentTarget.value;
                        setHolidays((list) =>
                          list.map((h, i) => (i === index ? { ...h, name } : h)),
                        );
                      }}
                    />
                    {canEdit && (
                      <Tooltip label={t('config.hours.removeHoliday', { date: holiday.date })}>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('config.hours.removeHoliday', { date: holiday.date })}
                          onClick={() => setHolidays((list) => list.filter((_, i) => i !== index))}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Group>
                ))}
              </Stack>
            )}
          </>
        )}
        {canEdit && (
          <Group justify="flex-end">
            <Button onClick={submit} loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
