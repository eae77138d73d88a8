import type { TDuration, TReport, TReportQuery } from '@kefu/shared';
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import type { Deps } from '../deps.ts';

/** The report's period as whole days in its time zone. */
export type ReportRange = { from: string; to: string; tz: string };

const DAY_MS = 86_400_000;

/** Today's date (YYYY-MM-DD) in a time zone. */
export function dayIn(date: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** `from`/`to` as given, else the 30 days up to today in the report's time zone. */
export function resolveRange(query: TReportQuery, now: Date): ReportRange {
  const to = query.to ?? (query.from ? addDays(query.from, 29) : dayIn(now, query.tz));
  const from = query.from ?? addDays(to, -29);
  return { from, to, tz: query.tz };
}

export function daysOf(range: ReportRange): string[] {
  const days: string[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) days.push(d);
  return days;
}

type Rows<T> = { rows: T[] };
async function rowsOf<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as Rows<T>).rows;
}

const num = (v: unknown): number => Number(v ?? 0);
const numOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100;

/**
 * The conversations a report counts: created within the range (days in `tz`), not merged away,
 * of the team and channel asked for. Every figure below is about this set, so the figures of
 * one report agree with each other.
 */
function scope(query: TReportQuery, range: ReportRange): SQL {
  const parts: SQL[] = [
    sql`c.merged_into_id is null`,
    sql`c.created_at >= ((${range.from}::date)::timestamp at time zone ${range.tz})`,
    sql`c.created_at < ((${range.to}::date + 1)::timestamp at time zone ${range.tz})`,
  ];
  if (query.teamId) parts.push(sql`c.team_id = ${query.teamId}`);
  if (query.channel) parts.push(sql`c.channel = ${query.channel}`);
  return sql.join(parts, sql` and `);
}

const seconds = (later: SQL, earlier: SQL) =>
  sql`extract(epoch from (${later} - ${earlier}))::float8`;

function duration(r: Record<string, unknown>, prefix: string): TDuration {
  return {
    count: num(r[`${prefix}_n`]),
    medianSeconds: numOrNull(r[`${prefix}_median`]),
    p90Seconds: numOrNull(r[`${prefix}_p90`]),
  };
}

const percentiles = (name: string, value: SQL, filter: SQL) => sql`
  count(*) filter (where ${filter}) as ${sql.raw(`${name}_n`)},
  percentile_cont(0.5) within group (order by ${value}) filter (where ${filter}) as ${sql.raw(`${name}_median`)},
  percentile_cont(0.9) within group (order by ${value}) filter (where ${filter}) as ${sql.raw(`${name}_p90`)}`;

/** A contact message after the conversation was first resolved: the customer came back. */
const reopened = sql`exists (
  select 1 from messages r join messages m on m.conversation_id = r.conversation_id and m.seq > r.seq
  where r.conversation_id = c.id and r.sender_type = 'system' and r.meta->>'event' = 'status_resolved'
    and m.sender_type = 'contact')`;

const breachedTarget = (target: string) => sql`exists (
  select 1 from messages b where b.conversation_id = c.id and b.sender_type = 'system'
    and b.meta->>'event' = 'sla_breached' and b.meta->>'target' = ${target})`;

