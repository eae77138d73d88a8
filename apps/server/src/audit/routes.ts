import { ZAuditList, ZAuditQuery } from '@kefu/shared';
import type { Deps } from '../deps.ts';
import { type App, errorResponses } from '../http/types.ts';
import { findAuditEntries } from './record-audit.ts';

export function auditRoutes(app: App, deps: Deps) {
  app.get(
    '/api/v1/audit',
    {
      config: { access: ['admin', 'supervisor'] },
      schema: {
        tags: ['audit'],
        summary: 'Audit log, newest first (admin, supervisor)',
        querystring: ZAuditQuery,
        response: { 200: ZAuditList, ...errorResponses },
      },
    },
    async (request) => ({ entries: await findAuditEntries(deps, request.query) }),
  );
}
