import type { TReport, TReportName } from '@kefu/shared';

type Cell = string | number | null;

/** One CSV field: quoted when it holds a comma, quote or line break; formula-like text defused. */
function field(value: Cell): string {
  if (value === null) return '';
  let text = String(value);
  // A cell starting with = + - @ would run as a formula in a spreadsheet.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A CSV file a spreadsheet opens as is: a header row, CRLF line ends, and a UTF-8 byte-order
 * mark so Excel shows Chinese names correctly.
 */
export function toCsv(header: string[], rows: Cell[][]): string {
  const lines = [header, ...rows].map((row) => row.map(field).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The rows of one report, as its CSV export has them. */
export function reportTable(
  report: TReport,
  name: TReportName,
): { header: string[]; rows: Cell[][] } {
  switch (name) {
    case 'volume':
      return {
        header: ['dimension', 'value', 'conversations'],
        rows: [
          ...report.volume.byDay.map((r): Cell[] => ['day', r.day, r.count]),
          ...report.volume.byChannel.map((r): Cell[] => ['channel', r.channel, r.count]),
          ...report.volume.byIntent.map((r): Cell[] => ['intent', r.intent ?? '', r.count]),
          ...report.volume.byHour.map((r): Cell[] => ['hour', r.hour, r.count]),
        ],
      };
    case 'response-times':
      return {
        header: ['measure', 'conversations', 'median_seconds', 'p90_seconds'],
        rows: [
          ['first_response', ...durationCells(report.responseTimes.firstResponse)],
          ['resolution', ...durationCells(report.responseTimes.resolution)],
        ],
      };
    case 'sla':
      return {
        header: ['target', 'met', 'breached', 'compliance'],
        rows: report.sla.map((r) => [
          r.target,
          r.met,
          r.breached,
          r.met + r.breached > 0 ? round(r.met / (r.met + r.breached)) : null,
        ]),
      };
    case 'csat':
      return {
        header: ['kind', 'key', 'ratings', 'average'],
        rows: [
          ...report.csat.distribution.map((r): Cell[] => ['score', r.score, r.count, null]),
          ...report.csat.trend.map((r): Cell[] => ['day', r.day, r.count, r.average]),
          ['total', '', report.csat.count, report.csat.average],
        ],
      };
    case 'assistant':
      return {
        header: ['measure', 'value'],
        rows: [
          ['handled', report.assistant.handled],
          ['resolved_without_human', report.assistant.resolved],
          ['resolution_rate', report.assistant.rate],
          ['handoffs', report.assistant.handoffs],
          ...report.assistant.handoffReasons.map((r): Cell[] => [`handoff:${r.reason}`, r.count]),
        ],
      };
    case 'queue':
      return {
        header: ['conversations', 'median_wait_seconds', 'p90_wait_seconds'],
        rows: [durationCells(report.queue)],
      };
    case 'agents':
      return {
        header: [
          'agent',
          'handled',
          'first_response_median_seconds',
          'resolution_median_seconds',
          'csat_average',
          'csat_ratings',
          'quality_score',
          'quality_reviews',
        ],
        rows: report.agents.map((a) => [
          a.name,
          a.handled,
          a.firstResponseMedianSeconds,
          a.resolutionMedianSeconds,
          a.csatAverage,
          a.csatCount,
          a.qualityScore,
          a.reviews,
        ]),
      };
  }
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

function durationCells(d: TReport['queue']): Cell[] {
  return [d.count, d.medianSeconds, d.p90Seconds];
}
