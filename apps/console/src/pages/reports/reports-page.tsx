import '@mantine/charts/styles.css';
import '@mantine/dates/styles.css';
import 'dayjs/locale/zh-cn';
import type { TReport, TReportName } from '@kefu/shared';
import { BarChart, DonutChart, LineChart } from '@mantine/charts';
import {
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import { IconDownload } from '@tabler/icons-react';
import dayjs from 'dayjs';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { type ReportFilter, reportCsvUrl, useReport } from '../../api/reports.ts';
import { useTeams } from '../../api/teams.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { Page } from '../../components/page.tsx';
import { currentLocale } from '../../i18n.ts';

const PRESETS = ['7', '30', '90'] as const;
// The console imports no values from the shared schemas (that would bundle zod).
const CHANNELS = ['widget', 'email', 'telegram', 'api'] as const;
const COLORS = ['blue.6', 'teal.6', 'violet.6', 'orange.6', 'pink.6', 'cyan.6', 'lime.7', 'gray.6'];

function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** The filter lives in the address, so a report can be shared and reloaded. */
function readFilter(params: URLSearchParams): ReportFilter & { preset: string } {
  const preset = params.get('preset') ?? '30';
  const today = dayjs().format('YYYY-MM-DD');
  const days = Number(preset);
  const isDay = (v: string | null): v is string => Boolean(v && /^\d{4}-\d{2}-\d{2}$/.test(v));
  const from = params.get('from');
  const to = params.get('to');
  const custom = preset === 'custom' && isDay(from) && isDay(to);
  const filter: ReportFilter & { preset: string } = {
    preset: custom ? 'custom' : PRESETS.includes(preset as '7') ? preset : '30',
    from: custom
      ? from
      : dayjs(today)
          .subtract((PRESETS.includes(preset as '7') ? days : 30) - 1, 'day')
          .format('YYYY-MM-DD'),
    to: custom ? to : today,
    tz: browserTimeZone(),
  };
  const teamId = params.get('teamId');
  const channel = params.get('channel');
  if (teamId) filter.teamId = teamId;
  if (channel) filter.channel = channel;
  return filter;
}

export function useDuration() {
  const { t } = useTranslation();
  return (seconds: number | null | undefined): string => {
    if (seconds === null || seconds === undefined) return t('common.none');
    const s = Math.round(seconds);
    if (s < 60) return t('reports.duration.seconds', { s });
    const m = Math.round(s / 60);
    if (m < 60) return t('reports.duration.minutes', { m });
    const h = Math.floor(m / 60);
    if (h < 48) return t('reports.duration.hours', { h, m: m % 60 });
    return t('reports.duration.days', { d: Math.floor(h / 24), h: h % 24 });
  };
}

const percent = (value: number | null | undefined) =>
  value === null || value === undefined
    ? '—'
    : new Intl.NumberFormat(currentLocale(), { style: 'percent', maximumFractionDigits: 1 }).format(
        value,
      );

function CsvButton({ name, filter }: { name: TReportName; filter: ReportFilter }) {
  const { t } = useTranslation();
  return (
    <Button
      component="a"
      href={reportCsvUrl(name, filter)}
      download
      size="compact-xs"
      variant="subtle"
      leftSection={<IconDownload size={14} />}
      aria-label={t('reports.csvLabel', { report: t(`reports.reportNames.${name}`) })}
      data-report={name}
    >
      {t('reports.csv')}
    </Button>
  );
}

function Card({
  title,
  csv,
  filter,
  children,
  testId,
}: {
  title: string;
  csv?: TReportName;
  filter: ReportFilter;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Paper withBorder radius="md" p="md" data-testid={testId}>
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Title order={3} fz="md">
          {title}
        </Title>
        {csv && <CsvButton name={csv} filter={filter} />}
      </Group>
      {children}
    </Paper>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Text size="xs" c="dimmed" lineClamp={2} mih={34}>
        {label}
      </Text>
      <Text fw={700} fz="xl" data-stat={label}>
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

function NoData() {
  const { t } = useTranslation();
  return (
    <Text size="sm" c="dimmed" ta="center" py="xl">
      {t('reports.noData')}
    </Text>
  );
}

function ReportBody({ report, filter }: { report: TReport; filter: ReportFilter }) {
  const { t } = useTranslation();
  const duration = useDuration();
  const slaMet = report.sla.reduce((s, r) => s + r.met, 0);
  const slaTotal = report.sla.reduce((s, r) => s + r.met + r.breached, 0);
  const dayLabel = (day: string) =>
    dayjs(day).format(currentLocale() === 'zh-CN' ? 'M/D' : 'MMM D');
  const channelName = (c: string) =>
    (CHANNELS as readonly string[]).includes(c) ? t(`ticket.channel.${c as 'widget'}`) : c;
  const reasonName = (r: string) => {
    const key = `reports.assistant.reason.${r}`;
    const text = t(key as 'reports.title');
    return text === key ? r : text;
  };

  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }} spacing="sm">
        <Stat label={t('reports.stats.conversations')} value={String(report.volume.total)} />
        <Stat
          label={t('reports.stats.firstResponse')}
          value={duration(report.responseTimes.firstResponse.medianSeconds)}
        />
        <Stat
          label={t('reports.stats.resolution')}
          value={duration(report.responseTimes.resolution.medianSeconds)}
        />
        <Stat
          label={t('reports.stats.sla')}
          value={slaTotal > 0 ? percent(slaMet / slaTotal) : '—'}
        />
        <Stat
          label={t('reports.stats.csat')}
          value={report.csat.average === null ? '—' : report.csat.average.toFixed(2)}
          hint={t('reports.stats.csatCount', { count: report.csat.count })}
        />
        <Stat label={t('reports.stats.assistant')} value={percent(report.assistant.rate)} />
        <Stat label={t('reports.stats.queue')} value={duration(report.queue.medianSeconds)} />
      </SimpleGrid>

      <Card title={t('reports.volume.byDay')} csv="volume" filter={filter} testId="chart-volume">
        <BarChart
          h={220}
          data={report.volume.byDay.map((d) => ({ day: dayLabel(d.day), count: d.count }))}
          dataKey="day"
          series={[{ name: 'count', label: t('reports.volume.series'), color: 'blue.6' }]}
          tickLine="y"
          gridAxis="y"
        />
      </Card>

      <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
        <Card title={t('reports.volume.byChannel')} filter={filter} testId="chart-channel">
          {report.volume.byChannel.length === 0 ? (
            <NoData />
          ) : (
            <Group justify="center">
              <DonutChart
                size={160}
                thickness={26}
                withLabelsLine={false}
                withTooltip
                tooltipDataSource="segment"
                data={report.volume.byChannel.map((c, i) => ({
                  name: channelName(c.channel),
                  value: c.count,
                  color: COLORS[i % COLORS.length] ?? 'gray.6',
                }))}
              />
              <Stack gap={4}>
                {report.volume.byChannel.map((c) => (
                  <Text size="sm" key={c.channel}>
                    {channelName(c.channel)}: <b>{c.count}</b>
                  </Text>
                ))}
              </Stack>
            </Group>
          )}
        </Card>
        <Card title={t('reports.volume.byHour')} filter={filter} testId="chart-hour">
          <BarChart
            h={220}
            data={report.volume.byHour}
            dataKey="hour"
            series={[{ name: 'count', label: t('reports.volume.series'), color: 'teal.6' }]}
            tickLine="none"
            gridAxis="y"
          />
        </Card>
        <Card title={t('reports.volume.byIntent')} filter={filter} testId="chart-intent">
          {report.volume.byIntent.length === 0 ? (
            <NoData />
          ) : (
            <BarChart
              h={220}
              orientation="vertical"
              yAxisProps={{ width: 150, interval: 0, fontSize: 11 }}
              data={report.volume.byIntent.slice(0, 8).map((i) => ({
                intent: i.intent ?? t('reports.volume.noIntent'),
                count: i.count,
              }))}
              dataKey="intent"
              series={[{ name: 'count', label: t('reports.volume.series'), color: 'violet.6' }]}
              gridAxis="none"
            />
          )}
        </Card>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Card
          title={t('reports.responseTimes.title')}
          csv="response-times"
          filter={filter}
          testId="chart-times"
        >
          <BarChart
            h={200}
            data={[
              {
                name: t('reports.responseTimes.firstResponse'),
                ...minutes(report.responseTimes.firstResponse),
              },
              {
                name: t('reports.responseTimes.resolution'),
                ...minutes(report.responseTimes.resolution),
              },
            ]}
            dataKey="name"
            valueFormatter={(value) => duration(value * 60)}
            yAxisProps={{ tickFormatter: (value: number) => String(value) }}
            yAxisLabel={t('reports.responseTimes.minutes')}
            series={[
              { name: 'median', label: t('reports.responseTimes.median'), color: 'blue.6' },
              { name: 'p90', label: t('reports.responseTimes.p90'), color: 'orange.6' },
            ]}
            withLegend
            gridAxis="y"
          />
        </Card>
        <Card title={t('reports.sla.title')} csv="sla" filter={filter} testId="chart-sla">
          <BarChart
            h={200}
            type="stacked"
            data={report.sla.map((s) => ({
              target: t(`ticket.sla.${s.target}`),
              met: s.met,
              breached: s.breached,
            }))}
            dataKey="target"
            series={[
              { name: 'met', label: t('reports.sla.met'), color: 'teal.6' },
              { name: 'breached', label: t('reports.sla.breached'), color: 'red.6' },
            ]}
            withLegend
            gridAxis="y"
          />
        </Card>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Card title={t('reports.csat.title')} csv="csat" filter={filter} testId="chart-csat">
          <SimpleGrid cols={2} spacing="sm">
            <div>
              <Text size="xs" c="dimmed" mb={4}>
                {t('reports.csat.distribution')}
              </Text>
              <BarChart
                h={170}
                data={report.csat.distribution.map((d) => ({
                  score: t('reports.csat.score', { score: d.score }),
                  count: d.count,
                }))}
                dataKey="score"
                series={[{ name: 'count', label: t('reports.csat.ratings'), color: 'yellow.6' }]}
                gridAxis="y"
              />
            </div>
            <div>
              <Text size="xs" c="dimmed" mb={4}>
                {t('reports.csat.trend')}
              </Text>
              {report.csat.trend.length === 0 ? (
                <NoData />
              ) : (
                <LineChart
                  h={170}
                  data={report.csat.trend.map((d) => ({
                    day: dayLabel(d.day),
                    average: d.average,
                  }))}
                  dataKey="day"
                  yAxisProps={{ domain: [1, 5] }}
                  series={[
                    { name: 'average', label: t('reports.csat.average'), color: 'yellow.7' },
                  ]}
                  curveType="monotone"
                  gridAxis="y"
                />
              )}
            </div>
          </SimpleGrid>
        </Card>
        <Card
          title={t('reports.assistant.title')}
          csv="assistant"
          filter={filter}
          testId="chart-assistant"
        >
          <Stack gap="xs">
            <Group justify="space-between">
              <Text size="sm">{t('reports.assistant.resolved')}</Text>
              <Text size="sm" fw={600}>
                {report.assistant.resolved} / {report.assistant.handled} (
                {percent(report.assistant.rate)})
              </Text>
            </Group>
            <Progress value={(report.assistant.rate ?? 0) * 100} color="teal" />
            <Group justify="space-between">
              <Text size="sm">{t('reports.assistant.handoffs')}</Text>
              <Text size="sm" fw={600}>
                {report.assistant.handoffs}
              </Text>
            </Group>
            <Text size="xs" c="dimmed">
              {t('reports.assistant.reasons')}
            </Text>
            {report.assistant.handoffReasons.length === 0 ? (
              <NoData />
            ) : (
              <BarChart
                h={150}
                orientation="vertical"
                yAxisProps={{ width: 170, interval: 0, fontSize: 11 }}
                data={report.assistant.handoffReasons.map((r) => ({
                  reason: reasonName(r.reason),
                  count: r.count,
                }))}
                dataKey="reason"
                series={[
                  { name: 'count', label: t('reports.assistant.handoffs'), color: 'orange.6' },
                ]}
                gridAxis="none"
              />
            )}
          </Stack>
        </Card>
      </SimpleGrid>

      <Card title={t('reports.queue.title')} csv="queue" filter={filter} testId="queue">
        <Text size="sm">
          {t('reports.queue.body', {
            median: duration(report.queue.medianSeconds),
            p90: duration(report.queue.p90Seconds),
            count: report.queue.count,
          })}
        </Text>
      </Card>

      <Card title={t('reports.agents.title')} csv="agents" filter={filter} testId="agents">
        {report.agents.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('reports.agents.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table className="kefu-table" aria-label={t('reports.agents.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('reports.agents.agent')}</Table.Th>
                  <Table.Th ta="right">{t('reports.agents.handled')}</Table.Th>
                  <Table.Th ta="right">{t('reports.agents.firstResponse')}</Table.Th>
                  <Table.Th ta="right">{t('reports.agents.resolution')}</Table.Th>
                  <Table.Th ta="right">{t('reports.agents.csat')}</Table.Th>
                  <Table.Th ta="right">{t('reports.agents.quality')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.agents.map((a) => (
                  <Table.Tr key={a.agentId}>
                    <Table.Td>
                      <Anchor component={Link} to={`/quality?agentId=${a.agentId}`} size="sm">
                        {a.name}
                      </Anchor>
                    </Table.Td>
                    <Table.Td ta="right">{a.handled}</Table.Td>
                    <Table.Td ta="right">{duration(a.firstResponseMedianSeconds)}</Table.Td>
                    <Table.Td ta="right">{duration(a.resolutionMedianSeconds)}</Table.Td>
                    <Table.Td ta="right">
                      {a.csatAverage === null
                        ? '—'
                        : `${a.csatAverage.toFixed(2)} (${a.csatCount})`}
                    </Table.Td>
                    <Table.Td ta="right">
                      {a.qualityScore === null
                        ? '—'
                        : `${a.qualityScore.toFixed(2)} · ${t('reports.agents.reviews', { count: a.reviews })}`}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </Stack>
  );
}

function minutes(d: TReport['queue']) {
  const m = (s: number | null) => (s === null ? 0 : Math.round(s / 6) / 10);
  return { median: m(d.medianSeconds), p90: m(d.p90Seconds) };
}

export function ReportsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filter = readFilter(params);
  const report = useReport(filter);
  const teams = useTeams();

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };

  return (
    <DatesProvider settings={{ locale: currentLocale() === 'zh-CN' ? 'zh-cn' : 'en' }}>
      <Page title={t('reports.title')} description={t('reports.intro')}>
        <Paper withBorder p="sm" radius="md">
          <Group
            align="flex-end"
            gap="sm"
            wrap="wrap"
            role="group"
            aria-label={t('reports.filters')}
          >
            <div>
              <Text size="xs" fw={500} mb={4}>
                {t('reports.period')}
              </Text>
              <SegmentedControl
                size="xs"
                value={filter.preset}
                onChange={(preset) =>
                  preset === 'custom'
                    ? update({ preset, from: filter.from, to: filter.to })
                    : update({ preset, from: null, to: null })
                }
                data={[
                  ...PRESETS.map((p) => ({ value: p, label: t(`reports.presets.${p}`) })),
                  { value: 'custom', label: t('reports.presets.custom') },
                ]}
              />
            </div>
            <DatePickerInput
              type="range"
              size="xs"
              label={t('reports.range')}
              placeholder={t('reports.rangePlaceholder')}
              value={[filter.from, filter.to]}
              maxDate={dayjs().format('YYYY-MM-DD')}
              valueFormat="YYYY-MM-DD"
              onChange={([from, to]) => {
                if (from && to) update({ preset: 'custom', from, to });
              }}
              w={220}
              data-testid="report-range"
            />
            <Select
              size="xs"
              label={t('reports.team')}
              placeholder={t('reports.allTeams')}
              data={(teams.data ?? []).map((team) => ({ value: team.id, label: team.name }))}
              value={filter.teamId ?? null}
              onChange={(teamId) => update({ teamId })}
              clearable
              w={180}
            />
            <Select
              size="xs"
              label={t('reports.channel')}
              placeholder={t('reports.allChannels')}
              data={CHANNELS.map((c) => ({ value: c, label: t(`ticket.channel.${c}`) }))}
              value={filter.channel ?? null}
              onChange={(channel) => update({ channel })}
              clearable
              w={150}
            />
            {report.isFetching && <Loader size="xs" aria-label={t('common.loading')} />}
            <Text size="xs" c="dimmed" ml="auto">
              {t('reports.timeZone', { tz: filter.tz })}
            </Text>
          </Group>
        </Paper>
        {report.data ? (
          <ReportBody report={report.data} filter={filter} />
        ) : report.isPending ? (
          <Loader size="sm" aria-label={t('common.loading')} />
        ) : (
          <ErrorAlert error={report.error} />
        )}
      </Page>
    </DatesProvider>
  );
}
