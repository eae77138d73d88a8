import { randomUUID } from 'node:crypto';
import type { TMessage, TSendAck } from '@kefu/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { type KefuProcess, runKefu } from '../helpers/kefu-process.ts';
import {
  adminCookie,
  allMessages,
  api,
  canRunThrowawayPostgres,
  eventually,
  freePort,
  sleep,
  startThrowawayPostgres,
  startWebhookReceiver,
  type ThrowawayPostgres,
} from './support.ts';

type ErrorBody = { error: { code: string; message: string; requestId?: string } };

let postgres: ThrowawayPostgres | undefined;
let kefu: KefuProcess | undefined;
const sockets: Socket[] = [];
afterAll(async () => {
  // A Kefu that died on the way is the finding: show why.
  if (kefu && kefu.child.exitCode !== null) console.error(kefu.output().slice(-4000));
  for (const s of sockets) s.disconnect();
  await kefu?.stop('SIGKILL');
  postgres?.destroy();
});

describe.runIf(canRunThrowawayPostgres())('database loss: PostgreSQL restarts under load', () => {
  it('answers 503 in the error format while it is down, loses nothing acknowledged, and resumes without a restart', async () => {
    // Our own throwaway cluster: the machine's shared PostgreSQL is never touched.
    postgres = await startThrowawayPostgres();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    kefu = runKefu(['start'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: postgres.url,
      DATABASE_POOL_SIZE: '5',
      KEFU_SECRET_KEY: 'reliability-secret-key-reliability-secret-key',
      KEFU_DEMO: 'true',
      KEFU_DATA_DIR: `/tmp/kefu-reliability-unused-${randomUUID()}`,
      KEFU_RATE_LIMIT_PUBLIC: '100000',
      KEFU_RATE_LIMIT_LOGIN: '100000',
    });
    await kefu.waitFor(/is running/, 120_000);
    await eventually(async () => expect((await fetch(`${url}/readyz`)).status).toBe(200), 60_000);
    const pid = kefu.child.pid;

    const receiver = await startWebhookReceiver();
    const admin = await adminCookie(url);
    await api(url, 'PUT', '/api/v1/assistant/settings', {
      cookie: admin,
      body: { enabled: false, humanForVipFrom: null },
    });
    expect(
      (
        await api(url, 'POST', '/api/v1/webhooks', {
          cookie: admin,
          body: { url: receiver.url, events: ['message.created'] },
        })
      ).status,
    ).toBe(201);

    // Customers over HTTP and over the socket, each retrying until acknowledged.
    const customers = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const s = await api<{ contactToken: string }>(url, 'POST', '/api/v1/widget/session', {
          body: { siteToken: 'demo-exchange-site' },
        });
        return { token: s.body.contactToken, acked: [] as { id: string; cmid: string }[] };
      }),
    );
    const unavailable: { status: number; body: ErrorBody }[] = [];
    const socketErrors: string[] = [];
    let stop = false;
    const load = customers.map(async (customer, index) => {
      const viaSocket = index % 2 === 1;
      let socket: Socket | undefined;
      if (viaSocket) {
        socket = io(`${url}/customer`, {
          transports: ['websocket'],
          auth: { token: customer.token },
          reconnectionDelay: 100,
        });
        sockets.push(socket);
      }
      let conversationId: string | undefined;
      for (let i = 0; !stop || i < 3; i++) {
        const cmid = `db-${i}-${randomUUID()}`;
        const payload = { clientMessageId: cmid, text: `message ${i}`, conversationId };
        for (;;) {
          if (socket) {
            const ack = (await socket
              .timeout(10_000)
              .emitWithAck('message:send', payload)
              .catch(() => null)) as TSendAck | null;
            if (ack?.ok) {
              conversationId = ack.message.conversationId;
              customer.acked.push({ id: ack.message.id, cmid });
              break;
            }
            if (ack && !ack.ok) socketErrors.push(ack.error.code);
          } else {
            const r = await api<{ message: TMessage } & ErrorBody>(
              url,
              'POST',
              '/api/v1/customer/messages',
              { token: customer.token, body: payload },
            );
            if (r.status === 201 || r.status === 200) {
              conversationId = r.body.message.conversationId;
              customer.acked.push({ id: r.body.message.id, cmid });
              break;
            }
            unavailable.push(r);
          }
          await sleep(200);
        }
        await sleep(50);
      }
    });

    await sleep(2000);
    postgres.stop();
    const down = { readyz: 0, api: null as null | { status: number; body: ErrorBody } };
    await eventually(async () => {
      down.readyz = (await fetch(`${url}/readyz`)).status;
      down.api = await api<ErrorBody>(url, 'GET', '/api/v1/conversations', { cookie: admin });
      expect(down.readyz).toBe(503);
      expect(down.api.status).toBe(503);
    }, 30_000);
    await sleep(3000);
    postgres.start();
    await eventually(async () => expect((await fetch(`${url}/readyz`)).status).toBe(200), 60_000);
    await sleep(1500);
    stop = true;
    await Promise.all(load);

    // The same process, never restarted.
    expect(kefu.child.exitCode).toBeNull();
    expect(kefu.child.pid).toBe(pid);
    // While down: a clear 503 in the error format, with a message a person understands.
    expect(down.api?.body.error.code).toBe('service.unavailable');
    expect(down.api?.body.error.message).toMatch(/database|temporarily|unavailable/i);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const r of unavailable) {
      expect(r.status, JSON.stringify(r.body)).toBe(503);
      expect(r.body.error.code).toBe('service.unavailable');
    }
    expect(socketErrors.length).toBeGreaterThan(0);
    expect(new Set(socketErrors)).toEqual(new Set(['service.unavailable']));

    // Nothing acknowledged is lost or duplicated.
    const cookie = await adminCookie(url);
    const all = customers.flatMap((c) => c.acked);
    for (const customer of customers) {
      const first = all.find((a) => a.id === customer.acked[0]?.id);
      expect(first).toBeTruthy();
    }
    const conversations = new Map<string, string[]>();
    for (const customer of customers) {
      const r = await api<{ conversations: { id: string }[] }>(
        url,
        'GET',
        '/api/v1/customer/conversations',
        { token: customer.token },
      );
      expect(r.status).toBe(200);
      expect(r.body.conversations).toHaveLength(1);
      const id = r.body.conversations[0]?.id as string;
      const stored = (await allMessages(url, id, cookie)).filter((m) => m.senderType === 'contact');
      expect(stored.map((m) => m.clientMessageId)).toEqual(customer.acked.map((a) => a.cmid));
      conversations.set(
        id,
        stored.map((m) => m.id),
      );
    }

    // The job worker survived: every acknowledged message reaches the webhook receiver.
    await eventually(() => {
      const seen = new Set(receiver.hits.map((h) => h.messageId));
      expect(all.filter((a) => !seen.has(a.id))).toEqual([]);
    }, 120_000);
    await receiver.close();
  });
});
