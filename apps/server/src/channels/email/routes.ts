import { ZCreateEmailChannel, ZEmailChannel, ZIdParams, ZUpdateEmailChannel } from '@kefu/shared';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth-guard.ts';
import { type App, errorResponses } from '../../http/types.ts';
import { createInbox, getInboxRow } from '../../inboxes/inboxes.ts';
import { AppError } from '../../lib/app-error.ts';
import { newEmailSettings, updateEmailChannel } from './configure-email-channel.ts';
import { findEmailInboxByAddress, findEmailInboxes, toEmailChannel } from './settings.ts';

/** Admin API of the email channel: a support address, received by SMTP and/or IMAP. */
export function emailChannelRoutes(app: App, deps: Deps) {
  const tags = ['channels'];
  app.post(
    '/api/v1/channels/email',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: 'Add an email channel (admin)',
        description:
          'Passwords and the DKIM private key are stored encrypted and never returned; the answer shows the DKIM DNS record to publish.',
        body: ZCreateEmailChannel,
        response: { 201: ZEmailChannel, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { name, address, defaultTeamId } = request.body;
      if (await findEmailInboxByAddress(deps.db, address))
        throw new AppError('email.address_taken');
      const row = await createInbox(deps, actorOf(request), {
        channel: 'email',
        name,
        defaultTeamId: defaultTeamId ?? null,
        settings: newEmailSettings(deps.config, request.body),
      });
      return reply.status(201).send(toEmailChannel(row));
    },
  );
  app.get(
    '/api/v1/channels/email',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: 'Email channels (admin)',
        response: { 200: z.object({ channels: z.array(ZEmailChannel) }), ...errorResponses },
      },
    },
    async () => ({ channels: (await findEmailInboxes(deps.db)).map(toEmailChannel) }),
  );
  app.get(
    '/api/v1/channels/email/:id',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: 'One email channel (admin)',
        params: ZIdParams,
        response: { 200: ZEmailChannel, ...errorResponses },
      },
    },
    async (request) => {
      const row = await getInboxRow(deps.db, request.params.id);
      if (row.channel !== 'email') throw new AppError('inbox.not_found');
      return toEmailChannel(row);
    },
  );
  app.patch(
    '/api/v1/channels/email/:id',
    {
      config: { access: ['admin'] },
      schema: {
        tags,
        summary: 'Change an email channel (admin)',
        description:
          'Only the fields given change; null removes IMAP, outbound SMTP or DKIM. A password or key left out keeps the stored one.',
        params: ZIdParams,
        body: ZUpdateEmailChannel,
        response: { 200: ZEmailChannel, ...errorResponses },
      },
    },
    async (request) =>
      toEmailChannel(
        await updateEmailChannel(deps, actorOf(request), request.params.id, request.body),
      ),
  );
}
