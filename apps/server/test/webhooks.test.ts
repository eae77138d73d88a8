import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TSendAck, TWebhookCreated, TWebhookDelivery } from '@kefu/shared';
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../src/conversations/schema.ts';
import { deliverWebhook } from '../src/webhooks/deliver-webhook.ts';
import { enqueueWebhookEvent, WEBHOOK_MAX_ATTEMPTS } from '../src/webhooks/dispatch-event.ts';
import { webhookDeliveries } from '../src/webhooks/schema.ts';
import { signWebhook, verifyWebhookSignature } from '../src/webhooks/signature.ts';
import {
  customerSession,
  expectEventually,
  listen,
  type SetupIds,
  seedSupportDesk,
} from './helpers/realtime.ts';
import {
  createTestKefu,
  errorOf,
  seedAgent,
  type TestAgent,
  type TestKefu,
} from './helpers/test-kefu.ts';

type Received = { path: string; headers: IncomingHttpHeaders; body: string; status: number };
type Envelope = {
  id: string;
  event: string;
  createdAt: string;
  data: {
    conversation: { id: string; number: number; status: string; assigneeId: string | null };
    message?: { id: string; senderType: string; text: string; createdAt: string };
    change?: { from: string | null; to: string | null };
  };
};

/** A webhook receiver on loopback: records every request; told per path to fail first. */
async function startReceiver() {
  const received: Received[] = [];
  const failuresLeft = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const left = failuresLeft.get(path) ?? 0;
      const status = left > 0 ? 500 : 204;
      if (left > 0) failuresLeft.set(path, left - 1);
      received.push({
        path,
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
        status,
      });
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status === 500 ? 'receiver is down' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    at: (path: string) => received.filter((r) => r.path === path),
    failFirst: (path: string, times: number) => failuresLeft.set(path, times),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let kefu: TestKefu;
let url: string;
let desk: SetupIds;
let admin: TestAgent;
let supervisor: TestAgent;
let agent: TestAgent;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

async function api(who: TestAgent | null, method: string, path: string, body?: unknown) {
  const response = await kefu.app.inject({
    method: method as 'POST',
    url: path,
    headers: who ? { cookie: who.cookie } : {},
    ...(body !== undefined ? { payload: body as object } : {}),
  });
  return response;
}

async function createHook(events: string[]) {
  const path = `/hook-${randomUUID().slice(0, 8)}`;
  const response = await api(admin, 'POST', '/api/v1/webhooks', {
    url: `${receiver.base}${path}`,
    events,
  });
  expect(response.statusCode, response.body).toBe(201);
  return { path, hook: response.json() as TWebhookCreated };
}

async function customerSays(token: string, text: string, conversationId?: string) {
  const response = await fetch(`${url}/api/v1/customer/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      clientMessageId: `c-${randomUUID()}`,
      text,
      ...(conversationId ? { conversationId } : {}),
    }),
  });
  expect(response.status).toBe(201);
  const ack = (await response.json()) as TSendAck;
  if (!ack.ok) throw new Error('send failed');
  return ack;
}

function envelopeOf(r: Received): Envelope {
  return JSON.parse(r.body) as Envelope;
}

function expectSigned(r: Received, secret: string) {
  const timestamp = String(r.headers['x-kefu-timestamp']);
  const signature = String(r.headers['x-kefu-signature']);
  expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
  expect(verifyWebhookSignature(secret, timestamp, r.body, signature, { maxAgeSeconds: 300 })).toBe(
    true,
  );
  expect(verifyWebhookSignature(`${secret}x`, timestamp, r.body, signature)).toBe(false);
  expect(verifyWebhookSignature(secret, timestamp, `${r.body} `, signature)).toBe(false);
  expect(r.headers['x-kefu-delivery']).toBe(envelopeOf(r).id);
  expect(r.headers['x-kefu-event']).toBe(envelopeOf(r).event);
  expect(r.headers['content-type']).toBe('application/json');
}

async function deliveriesOf(hookId: string): Promise<TWebhookDelivery[]> {
  const response = await api(admin, 'GET', `/api/v1/webhooks/${hookId}/deliveries`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { deliveries: TWebhookDelivery[] }).deliveries;
}

beforeAll(async () => {
  receiver = await startReceiver();
  kefu = await createTestKefu();
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  admin = await seedAgent(kefu, 'admin');
  supervisor = await seedAgent(kefu, 'supervisor');
  agent = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn] });
});
afterAll(async () => {
  await kefu.close();
  await receiver.close();
});

describe('webhook signatures', () => {
  it('verifies sha256=HMAC(secret, "<timestamp>.<body>") and refuses stale timestamps', () => {
    const body = '{"id":"x","event":"ping"}';
    const header = signWebhook('s3cret', '1700000000', body);
    expect(verifyWebhookSignature('s3cret', '1700000000', body, header)).toBe(true);
    expect(verifyWebhookSignature('s3cret', '1700000001', body, header)).toBe(false);
    expect(verifyWebhookSignature('s3cret', '1700000000', body, undefined)).toBe(false);
    expect(verifyWebhookSignature('s3cret', '1700000000', body, 'sha256=00')).toBe(false);
    const now = new Date(1_700_000_000_000 + 600_000);
    expect(
      verifyWebhookSignature('s3cret', '1700000000', body, header, { maxAgeSeconds: 300, now }),
    ).toBe(false);
  });
});

describe('webhook administration', () => {
  it('is for admins only', async () => {
    const { hook } = await createHook(['message.created']);
    for (const who of [agent, supervisor]) {
      for (const [method, path, body] of [
        ['GET', '/api/v1/webhooks', undefined],
        ['POST', '/api/v1/webhooks', { url: `${receiver.base}/x`, events: ['message.created'] }],
        ['PATCH', `/api/v1/webhooks/${hook.id}`, { active: false }],
        ['DELETE', `/api/v1/webhooks/${hook.id}`, undefined],
        ['GET', `/api/v1/webhooks/${hook.id}/deliveries`, undefined],
        ['POST', `/api/v1/webhooks/${hook.id}/test`, undefined],
      ] as const) {
        const response = await api(who, method, path, body);
        expect(response.statusCode, `${who.role} ${method} ${path}`).toBe(403);
        expect(errorOf(response).code).toBe('auth.forbidden');
      }
    }
    expect((await api(null, 'GET', '/api/v1/webhooks')).statusCode).toBe(401);
    // Nothing changed.
    const list = await api(admin, 'GET', '/api/v1/webhooks');
    expect(
      (list.json() as { webhooks: { id: string; active: boolean }[] }).webhooks.find(
        (w) => w.id === hook.id,
      )?.active,
    ).toBe(true);
  });

  it('refuses bad URLs and events, and unknown ids', async () => {
    for (const body of [
      { url: 'ftp://example.com/hook', events: ['message.created'] },
      { url: 'javascript:alert(1)', events: ['message.created'] },
      { url: 'not a url', events: ['message.created'] },
      { url: 'https://example.com/hook', events: [] },
      { url: 'https://example.com/hook', events: ['message.deleted'] },
      { url: 'https://example.com/hook', events: ['message.created'], secret: 'mine' },
    ]) {
      const response = await api(admin, 'POST', '/api/v1/webhooks', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(response).code).toBe('request.invalid');
    }
    const missing = randomUUID();
    for (const [method, path, body] of [
      ['PATCH', `/api/v1/webhooks/${missing}`, { active: false }],
      ['DELETE', `/api/v1/webhooks/${missing}`, undefined],
      ['GET', `/api/v1/webhooks/${missing}/deliveries`, undefined],
      ['POST', `/api/v1/webhooks/${missing}/test`, undefined],
    ] as const) {
      const response = await api(admin, method, path, body);
      expect(response.statusCode, `${method} ${path}`).toBe(404);
      expect(errorOf(response).code).toBe('webhook.not_found');
    }
  });

  it('shows the secret once, pings signed, updates and deletes', async () => {
    const { path, hook } = await createHook(['conversation.created']);
    expect(hook.secret).toMatch(/^whsec_/);
    const listed = (await api(admin, 'GET', '/api/v1/webhooks')).json() as {
      webhooks: Record<string, unknown>[];
    };
    const entry = listed.webhooks.find((w) => w.id === hook.id);
    expect(entry).toMatchObject({
      url: `${receiver.base}${path}`,
      events: ['conversation.created'],
    });
    expect(JSON.stringify(listed)).not.toContain(hook.secret);

    const ping = await api(admin, 'POST', `/api/v1/webhooks/${hook.id}/test`);
    expect(ping.statusCode, ping.body).toBe(200);
    expect(ping.json()).toMatchObject({
      event: 'ping',
      status: 'delivered',
      attempts: 1,
      responseStatus: 204,
    });
    const [request] = receiver.at(path);
    if (!request) throw new Error('no ping received');
    expectSigned(request, hook.secret);
    expect(envelopeOf(request)).toMatchObject({ event: 'ping', id: ping.json().id });

    receiver.failFirst(path, 1);
    const failed = await api(admin, 'POST', `/api/v1/webhooks/${hook.id}/test`);
    expect(failed.json()).toMatchObject({ status: 'failed', responseStatus: 500 });
    expect(failed.json().error).toContain('HTTP 500');

    const patched = await api(admin, 'PATCH', `/api/v1/webhooks/${hook.id}`, {
      events: ['message.created', 'message.created', 'csat.submitted'],
      active: false,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      events: ['message.created', 'csat.submitted'],
      active: false,
    });
    expect(patched.json().secret).toBeUndefined();

    const log = await deliveriesOf(hook.id);
    expect(log.map((d) => d.status)).toEqual(['failed', 'delivered']);

    // A paused webhook hears nothing.
    const session = await customerSession(url, desk.siteToken);
    const ack = await customerSays(session.contactToken, 'Is anyone there?');
    await kefu.node.worker.drain();
    expect(receiver.at(path).some((r) => r.body.includes(ack.message.id))).toBe(false);

    const deleted = await api(admin, 'DELETE', `/api/v1/webhooks/${hook.id}`);
    expect(deleted.json()).toEqual({ ok: true });
    expect((await api(admin, 'GET', `/api/v1/webhooks/${hook.id}/deliveries`)).statusCode).toBe(
      404,
    );
  });
});

describe('webhook deliveries', () => {
  it('sends a signed message.created with the seed phrase masked, and conversation.created', async () => {
    const { path, hook } = await createHook(['message.created', 'conversation.created']);
    const phrase = generateMnemonic(english, 128);
    const session = await customerSession(url, desk.siteToken);
    const ack = await customerSays(
      session.contactToken,
      `My withdrawal is stuck. My wallet words are ${phrase} please check`,
    );
    expect(ack.message.text).toContain('[REDACTED:seed_phrase]');

    const delivered = await expectEventually(() => {
      const found = receiver
        .at(path)
        .filter((r) => r.headers['x-kefu-event'] === 'message.created')
        .find((r) => envelopeOf(r).data.message?.id === ack.message.id);
      expect(found).toBeDefined();
      return found as Received;
    });
    expectSigned(delivered, hook.secret);
    const body = envelopeOf(delivered);
    const [stored] = await kefu.deps.db
      .select()
      .from(messages)
      .where(eq(messages.id, ack.message.id));
    expect(body.data.message).toEqual({
      id: ack.message.id,
      senderType: 'contact',
      text: stored?.text,
      createdAt: stored?.createdAt.toISOString(),
    });
    expect(body.data.message?.text).toContain('[REDACTED:seed_phrase]');
    expect(delivered.body).not.toContain(phrase);
    expect(delivered.body).not.toContain(phrase.split(' ').slice(0, 3).join(' '));
    expect(body.data.conversation).toMatchObject({
      id: ack.message.conversationId,
      number: ack.conversationNumber,
      status: 'open',
      channel: 'widget',
      contactId: session.contactId,
      teamId: desk.teamEn,
      priority: 'normal',
    });

    const created = await expectEventually(() => {
      const found = receiver
        .at(path)
        .find(
          (r) =>
            r.headers['x-kefu-event'] === 'conversation.created' &&
            envelopeOf(r).data.conversation.id === ack.message.conversationId,
        );
      expect(found).toBeDefined();
      return found as Received;
    });
    expectSigned(created, hook.secret);
    expect(envelopeOf(created).data.message).toBeUndefined();

    // A second message in the same conversation is not a new conversation.
    const second = await customerSays(session.contactToken, 'Hello?', ack.message.conversationId);
    await expectEventually(() =>
      expect(
        receiver.at(path).some((r) => envelopeOf(r).data.message?.id === second.message.id),
      ).toBe(true),
    );
    expect(
      receiver
        .at(path)
        .filter(
          (r) =>
            r.headers['x-kefu-event'] === 'conversation.created' &&
            envelopeOf(r).data.conversation.id === ack.message.conversationId,
        ),
    ).toHaveLength(1);
  });

  it('retries a failing receiver with backoff, then delivers; the log shows the attempts', async () => {
    const { path, hook } = await createHook(['message.created']);
    receiver.failFirst(path, 1);
    const session = await customerSession(url, desk.siteToken);
    const ack = await customerSays(session.contactToken, 'My BTC deposit is not credited');

    const firstTry = await expectEventually(async () => {
      const [d] = await deliveriesOf(hook.id);
      expect(d?.attempts).toBe(1);
      return d as TWebhookDelivery;
    });
    expect(firstTry).toMatchObject({
      event: 'message.created',
      status: 'pending',
      responseStatus: 500,
      deliveredAt: null,
    });
    expect(firstTry.error).toContain('HTTP 500');
    expect(firstTry.error).toContain('receiver is down');

    const done = await expectEventually(async () => {
      const [d] = await deliveriesOf(hook.id);
      expect(d?.status).toBe('delivered');
      return d as TWebhookDelivery;
    }, 10_000);
    expect(done).toMatchObject({ id: firstTry.id, attempts: 2, responseStatus: 204, error: null });
    expect(done.deliveredAt).not.toBeNull();

    const attempts = receiver.at(path);
    expect(attempts.map((r) => r.status)).toEqual([500, 204]);
    // The same delivery both times, each signed with its own timestamp.
    expect(new Set(attempts.map((r) => r.headers['x-kefu-delivery']))).toEqual(new Set([done.id]));
    for (const r of attempts) expectSigned(r, hook.secret);
    expect(envelopeOf(attempts[1] as Received).data.message?.id).toBe(ack.message.id);

    // Newest first.
    const next = await customerSays(session.contactToken, 'Any news?', ack.message.conversationId);
    await expectEventually(async () => {
      const log = await deliveriesOf(hook.id);
      expect(log).toHaveLength(2);
      expect(log[0]?.status).toBe('delivered');
      expect((log[0]?.payload as Envelope | undefined)?.data.message?.id).toBe(next.message.id);
      expect(log[1]?.id).toBe(done.id);
    });
  }, 15_000);

  it('marks a delivery failed after its last attempt; an unreachable receiver is logged', async () => {
    const { path, hook } = await createHook(['message.created']);
    receiver.failFirst(path, 1000);
    const session = await customerSession(url, desk.siteToken);
    await customerSays(session.contactToken, 'Where is my withdrawal?');
    const pending = await expectEventually(async () => {
      const [d] = await deliveriesOf(hook.id);
      expect(d?.attempts).toBe(1);
      return d as TWebhookDelivery;
    });
    expect(pending.status).toBe('pending');
    // What the worker does on the 8th and last attempt.
    await expect(
      deliverWebhook(kefu.deps, {
        payload: { deliveryId: pending.id },
        attempts: WEBHOOK_MAX_ATTEMPTS,
        maxAttempts: WEBHOOK_MAX_ATTEMPTS,
      }),
    ).rejects.toThrow(/HTTP 500/);
    const [failed] = await deliveriesOf(hook.id);
    expect(failed).toMatchObject({
      id: pending.id,
      status: 'failed',
      attempts: 2,
      responseStatus: 500,
    });
    // The pending retry finds it settled and sends nothing more.
    const before = receiver.at(path).length;
    await deliverWebhook(kefu.deps, {
      payload: { deliveryId: pending.id },
      attempts: 2,
      maxAttempts: 8,
    });
    expect(receiver.at(path).length).toBe(before);

    // A port that was free a moment ago: nobody listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const closed = await api(admin, 'POST', '/api/v1/webhooks', {
      url: `http://127.0.0.1:${port}/nobody-listens`,
      events: ['message.created'],
    });
    const ping = await api(admin, 'POST', `/api/v1/webhooks/${closed.json().id}/test`);
    expect(ping.json()).toMatchObject({ status: 'failed', responseStatus: null });
    expect(ping.json().error).toMatch(/ECONNREFUSED/);
    await api(admin, 'DELETE', `/api/v1/webhooks/${closed.json().id}`);
  });

  it('never sends a private note; replies, status changes and assignment are sent', async () => {
    const { path, hook } = await createHook([
      'message.created',
      'conversation.status_changed',
      'conversation.assigned',
    ]);
    const session = await customerSession(url, desk.siteToken);
    const ack = await customerSays(session.contactToken, 'I cannot log in, my 2FA is lost');
    const conversationId = ack.message.conversationId;

    const note = await api(agent, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      text: 'Internal: customer sounds like a phishing victim, check login IPs',
      private: true,
    });
    expect(note.statusCode, note.body).toBe(201);
    const reply = await api(agent, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      text: 'Hello, I will help you reset your 2FA.',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const resolved = await api(agent, 'POST', `/api/v1/conversations/${conversationId}/status`, {
      status: 'resolved',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);

    const events = await expectEventually(() => {
      const mine = receiver
        .at(path)
        .map(envelopeOf)
        .filter((e) => e.data.conversation.id === conversationId);
      expect(mine.map((e) => e.event).sort()).toEqual([
        'conversation.assigned',
        'conversation.status_changed',
        'message.created',
        'message.created',
      ]);
      return mine;
    });
    const replyEvent = events.find((e) => e.data.message?.id === reply.json().id);
    expect(replyEvent?.data.message).toMatchObject({
      senderType: 'agent',
      text: 'Hello, I will help you reset your 2FA.',
    });
    expect(events.find((e) => e.event === 'conversation.status_changed')?.data.change).toEqual({
      from: 'open',
      to: 'resolved',
    });
    expect(events.find((e) => e.event === 'conversation.assigned')?.data.change).toEqual({
      from: null,
      to: agent.id,
    });
    for (const r of receiver.at(path)) expectSigned(r, hook.secret);

    // Even announced by mistake, a note is not sent.
    const noteId = note.json().id as string;
    await enqueueWebhookEvent(kefu.deps.db, {
      event: 'message.created',
      conversationId,
      messageId: noteId,
    });
    // Everything due has run: the note is nowhere, not sent and not logged.
    await kefu.node.worker.drain();
    await kefu.node.worker.drain();
    expect(receiver.received.some((r) => r.body.includes(noteId))).toBe(false);
    expect(receiver.received.some((r) => r.body.includes('phishing victim'))).toBe(false);
    const logged = await kefu.deps.db.select().from(webhookDeliveries);
    expect(logged.some((d) => JSON.stringify(d.payload).includes(noteId))).toBe(false);
    expect(logged.some((d) => JSON.stringify(d.payload).includes('phishing victim'))).toBe(false);
  });
});