export async function buildReport(
  deps: Pick<Deps, 'db' | 'clock'>,
  query: TReportQuery,
): Promise<TReport> {
  const db = deps.db;
  const range = resolveRange(query, deps.clock.now());
  const where = scope(query, range);
  const tz = range.tz;

  const byDay = await rowsOf<{ day: string; n: unknown; csat_n: unknown; csat_avg: unknown }>(
    db,
    sql`select to_char(c.created_at at time zone ${tz}, 'YYYY-MM-DD') as day, count(*) as n,
          count(c.csat_score) as csat_n, avg(c.csat_score)::float8 as csat_avg
        from conversations c where ${where} group by 1 order by 1`,
  );
  const byChannel = await rowsOf<{ channel: string; n: unknown }>(
    db,
    sql`select c.channel, count(*) as n from conversations c where ${where}
        group by 1 order by 2 desc, 1`,
  );
  const byIntent = await rowsOf<{ intent: string | null; n: unknown }>(
    db,
    sql`select c.intent, count(*) as n from conversations c where ${where}
        group by 1 order by 2 desc, 1 nulls last`,
  );
  const byHour = await rowsOf<{ hour: unknown; n: unknown }>(
    db,
    sql`select extract(hour from c.created_at at time zone ${tz})::int as hour, count(*) as n
        from conversations c where ${where} group by 1`,
  );

  const firstResponse = seconds(sql`c.first_agent_reply_at`, sql`c.created_at`);
  const resolution = seconds(sql`c.resolved_at`, sql`c.created_at`);
  const wait = seconds(sql`c.assigned_at`, sql`c.queued_at`);
  const [times = {}] = await rowsOf<Record<string, unknown>>(
    db,
    sql`select
          ${percentiles('fr', firstResponse, sql`c.first_agent_reply_at is not null`)},
          ${percentiles('res', resolution, sql`c.status in ('resolved', 'closed') and c.resolved_at is not null`)},
          ${percentiles('q', wait, sql`c.assigned_at is not null and c.queued_at is not null and c.assigned_at >= c.queued_at`)}
        from conversations c where ${where}`,
  );

  const [sla = {}] = await rowsOf<Record<string, unknown>>(
    db,
    sql`select
      count(*) filter (where p.first_response_minutes is not null and ${breachedTarget('firstResponse')}) as fr_breached,
      count(*) filter (where p.first_response_minutes is not null and c.first_agent_reply_at is not null
        and not ${breachedTarget('firstResponse')}) as fr_met,
      count(*) filter (where p.next_response_minutes is not null and ${breachedTarget('nextResponse')}) as nr_breached,
      count(*) filter (where p.next_response_minutes is not null and not ${breachedTarget('nextResponse')}
        and exists (select 1 from messages m where m.conversation_id = c.id and m.sender_type = 'contact'
          and m.created_at > c.first_agent_reply_at)
        and c.last_agent_reply_at >= c.last_customer_message_at) as nr_met,
      count(*) filter (where p.resolution_minutes is not null and ${breachedTarget('resolution')}) as res_breached,
      count(*) filter (where p.resolution_minutes is not null and c.resolved_at is not null
        and not ${breachedTarget('resolution')}) as res_met
    from conversations c join sla_policies p on p.id = c.sla_policy_id where ${where}`,
  );

  const distribution = await rowsOf<{ score: unknown; n: unknown }>(
    db,
    sql`select c.csat_score as score, count(*) as n from conversations c
        where ${where} and c.csat_score is not null group by 1`,
  );
  const [csat = {}] = await rowsOf<Record<string, unknown>>(
    db,
    sql`select count(c.csat_score) as n, avg(c.csat_score)::float8 as avg from conversations c where ${where}`,
  );

  const handedOff = sql`exists (select 1 from audit_events h where h.action = 'conversation.handoff'
    and h.target_id = c.id::text)`;
  const humanReplied = sql`exists (select 1 from messages a where a.conversation_id = c.id
    and a.sender_type = 'agent' and a.private = false)`;
  const [assistant = {}] = await rowsOf<Record<string, unknown>>(
    db,
    sql`select count(*) as handled,
          count(*) filter (where ${handedOff}) as handoffs,
          count(*) filter (where c.status in ('resolved', 'closed') and not ${handedOff}
            and not ${humanReplied} and not ${reopened}) as resolved
        from conversations c
        where ${where} and exists (select 1 from messages s where s.conversation_id = c.id
          and s.sender_type = 'assistant')`,
  );
  const reasons = await rowsOf<{ reason: string; n: unknown }>(
    db,
    sql`select reason, count(distinct h.target_id) as n
        from conversations c
        join audit_events h on h.action = 'conversation.handoff' and h.target_id = c.id::text
        cross join lateral jsonb_array_elements_text(coalesce(h.data->'reasons', '[]'::jsonb)) as reason
        where ${where} group by 1 order by 2 desc, 1`,
  );

  const agentRows = await rowsOf<Record<string, unknown>>(
    db,
    sql`with handled as (
          select c.assignee_id as agent_id, count(*) as handled,
            percentile_cont(0.5) within group (order by ${firstResponse}) filter (where c.first_agent_reply_at is not null) as fr_median,
            percentile_cont(0.5) within group (order by ${resolution}) filter (where c.status in ('resolved', 'closed') and c.resolved_at is not null) as res_median,
            avg(c.csat_score)::float8 as csat_avg, count(c.csat_score) as csat_n
          from conversations c where ${where} and c.assignee_id is not null group by 1
        ), quality as (
          select q.agent_id, count(*) as reviews,
            avg((q.response_speed + q.attitude + q.resolution + q.follow_up + q.accuracy) / 5.0)::float8 as quality
          from quality_reviews q join conversations c on c.id = q.conversation_id
          where ${where} and q.agent_id is not null group by 1
        )
        select g.id as agent_id, g.name, coalesce(h.handled, 0) as handled, h.fr_median, h.res_median,
          h.csat_avg, coalesce(h.csat_n, 0) as csat_n, q.quality, coalesce(q.reviews, 0) as reviews
        from agents g left join handled h on h.agent_id = g.id left join quality q on q.agent_id = g.id
        where h.agent_id is not null or q.agent_id is not null
        order by coalesce(h.handled, 0) desc, g.name`,
  );

  const dayCounts = new Map(byDay.map((r) => [r.day, r]));
  const hourCounts = new Map(byHour.map((r) => [num(r.hour), num(r.n)]));
  const scoreCounts = new Map(distribution.map((r) => [num(r.score), num(r.n)]));
  const handled = num(assistant.handled);
  const resolvedByAssistant = num(assistant.resolved);
  return {
    range,
    volume: {
      total: byDay.reduce((sum, r) => sum + num(r.n), 0),
      byDay: daysOf(range).map((day) => ({ day, count: num(dayCounts.get(day)?.n) })),
      byChannel: byChannel.map((r) => ({ channel: r.channel, count: num(r.n) })),
      byIntent: byIntent.map((r) => ({ intent: r.intent, count: num(r.n) })),
      byHour: Array.from({ length: 24 }, (_, hour) => ({
        hour,
        count: hourCounts.get(hour) ?? 0,
      })),
    },
    responseTimes: { firstResponse: duration(times, 'fr'), resolution: duration(times, 'res') },
    sla: [
      { target: 'firstResponse', met: num(sla.fr_met), breached: num(sla.fr_breached) },
      { target: 'nextResponse', met: num(sla.nr_met), breached: num(sla.nr_breached) },
      { target: 'resolution', met: num(sla.res_met), breached: num(sla.res_breached) },
    ],
    csat: {
      count: num(csat.n),
      average: numOrNull(csat.avg),
      distribution: [1, 2, 3, 4, 5].map((score) => ({
        score,
        count: scoreCounts.get(score) ?? 0,
      })),
      trend: byDay
        .filter((r) => num(r.csat_n) > 0)
        .map((r) => ({
          day: r.day,
          average: numOrNull(r.csat_avg) ?? 0,
          count: num(r.csat_n),
        })),
    },
    assistant: {
      handled,
      resolved: resolvedByAssistant,
      rate: handled > 0 ? Math.round((resolvedByAssistant / handled) * 10_000) / 10_000 : null,
      handoffs: num(assistant.handoffs),
      handoffReasons: reasons.map((r) => ({ reason: r.reason, count: num(r.n) })),
    },
    queue: duration(times, 'q'),
    agents: agentRows.map((r) => ({
      agentId: String(r.agent_id),
      name: String(r.name),
      handled: num(r.handled),
      firstResponseMedianSeconds: numOrNull(r.fr_median),
      resolutionMedianSeconds: numOrNull(r.res_median),
      csatAverage: numOrNull(r.csat_avg),
      csatCount: num(r.csat_n),
      qualityScore: numOrNull(r.quality),
      reviews: num(r.reviews),
    })),
  };
}
