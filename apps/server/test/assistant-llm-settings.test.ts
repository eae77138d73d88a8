import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TMessage, TSendAck } from '@kefu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoKnowledge } from '../src/demo/seed-knowledge.ts';
import { settings } from '../src/settings/schema.ts';
import {
  connect,
  customerSession,
  emitAck,
  expectEventually,
  listen,
  type SetupIds,
  seedSupportDesk,
} from './helpers/realtime.ts';
import { createTestKefu, seedAgent, type TestAgent, type TestKefu } from './helpers/test-kefu.ts';

// An admin points the assistant at an LLM from the console (no KEFU_LLM_* in the environment).
let kefu: TestKefu;
let url: string;
let desk: SetupIds;
let admin: TestAgent;
let supervisor: TestAgent;
let llm: Server;
let llmUrl: string;
const calls: { authorization: string | undefined; model: string }[] = [];

beforeAll(async () => {
  llm = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      calls.push({
        authorization: req.headers.authorization,
        model: (JSON.parse(body) as { model: string }).model,
      });
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          choices: [
            { message: { role: 'assistant', content: 'Maker and taker fees are 0.10% [1].' } },
          ],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => llm.listen(0, '127.0.0.1', () => resolve()));
  llmUrl = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
  kefu = await createTestKefu({ assistant: true });
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  admin = await seedAgent(kefu, 'admin');
  supervisor = await seedAgent(kefu, 'supervisor');
  await seedDemoKnowledge(kefu.deps);
});
afterAll(async () => {
  await kefu.close();
  await new Promise<void>((resolve) => llm.close(() => resolve()));
});

async function call(who: TestAgent, method: string, body?: unknown) {
  const response = await fetch(`${url}/api/v1/assistant/llm`, {
    method,
    headers: { cookie: who.cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    text,
    body: JSON.parse(text) as Record<string, unknown> & { error?: { message: string } },
  };
}

async function ask(text: string): Promise<TMessage> {
  const session = await customerSession(url, desk.siteToken);
  const c = await connect(url, '/customer', { token: session.contactToken });
  try {
    const ack = await emitAck<TSendAck>(c.socket, 'message:send', {
      clientMessageId: `c-${randomUUID()}`,
      text,
    });
    if (!ack.ok) throw new Error(ack.error.message);
    return await expectEventually(() => {
      const reply = c
        .of<TMessage>('message:new')
        .find((m) => m.senderType === 'assistant' && m.seq > ack.message.seq);
      expect(reply).toBeDefined();
      return reply as TMessage;
    }, 10_000);
  } finally {
    c.socket.disconnect();
  }
}

describe('LLM settings in the console', () => {
  it('start from the environment: nothing configured, the assistant answers on its own', async () => {
    const current = await call(admin, 'GET');
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ enabled: false, apiKeySet: false, source: 'environment' });
    const reply = await ask('What are your trading fees?');
    expect(reply.text).not.toContain('Maker and taker fees are 0.10%');
    expect(calls).toHaveLength(0);
  });

  it('once saved, answers are generated with the saved endpoint, model and key; the key is never shown', async () => {
    const saved = await call(admin, 'PUT', {
      enabled: true,
      baseUrl: llmUrl,
      model: 'console-model',
      apiKey: 'console-key-123',
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      enabled: true,
      baseUrl: llmUrl,
      model: 'console-model',
      apiKeySet: true,
      source: 'settings',
    });
    expect(saved.text).not.toContain('console-key-123');
    // Sealed with KEFU_SECRET_KEY in the database.
    const rows = await kefu.deps.db.select().from(settings);
    expect(JSON.stringify(rows)).toContain('apiKeySealed');
    expect(JSON.stringify(rows)).not.toContain('console-key-123');

    const reply = await ask('What are your trading fees?');
    expect(reply.text).toContain('Maker and taker fees are 0.10%');
    expect(calls.at(-1)).toEqual({
      authorization: 'Bearer console-key-123',
      model: 'console-model',
    });

    const audit = await fetch(`${url}/api/v1/audit?action=assistant.llm_changed`, {
      headers: { cookie: admin.cookie },
    });
    const entries = await audit.text();
    expect(entries).toContain('assistant.llm_changed');
    expect(entries).not.toContain('console-key-123');
  });

  it('turned off, the assistant stops calling it and the key is kept', async () => {
    const before = calls.length;
    const off = await call(admin, 'PUT', {
      enabled: false,
      baseUrl: llmUrl,
      model: 'console-model',
    });
    expect(off.body).toMatchObject({ enabled: false, apiKeySet: true });
    const reply = await ask('What are your trading fees?');
    expect(reply.text).not.toContain('Maker and taker fees are 0.10%');
    expect(calls).toHaveLength(before);
    const cleared = await call(admin, 'PUT', {
      enabled: false,
      baseUrl: llmUrl,
      model: 'console-model',
      apiKey: null,
    });
    expect(cleared.body.apiKeySet).toBe(false);
  });

  it('bad input is a 400 with a message; only admins may change or read it', async () => {
    const noUrl = await call(admin, 'PUT', { enabled: true, baseUrl: '', model: 'm' });
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.error?.message).toMatch(/URL/);
    const ftp = await call(admin, 'PUT', { enabled: false, baseUrl: 'ftp://x', model: 'm' });
    expect(ftp.status).toBe(400);
    expect(ftp.body.error?.message).toMatch(/http/);
    const noModel = await call(admin, 'PUT', { enabled: false, baseUrl: '', model: ' ' });
    expect(noModel.status).toBe(400);
    expect((await call(supervisor, 'GET')).status).toBe(403);
    expect(
      (await call(supervisor, 'PUT', { enabled: false, baseUrl: '', model: 'm' })).status,
    ).toBe(403);
  });
});
