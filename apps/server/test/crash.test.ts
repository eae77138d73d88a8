import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TMessage, TSendAck } from '@kefu/shared';
import { io, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { type KefuProcess, runKefu } from './helpers/kefu-process.ts';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A widget-like client: keeps each message until the server acknowledges it, across reconnects. */
let unansweredAttempts = 0;
/** Sends waiting for their ack right now: a kill is timed to land on some. */
let inFlight = 0;

async function sendUntilAcked(
  socket: Socket,
  payload: Record<string, unknown>,
  deadline: number,
): Promise<TSendAck & { ok: true }> {
  while (Date.now() < deadline) {
    inFlight++;
    try {
      const ack = (await socket.timeout(1500).emitWithAck('message:send', payload)) as TSendAck;
      if (ack.ok) return ack;
    } catch {
      // No ack (server down or restarting): the same clientMessageId is sent again.
      unansweredAttempts++;
    } finally {
      inFlight--;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('message never acknowledged');
}

describe('crash: the server is killed while customers send', () => {
  it('every acknowledged message is stored exactly once and in order; reconnecting clients get what they missed', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kefu-crash-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      KEFU_DATA_DIR: dataDir,
      KEFU_RATE_LIMIT_PUBLIC: '100000',
    };
    let kefu: KefuProcess = runKefu(['start'], env);
    await kefu.waitFor(/demo login: admin/, 90_000);

    const sessions = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const r = await fetch(`${url}/api/v1/widget/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ siteToken: 'demo-exchange-site' }),
        });
        return (await r.json()) as { contactToken: string };
      }),
    );
    const clients = sessions.map((s) => {
      const socket = io(`${url}/customer`, {
        transports: ['websocket'],
        auth: { token: s.contactToken },
        reconnectionDelay: 100,
        reconnectionDelayMax: 500,
      });
      const received: TMessage[] = [];
      socket.on('message:new', (m: TMessage, ack?: () => void) => {
        received.push(m);
        ack?.();
      });
      return {
        socket,
        received,
        acked: [] as { clientMessageId: string; seq: number; conversationId: string }[],
      };
    });

    const perClient = 40;
    const deadline = Date.now() + 90_000;
    const sending = clients.map(async (client) => {
      let conversationId: string | undefined;
      for (let i = 0; i < perClient; i++) {
        const clientMessageId = `m-${i}-${randomUUID()}`;
        const ack = await sendUntilAcked(
          client.socket,
          { clientMessageId, text: `message ${i}`, ...(conversationId ? { conversationId } : {}) },
          deadline,
        );
        conversationId = ack.message.conversationId;
        client.acked.push({ clientMessageId, seq: ack.message.seq, conversationId });
        await new Promise((r) => setTimeout(r, 20));
      }
    });

    // Kill hard twice while they send.
    for (let cycle = 0; cycle < 2; cycle++) {
      await new Promise((r) => setTimeout(r, 700));
      for (let i = 0; i < 500 && inFlight === 0; i++) await new Promise((r) => setTimeout(r, 1));
      await kefu.stop('SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      kefu = runKefu(['start'], env);
      await kefu.waitFor(/demo login: admin/, 90_000);
    }
    await Promise.all(sending);
    // The kills really hit messages in flight.
    expect(unansweredAttempts).toBeGreaterThan(0);

    try {
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@demo-exchange.example', password: 'kefu-demo-admin' }),
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      for (const client of clients) {
        expect(client.acked).toHaveLength(perClient);
        const conversationId = client.acked[0]?.conversationId as string;
        expect(new Set(client.acked.map((a) => a.conversationId))).toEqual(
          new Set([conversationId]),
        );
        const r = await fetch(`${url}/api/v1/conversations/${conversationId}/messages?limit=500`, {
          headers: { cookie },
        });
        const stored = ((await r.json()) as { messages: TMessage[] }).messages.filter(
          (m) => m.senderType === 'contact',
        );
        // Exactly once each, in the order they were sent.
        expect(stored.map((m) => m.clientMessageId)).toEqual(
          client.acked.map((a) => a.clientMessageId),
        );
        expect(stored.map((m) => m.text)).toEqual(client.acked.map((_, i) => `message ${i}`));
      }

      // An agent reply while one customer is away reaches them on resync after reconnecting.
      const target = clients[0];
      if (!target) throw new Error('no client');
      const conversationId = target.acked[0]?.conversationId as string;
      target.socket.disconnect();
      const reply = await fetch(`${url}/api/v1/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ text: 'We found your deposit.' }),
      });
      expect(reply.status).toBe(201);
      target.socket.connect();
      await new Promise<void>((resolve) => target.socket.once('connect', () => resolve()));
      const lastSeq = Math.max(...target.acked.map((a) => a.seq));
      const resync = (await target.socket
        .timeout(5000)
        .emitWithAck('conversation:resync', { conversationId, afterSeq: lastSeq })) as {
        ok: boolean;
        messages: TMessage[];
      };
      expect(resync.ok).toBe(true);
      expect(resync.messages.map((m) => m.text)).toContain('We found your deposit.');
    } finally {
      for (const c of clients) c.socket.disconnect();
      await kefu.stop();
    }
  }, 150_000);
});
