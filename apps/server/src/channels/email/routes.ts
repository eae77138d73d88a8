import { ZCreateEmailChannel, ZEmailChannel, ZIdParams } from '@kefu/shared';
import { z } from 'zod';
import type { Deps } from '../../deps.ts';
import { actorOf } from '../../http/auth-guard.ts';
import { type App, errorResponses } from '../../http/types.ts';
import { createInbox, getInboxRow } from '../../inboxes/inboxes.ts';
import { AppError } from '../../lib/app-error.ts';
import {
  findEmailInboxByAddress,
  findEmailInboxes,
  sealImapPassword,
  toEmailChannel,
} from './settings.ts';

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
        body: ZCreateEmailChannel,
        response: { 201: ZEmailChannel, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { name, address, smtpInbound, imap, defaultTeamId } = request.body;
      if (await findEmailInboxByAddress(deps.db, address))
        throw new AppError('email.address_taken');
      const { password, ...imapRest } = imap ?? { password: '' };
      const row = await createInbox(deps, actorOf(request), {
        channel: 'email',
        name,
        defaultTeamId: defaultTeamId ?? null,
        settings: {
          address,
          smtpInbound,
          ...(imap
            ? {
                imap: {
                  ...imapRest,
                  passwordSealed: sealImapPassword(deps.config.secretKey, password),
                },
              }
            : {}),
        },
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
}
