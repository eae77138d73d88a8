import { ZContact, ZConversation, ZIdParams } from '@kefu/shared';
import { z } from 'zod';
import { moveContactConversations } from '../conversations/lifecycle.ts';
import { findContactConversations, toConversation } from '../conversations/queries.ts';
import type { Deps } from '../deps.ts';
import { actorOf } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import {
  findContacts,
  getContactRow,
  mergeContacts,
  toContact,
  updateContact,
} from './contacts.ts';

const ZUpdateContact = z.strictObject({
  name: z.string().trim().max(120).nullable().optional(),
  email: z.email().max(254).nullable().optional(),
  phone: z.string().trim().max(40).nullable().optional(),
  locale: z.enum(['zh-CN', 'en']).nullable().optional(),
  exchangeUid: z.string().trim().min(1).max(100).nullable().optional(),
  vipLevel: z.number().int().min(0).max(20).optional(),
  kycLevel: z.number().int().min(0).max(5).optional(),
  attributes: z
    .record(z.string().max(60), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
    .optional(),
});

export function contactRoutes(app: App, deps: Deps) {
  const tags = ['contacts'];
  app.get(
    '/api/v1/contacts',
    {
      schema: {
        tags,
        summary: 'Search customers by name, email, exchange UID, Telegram id or phone',
        querystring: z.strictObject({
          q: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: { 200: z.object({ contacts: z.array(ZContact) }), ...errorResponses },
      },
    },
    async (request) => ({ contacts: await findContacts(deps, request.query) }),
  );
  app.get(
    '/api/v1/contacts/:id',
    {
      schema: {
        tags,
        summary: 'A customer, with their conversations',
        params: ZIdParams,
        response: {
          200: z.object({ contact: ZContact, conversations: z.array(ZConversation) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const contact = await getContactRow(deps.db, request.params.id);
      const conversations = await findContactConversations(deps.db, contact.id);
      return { contact: toContact(contact), conversations: conversations.map(toConversation) };
    },
  );
  app.patch(
    '/api/v1/contacts/:id',
    {
      schema: {
        tags,
        summary: 'Change a customer',
        params: ZIdParams,
        body: ZUpdateContact,
        response: { 200: ZContact, ...errorResponses },
      },
    },
    async (request) => updateContact(deps, actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/v1/contacts/:id/merge',
    {
      config: { access: ['admin', 'supervisor'] },
      schema: {
        tags,
        summary: 'Merge a duplicate customer into this one (admin, supervisor)',
        params: ZIdParams,
        body: z.strictObject({ duplicateId: z.uuid() }),
        response: { 200: ZContact, ...errorResponses },
      },
    },
    async (request) =>
      mergeContacts(
        deps,
        actorOf(request),
        request.params.id,
        request.body.duplicateId,
        moveContactConversations,
      ),
  );
}
