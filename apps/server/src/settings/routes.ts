import { ZSecuritySettings, ZUpdateSecuritySettings } from '@kefu/shared';
import { recordAudit } from '../audit/record-audit.ts';
import type { Deps } from '../deps.ts';
import { actorOf } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import { getSecuritySettings, saveSecuritySettings } from './settings.ts';

export function settingsRoutes(app: App, deps: Deps) {
  app.get(
    '/api/v1/settings/security',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['settings'],
        summary: 'Security settings (admin)',
        response: { 200: ZSecuritySettings, ...errorResponses },
      },
    },
    async () => getSecuritySettings(deps.db),
  );
  app.put(
    '/api/v1/settings/security',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['settings'],
        summary: 'Require 2FA for every agent, and other security settings (admin)',
        body: ZUpdateSecuritySettings,
        response: { 200: ZSecuritySettings, ...errorResponses },
      },
    },
    async (request) => {
      await deps.db.transaction(async (tx) => {
        await saveSecuritySettings(tx, request.body);
        await recordAudit(tx, actorOf(request), {
          action: 'settings.security_changed',
          data: request.body,
        });
      });
      return getSecuritySettings(deps.db);
    },
  );
}
