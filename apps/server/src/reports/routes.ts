import { ZReport, ZReportExportParams, ZReportQuery } from '@kefu/shared';
import { z } from 'zod';
import type { Deps } from '../deps.ts';
import { type App, errorResponses } from '../http/types.ts';
import { buildReport } from './build-report.ts';
import { reportTable, toCsv } from './report-csv.ts';

export function reportRoutes(app: App, deps: Deps) {
  const tags = ['reports'];
  app.get(
    '/api/v1/reports',
    {
      config: { access: ['supervisor', 'admin'] },
      schema: {
        tags,
        summary:
          'Support figures for a period: volume, response times, SLA, CSAT, assistant, queue, agents',
        description:
          'Counts the conversations created from `from` to `to` (whole days in `tz`), of a team and channel when given.',
        querystring: ZReportQuery,
        response: { 200: ZReport, ...errorResponses },
      },
    },
    async (request) => buildReport(deps, request.query),
  );
  app.get(
    '/api/v1/reports/:report/csv',
    {
      config: { access: ['supervisor', 'admin'] },
      schema: {
        tags,
        summary: 'One report as CSV (UTF-8 with BOM, header row) for a spreadsheet',
        params: ZReportExportParams,
        querystring: ZReportQuery,
        response: { 200: z.string(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const report = await buildReport(deps, request.query);
      const { header, rows } = reportTable(report, request.params.report);
      const name = `kefu-${request.params.report}-${report.range.from}-${report.range.to}.csv`;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(toCsv(header, rows));
    },
  );
}
