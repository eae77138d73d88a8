import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TApiAccepted, TApiChannelCreated, TApiContact, TMessage } from '@kefu/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages, outbox } from '../src/conversations/schema.ts';
import { verifyWebhookSignature } from '../src/webhooks/signature.ts';
import { expectEventually, seedSupportDesk } from './helpers/realtime.ts';
import {
  createTestKefu,
  errorOf,
  seedAgent,
  type TestAgent,
  type TestKefu,
} from './helpers/test-kefu.ts';

type Received = { path: string; headers: IncomingHttpHeaders; body: string };

/** The app's webhook receiver on loopback; fails the first N requests when told to. */
async function startReceiver() {
  const received: Received[] = [];
  let failures = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '/',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      const status = failures > 0 ? 503 : 204;
      if (failures > 0) failures--;
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    failNext: (n: number) => {
      failures = n;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let kefu: TestKefu;
let admin: TestAgent;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let channel: TApiChannelCreated;
let other: TApiChannelCreated;

async function call(token: string | null, method: 'GET' | 'POST', url: string, body?: object) {
  return kefu.app.inject({
    method,
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(body ? { payload: body } : {}),
  });
}

async function createChannel(path: string): Promise<TApiChannelCreated> {
  const response = await kefu.app.inject({
    method: 'POST',
    url: '/api/v1/channels/api',
    headers: { cookie: admin.cookie },
    payload: { name: `App ${randomUUID().slice(0, 6)}`, webhookUrl: `${receiver.base}${path}` },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as TApiChannelCreated;
}

beforeAll(async () => {
  kefu = await createTestKefu();
  await seedSupportDesk(kefu);
  admin = await seedAgent(kefu, 'admin', { languages: ['en', 'zh-CN'] });
  receiver = await startReceiver();
  channel = await createChannel('/app-hook');
  other = await createChannel('/other-hook');
});

afterAll(async () => {
  await kefu?.close();
  await receiver?.close();
});

describe('API channel', () => {
  it('only admins create API inboxes; the token is stored hashed', async () => {
    const agent = await seedAgent(kefu, 'agent');
    const refused = await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/channels/api',
      headers: { cookie: agent.cookie },
      payload: { name: 'Nope', webhookUrl: `${receiver.base}/x` },
    });
    expect(refused.statusCode).toBe(403);
    expect(channel.inboxToken).toMatch(/^kefu_api_/);
    expect(channel.webhookSecret).toMatch(/^whsec_/);
    const inboxes = await kefu.app.inject({
      method: 'GET',
      url: '/api/v1/inboxes',
      headers: { cookie: admin.cookie },
    });
    const stored = JSON.stringify(inboxes.json());
    expect(stored).not.toContain(channel.inboxToken);
    expect(stored).not.toContain(channel.webhookSecret);
    const list = await kefu.app.inject({
      url: '/api/v1/channels/api',
      headers: { cookie: admin.cookie },
    });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(channel.inboxToken);
    expect(list.body).not.toContain(channel.webhookSecret);
    expect(
      (list.json() as { channels: { inboxId: string; webhookUrl: string }[] }).channels,
    ).toContainEqual(
      expect.objectContaining({ inboxId: channel.inboxId, webhookUrl: channel.webhookUrl }),
    );
  });

  it('creates a contact idempotently, a conversation, and stores a retried message once', async () => {
    const identifier = `uid-${randomUUID().slice(0, 8)}`;
    const first = await call(channel.inboxToken, 'POST', '/api/v1/channels/api/contacts', {
      identifier,
      name: 'Wang Fang',
      locale: 'zh-CN',
    });
    expect(first.statusCode, first.body).toBe(200);
    const again = await call(channel.inboxToken, 'POST', '/api/v1/channels/api/contacts', {
      identifier,
    });
    expect((again.json() as TApiContact).id).toBe((first.json() as TApiContact).id);
    expect((first.json() as TApiContact).identifier).toBe(identifier);

    const started = await call(channel.inboxToken, 'POST', '/api/v1/channels/api/conversations', {
      contactIdentifier: identifier,
      text: 'My USDT deposit has not arrived',
      idempotencyKey: 'm-1',
    });
    expect(started.statusCode, started.body).toBe(201);
    const { conversation } = started.json() as TApiAccepted;

    const send = () =>
      call(
        channel.inboxToken,
        'POST',
        `/api/v1/channels/api/conversations/${conversation.id}/messages`,
        {
          text: 'The tx hash is 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060',
          idempotencyKey: 'm-2',
        },
      );
    const sent = await send();
    expect(sent.statusCode, sent.body).toBe(201);
    const retried = await send();
    expect(retried.statusCode).toBe(200);
    expect((retried.json() as TApiAccepted).message.id).toBe(
      (sent.json() as TApiAccepted).message.id,
    );

    const stored = await kefu.deps.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversation.id), eq(messages.senderType, 'contact')));
    expect(stored).toHaveLength(2);

    const list = await call(
      channel.inboxToken,
      'GET',
      `/api/v1/channels/api/conversations/${conversation.id}/messages`,
    );
    expect(list.statusCode).toBe(200);
    expect((list.json() as { messages: TMessage[] }).messages.map((m) => m.text)).toHaveLength(2);
  });

  it('delivers an agent reply to the webhook URL, signed, retrying a failing receiver', async () => {
    const started = await call(channel.inboxToken, 'POST', '/api/v1/channels/api/conversations', {
      contactIdentifier: `uid-${randomUUID().slice(0, 8)}`,
      text: 'How do I reset my 2FA?',
      idempotencyKey: `k-${randomUUID()}`,
    });
    const { conversation } = started.json() as TApiAccepted;
    receiver.failNext(1);
    const reply = await kefu.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation.id}/messages`,
      headers: { cookie: admin.cookie },
      payload: { text: 'Go to Security → 2FA → Reset.', private: false },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const messageId =
      (reply.json() as { message?: TMessage; id?: string }).message?.id ??
      (reply.json() as { id: string }).id;
    // The first POST fails (503); the outbox job retries it after its backoff.
    const delivered = await expectEventually(() => {
      const ok = receiver.received.filter(
        (r) => r.path === '/app-hook' && r.body.includes('Security → 2FA → Reset'),
      );
      expect(ok.length).toBeGreaterThanOrEqual(2);
      return ok;
    }, 15_000);
    const last = delivered.at(-1);
    if (!last) throw new Error('nothing received');
    const timestamp = String(last.headers['x-kefu-timestamp']);
    expect(
      verifyWebhookSignature(
        channel.webhookSecret,
        timestamp,
        last.body,
        String(last.headers['x-kefu-signature']),
      ),
    ).toBe(true);
    expect(
      verifyWebhookSignature(
        other.webhookSecret,
        timestamp,
        last.body,
        String(last.headers['x-kefu-signature']),
      ),
    ).toBe(false);
    const body = JSON.parse(last.body) as {
      event: string;
      data: { conversation: { id: string }; message: { id: string; senderType: string } };
    };
    expect(body.event).toBe('message.created');
    expect(body.data.conversation.id).toBe(conversation.id);
    expect(body.data.message.senderType).toBe('agent');
    if (messageId) expect(body.data.message.id).toBe(messageId);
    await expectEventually(async () => {
      const [row] = await kefu.deps.db
        .select()
        .from(outbox)
        .where(eq(outbox.conversationId, conversation.id));
      expect(row?.status).toBe('delivered');
      expect(row?.attempts).toBe(2);
    });
  }, 30_000);

  it('refuses a wrong token (401) and hides other inboxes’ conversations (404)', async () => {
    const started = await call(channel.inboxToken, 'POST', '/api/v1/channels/api/conversations', {
      contactIdentifier: `uid-${randomUUID().slice(0, 8)}`,
      text: 'Hello',
      idempotencyKey: `k-${randomUUID()}`,
    });
    const { conversation } = started.json() as TApiAccepted;
    const path = `/api/v1/channels/api/conversations/${conversation.id}/messages`;

    for (const token of [null, 'kefu_api_wrong', 'nonsense']) {
      const response = await call(token, 'GET', path);
      expect(response.statusCode).toBe(401);
      expect(errorOf(response).code).toBe('channel.token_invalid');
    }
    const wrongPost = await call('kefu_api_wrong', 'POST', path, {
      text: 'x',
      idempotencyKey: 'y',
    });
    expect(wrongPost.statusCode).toBe(401);

    const read = await call(other.inboxToken, 'GET', path);
    expect(read.statusCode).toBe(404);
    const write = await call(other.inboxToken, 'POST', path, { text: 'hi', idempotencyKey: 'z' });
    expect(write.statusCode).toBe(404);
    const missing = await call(
      channel.inboxToken,
      'GET',
      `/api/v1/channels/api/conversations/${randomUUID()}/messages`,
    );
    expect(missing.statusCode).toBe(404);
  });
});
