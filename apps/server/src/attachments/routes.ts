import fastifyMultipart from '@fastify/multipart';
import { ZAttachmentRef, ZIdParams } from '@kefu/shared';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { getVisibleConversation } from '../conversations/queries.ts';
import type { Deps } from '../deps.ts';
import { agentOf } from '../http/auth-guard.ts';
import { type App, errorResponses } from '../http/types.ts';
import { AppError } from '../lib/app-error.ts';
import { type CustomerClaims, verifyCustomerToken } from '../realtime/customer-token.ts';
import { getSecuritySettings } from '../settings/settings.ts';
import { openAttachment, type Reader } from './queries.ts';
import { maxUploadBytes, type Uploader, uploadAttachment } from './upload-attachment.ts';

async function customerOf(deps: Deps, request: FastifyRequest): Promise<CustomerClaims> {
  const header = request.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  if (!token) throw new AppError('customer.unauthenticated');
  return verifyCustomerToken(deps.config.secretKey, token, deps.clock.now());
}

/** The one file of a multipart body, streamed (never buffered whole) into storage. */
async function receiveUpload(
  deps: Deps,
  request: FastifyRequest,
  uploader: Uploader,
  conversationId: string | null,
) {
  const notMultipart = new AppError('request.invalid', {
    vars: { fields: 'file: send one file as multipart/form-data' },
  });
  if (!request.isMultipart()) throw notMultipart;
  // RFC 2046: a boundary has 1 to 70 characters (the parser cannot search for a longer one).
  const boundary = /boundary="?([^";]*)/i.exec(request.headers['content-type'] ?? '')?.[1] ?? '';
  if (boundary.length < 1 || boundary.length > 70)
    throw new AppError('request.invalid', {
      vars: { fields: 'content-type: the multipart boundary must have 1 to 70 characters' },
    });
  try {
    const part = await request.file();
    if (!part) throw notMultipart;
    // The parser truncates the file one byte past the limit (see `limits` below), so an
    // oversized file arrives as maxBytes + 1 bytes and uploadAttachment refuses it.
    return await uploadAttachment(deps, {
      uploader,
      conversationId,
      filename: part.filename,
      content: part.file,
    });
  } catch (error) {
    // A cut-off or garbled body (missing boundary, truncated part) is the sender's mistake.
    if (!(error instanceof AppError) && isMalformedMultipart(error))
      throw new AppError('request.invalid', {
        vars: { fields: 'file: the multipart/form-data body is malformed or incomplete' },
      });
    throw error;
  }
}

const MALFORMED_MULTIPART =
  /unexpected end of (multipart|form)|malformed part header|boundary not found|part terminated early|needle cannot have a length|multipart/i;

function isMalformedMultipart(error: unknown): boolean {
  const e = error as { message?: unknown; statusCode?: unknown };
  return typeof e?.message === 'string' && MALFORMED_MULTIPART.test(e.message);
}

/** Quoted ASCII fallback plus the exact UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

export function attachmentRoutes(app: App, deps: Deps) {
  const tags = ['attachments'];
  const publicLimit = { max: deps.config.rateLimitPublic, timeWindow: '1 minute' };
  const maxBytes = maxUploadBytes(deps.config);
  // Multipart parsing only for these routes: everywhere else a multipart body stays a 415.
  void app.register(async (scope: App) => {
    await scope.register(fastifyMultipart, {
      // One byte over the limit is how an oversized file is recognised; the rest is discarded
      // as it arrives, never held in memory.
      limits: { fileSize: maxBytes + 1, files: 1, fields: 10, parts: 11, fieldSize: 1024 },
      throwFileSizeLimit: false,
    });

    scope.post(
      '/api/v1/customer/attachments',
      {
        config: { access: 'public', rateLimit: publicLimit },
        schema: {
          tags: ['customer', ...tags],
          summary: 'Upload a file to send in a message (customer token)',
          description: `multipart/form-data with one file. PNG, JPEG, GIF, WEBP or PDF, recognised by content; at most KEFU_UPLOAD_MAX_MB (${deps.config.uploadMaxMb} MB here). Send its id in attachmentIds of message:send or POST /api/v1/customer/messages.`,
          consumes: ['multipart/form-data'],
          security: [{ customer: [] }],
          response: { 201: ZAttachmentRef, ...errorResponses },
        },
      },
      async (request, reply) => {
        const claims = await customerOf(deps, request);
        const ref = await receiveUpload(
          deps,
          request,
          { type: 'contact', id: claims.contactId },
          null,
        );
        return reply.status(201).send(ref);
      },
    );

    scope.post(
      '/api/v1/conversations/:id/attachments',
      {
        schema: {
          tags,
          summary: 'Upload a file to send in this conversation (agent)',
          description: `multipart/form-data with one file. PNG, JPEG, GIF, WEBP or PDF, recognised by content; at most KEFU_UPLOAD_MAX_MB (${deps.config.uploadMaxMb} MB here). Send its id in attachmentIds of a reply or note in this conversation.`,
          consumes: ['multipart/form-data'],
          params: ZIdParams,
          response: { 201: ZAttachmentRef, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { agent } = agentOf(request);
        const conversation = await getVisibleConversation(deps.db, agent, request.params.id);
        const ref = await receiveUpload(
          deps,
          request,
          { type: 'agent', id: agent.id },
          conversation.id,
        );
        return reply.status(201).send(ref);
      },
    );

    scope.get(
      '/api/v1/attachments/:id',
      {
        // Agents (session cookie) and customers (Bearer token) alike; signed-in agents are not
        // counted against the per-IP customer limit.
        config: {
          access: 'public',
          rateLimit: { ...publicLimit, allowList: (request) => request.auth !== null },
        },
        schema: {
          tags,
          summary: 'Download an attachment',
          description:
            'For agents who may see its conversation, and for the customer who owns the conversation (Authorization: Bearer customer token); before it is sent, only for its uploader. Anyone else gets 404.',
          security: [{ session: [] }, { customer: [] }],
          params: ZIdParams,
          response: {
            200: z.unknown().describe('The file, with the Content-Type sniffed at upload'),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        let reader: Reader;
        if (request.auth) {
          const { agent } = request.auth;
          if (!agent.totpSecret && (await getSecuritySettings(deps.db)).requireTwoFactor)
            throw new AppError('auth.two_factor_enrollment_required');
          reader = { type: 'agent', agent };
        } else if (request.headers.authorization) {
          reader = { type: 'contact', contactId: (await customerOf(deps, request)).contactId };
        } else {
          throw new AppError('auth.unauthenticated');
        }
        const file = await openAttachment(deps, reader, request.params.id);
        return reply
          .header('content-type', file.type)
          .header('content-length', file.size)
          .header('content-disposition', contentDisposition(file.name))
          .header('x-content-type-options', 'nosniff')
          .header('content-security-policy', "default-src 'none'; sandbox")
          .header('cache-control', 'private, no-store')
          .header('etag', `"${file.sha256}"`)
          .send(file.stream);
      },
    );
  });
}
