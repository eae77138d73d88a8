import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TConversation, TMessage } from '@kefu/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { type KefuProcess, runKefu } from '../helpers/kefu-process.ts';
import {
  adminCookie,
  allMessages,
  api,
  CYCLES,
  eventually,
  freePort,
  sendUntilAcked,
  sleep,
  startWebhookReceiver,
} from './support.ts';

/** Each cycle is a kill and a start (seconds here); the checks after them take minutes. */
const CRASH_TEST_TIMEOUT_MS = CYCLES * 60_000 + 900_000;

type Acked = { clientMessageId: string; messageId: string; seq: number; conversationId: string };

const dataDir = mkdtempSync(path.join(tmpdir(), 'kefu-reliability-crash-'));
let kefu: KefuProcess | undefined;
const sockets: Socket[] = [];
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await kefu?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe(`crash: kefu is killed with SIGKILL ${CYCLES} times while customers send`, () => {
  it(
    'every acknowledged message is stored once, in order; webhooks and SLA timers due during the downtime happen once after it',
    async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const env = {
        PORT: String(port),
        HOST: '127.0.0.1',
        KEFU_DATA_DIR: dataDir,
        KEFU_RATE_LIMIT_PUBLIC: '100000',
        KEFU_RATE_LIMIT_LOGIN: '100000',
      };
      const start = async () => {
        kefu = runKefu(['start'], env);
        await kefu.waitFor(/demo login: admin/, 120_000);
      };
      const kill = async () => {
        await kefu?.stop('SIGKILL');
      };
      await start();

      // The receiver fails the first attempt of the "downtime marker" message, so its retry is due
      // while the server is down.
      let markerAttempts = 0;
      const receiver = await startWebhookReceiver((hit) => {
        if (hit.text === 'downtime marker' && markerAttempts++ === 0) return 503;
        return 200;
      });
      const admin = await adminCookie(url);
      expect(
        (
          await api(url, 'PUT', '/api/v1/assistant/settings', {
            cookie: admin,
            body: { enabled: false, humanForVipFrom: null },
          })
        ).status,
      ).toBe(200);
      const hook = await api(url, 'POST', '/api/v1/webhooks', {
        cookie: admin,
        body: { url: receiver.url, events: ['message.created'] },
      });
      expect(hook.status).toBe(201);

      const newCustomer = async () => {
        const session = await api<{ contactToken: string }>(url, 'POST', '/api/v1/widget/session', {
          body: { siteToken: 'demo-exchange-site' },
        });
        expect(session.status).toBe(201);
        const socket = io(`${url}/customer`, {
          transports: ['websocket'],
          auth: { token: session.body.contactToken },
          reconnectionDelay: 100,
          reconnectionDelayMax: 500,
        });
        socket.on('message:new', (_m: TMessage, ack?: () => void) => ack?.());
        sockets.push(socket);
        return socket;
      };

      // Phase 1: customers keep sending while the server is killed and restarted.
      let unanswered = 0;
      let stopSending = false;
      const clients = await Promise.all(
        Array.from({ length: 4 }, async () => ({
          socket: await newCustomer(),
          acked: [] as Acked[],
        })),
      );
      const deadline = Date.now() + CYCLES * 60_000 + 120_000;
      const sending = clients.map(async (client) => {
        let conversationId: string | undefined;
        for (let i = 0; !stopSending || i < 3; i++) {
          const clientMessageId = `m-${i}-${randomUUID()}`;
          const ack = await sendUntilAcked(
            client.socket,
            {
              clientMessageId,
              text: `message ${i}`,
              ...(conversationId ? { conversationId } : {}),
            },
            deadline,
            () => unanswered++,
          );
          conversationId = ack.message.conversationId;
          client.acked.push({
            clientMessageId,
            messageId: ack.message.id,
            seq: ack.message.seq,
            conversationId,
          });
          await sleep(30);
        }
      });
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        await sleep(800 + Math.floor(Math.random() * 1200));
        await kill();
        await sleep(100 + Math.floor(Math.random() * 400));
        await start();
      }
      stopSending = true;
      await Promise.all(sending);
      // The kills really hit messages in flight.
      expect(unanswered).toBeGreaterThan(0);

      const cookie = await adminCookie(url);
      for (const client of clients) {
        const conversationId = client.acked[0]?.conversationId as string;
        expect(new Set(client.acked.map((a) => a.conversationId))).toEqual(
          new Set([conversationId]),
        );
        const stored = (await allMessages(url, conversationId, cookie)).filter(
          (m) => m.senderType === 'contact',
        );
        // Exactly once each, in the order they were sent.
        expect(stored.map((m) => m.clientMessageId)).toEqual(
          client.acked.map((a) => a.clientMessageId),
        );
        expect(stored.map((m) => m.text)).toEqual(client.acked.map((_, i) => `message ${i}`));
        expect(stored.map((m) => m.id)).toEqual(client.acked.map((a) => a.messageId));
      }

      // Every acknowledged message reaches the webhook receiver under exactly one delivery id
      // (a kill between the POST and recording it may repeat that delivery, with the same id).
      const allAcked = clients.flatMap((c) => c.acked);
      await eventually(() => {
        const delivered = new Set(
          receiver.hits.filter((h) => h.answered === 200).map((h) => h.messageId),
        );
        const missing = allAcked.filter((a) => !delivered.has(a.messageId));
        expect(missing).toEqual([]);
      }, 180_000);
      for (const a of allAcked) {
        const ids = new Set(
          receiver.hits.filter((h) => h.messageId === a.messageId).map((h) => h.deliveryId),
        );
        expect(ids.size, a.clientMessageId).toBe(1);
      }
      const repeats = receiver.hits.length - new Set(receiver.hits.map((h) => h.deliveryId)).size;
      expect(repeats).toBeLessThanOrEqual(CYCLES);

      // Phase 2: an SLA timer and a webhook retry fall due while the server is down.
      const policies = await api<{ policies: { id: string }[] }>(
        url,
        'GET',
        '/api/v1/sla-policies',
        {
          cookie,
        },
      );
      for (const p of policies.body.policies)
        await api(url, 'PATCH', `/api/v1/sla-policies/${p.id}`, {
          cookie,
          body: { active: false },
        });
      const policy = await api(url, 'POST', '/api/v1/sla-policies', {
        cookie,
        body: {
          name: 'Reliability: one minute',
          businessHoursOnly: false,
          firstResponseMinutes: 1,
          warnBeforeMinutes: 0,
          breachActions: { raisePriority: true, reassignToTeamId: null, notifySupervisors: false },
        },
      });
      expect(policy.status).toBe(201);
      const customer = await newCustomer();
      const marker = await sendUntilAcked(
        customer,
        { clientMessageId: `marker-${randomUUID()}`, text: 'downtime marker' },
        Date.now() + 30_000,
      );
      const conversationId = marker.message.conversationId;
      // Deadlines are computed by a job right after the message commits.
      const before = await eventually(async () => {
        const r = await api<TConversation>(url, 'GET', `/api/v1/conversations/${conversationId}`, {
          cookie,
        });
        expect(r.body.sla.firstResponseDueAt).toBeTruthy();
        return r.body;
      });
      expect(before.priority).toBe('normal');
      const dueAt = new Date(before.sla.firstResponseDueAt as string).getTime();
      expect(dueAt).toBeGreaterThan(Date.now());
      // The first attempt failed: its retry is scheduled. Kill now, before it or the timer runs.
      await eventually(() => expect(markerAttempts).toBe(1), 30_000);
      await kill();
      await sleep(Math.max(0, dueAt - Date.now()) + 3000);
      expect(markerAttempts).toBe(1);
      const restartedAt = Date.now();
      await start();

      const after = await adminCookie(url);
      const breaches = async () =>
        (await allMessages(url, conversationId, after)).filter(
          (m) => m.senderType === 'system' && m.text === 'sla_breached',
        );
      await eventually(async () => {
        expect(await breaches()).toHaveLength(1);
        expect(
          receiver.hits.filter((h) => h.messageId === marker.message.id && h.answered === 200),
        ).toHaveLength(1);
      }, 120_000);
      // Give a second run every chance to show up, then check each happened exactly once.
      await sleep(3000);
      const breached = await breaches();
      expect(breached).toHaveLength(1);
      expect(new Date(breached[0]?.createdAt as string).getTime()).toBeGreaterThanOrEqual(
        restartedAt - 1000,
      );
      const markerHits = receiver.hits.filter((h) => h.messageId === marker.message.id);
      expect(markerHits.map((h) => h.answered)).toEqual([503, 200]);
      expect(new Set(markerHits.map((h) => h.deliveryId)).size).toBe(1);
      // The breach action ran once: normal became high, not urgent.
      const conversation = await api<TConversation>(
        url,
        'GET',
        `/api/v1/conversations/${conversationId}`,
        { cookie: after },
      );
      expect(conversation.body.priority).toBe('high');
      await receiver.close();
    },
    CRASH_TEST_TIMEOUT_MS,
  );
});
