import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { TMessage, TSendAck } from '@kefu/shared';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { workerIndexFor } from '../src/cluster.ts';
import { runKefu } from './helpers/kefu-process.ts';
import { emitAck, expectEventually } from './helpers/realtime.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './helpers/test-kefu.ts';

/** The processes `kefu start` forked (its workers). */
function children(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A Socket.IO client from a given loopback address. Long-polling only, each request on a new
 * connection: every request of the session must reach the worker that holds it.
 */
async function connectFrom(
  address: string,
  url: string,
  namespace: string,
  options: { token?: string; cookie?: string },
) {
  const socket: Socket = io(`${url}${namespace}`, {
    transports: ['polling'],
    agent: new http.Agent({ keepAlive: false, localAddress: address }) as unknown as string,
    forceNew: true,
    reconnection: false,
    ...(options.token ? { auth: { token: options.token } } : {}),
    ...(options.cookie ? { extraHeaders: { cookie: options.cookie } } : {}),
  });
  const received: TMessage[] = [];
  socket.on('message:new', (m: TMessage, ack?: () => void) => {
    received.push(m);
    ack?.();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, received };
}

describe('workers: which worker serves a client', () => {
  it('always the same for an address, spread over the workers', () => {
    expect(workerIndexFor('127.0.0.1', 2)).toBe(workerIndexFor('127.0.0.1', 2));
    expect(workerIndexFor('127.0.0.1', 1)).toBe(0);
    expect(workerIndexFor(undefined, 4)).toBe(0);
    const spread = new Set(
      Array.from({ length: 64 }, (_, i) => workerIndexFor(`10.0.${i >> 3}.${i}`, 4)),
    );
    expect(spread).toEqual(new Set([0, 1, 2, 3]));
  });
});

describe.runIf(TEST_DATABASE_URL && TEST_REDIS_URL)(
  'kefu start with KEFU_WORKERS=2',
  { timeout: 120_000 },
  () => {
    it('serves from two workers: a customer and an agent on different workers talk; a dead worker is replaced; a stop ends them all', async () => {
      // The two client addresses map to different workers.
      expect(workerIndexFor('127.0.0.1', 2)).not.toBe(workerIndexFor('127.0.0.2', 2));
      const name = `kefu_workers_${randomUUID().replaceAll('-', '')}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`create database ${name}`);
      const databaseUrl = new URL(TEST_DATABASE_URL as string);
      databaseUrl.pathname = `/${name}`;
      const kefu = runKefu(['start'], {
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl.toString(),
        REDIS_URL: TEST_REDIS_URL as string,
        KEFU_SECRET_KEY: 'workers-secret-key-0123456789abcdef0123',
        KEFU_DEMO: 'true',
        KEFU_WORKERS: '2',
        // The new-conversation throttle counts per address in the shared Redis.
        KEFU_RATE_LIMIT_NEW_CONVERSATIONS: '100000',
      });
      const sockets: Socket[] = [];
      try {
        const [, url] = await kefu.waitFor(/Agent console:\s+(http:\/\/\S+?)\/\s*$/m, 90_000);
        const base = url as string;
        const primary = kefu.child.pid as number;
        expect(children(primary)).toHaveLength(2);
        expect(kefu.output().match(/is running/g)).toHaveLength(1);

        const login = await fetch(`${base}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email: 'admin@demo-exchange.example',
            password: 'kefu-demo-admin',
          }),
        });
        expect(login.status).toBe(200);
        const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
        const inboxes = (await (
          await fetch(`${base}/api/v1/inboxes`, { headers: { cookie } })
        ).json()) as { inboxes: { channel: string; publicToken: string | null }[] };
        const site = inboxes.inboxes.find((i) => i.channel === 'widget' && i.publicToken);
        const session = (await (
          await fetch(`${base}/api/v1/widget/session`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ siteToken: site?.publicToken }),
          })
        ).json()) as { contactToken: string };

        const customer = await connectFrom('127.0.0.1', base, '/customer', {
          token: session.contactToken,
        });
        sockets.push(customer.socket);
        const first = await emitAck<TSendAck>(customer.socket, 'message:send', {
          clientMessageId: `c-${randomUUID()}`,
          text: 'My deposit has not arrived after two hours',
        });
        if (!first.ok) throw new Error(first.error.message);
        const conversationId = first.message.conversationId;

        const agent = await connectFrom('127.0.0.2', base, '/agent', { cookie });
        sockets.push(agent.socket);
        await emitAck(agent.socket, 'conversation:join', { conversationId });
        const line = await emitAck<TSendAck>(customer.socket, 'message:send', {
          conversationId,
          clientMessageId: `c-${randomUUID()}`,
          text: 'The transaction id is 0x1234',
        });
        if (!line.ok) throw new Error(line.error.message);
        // From the customer's worker to the agent's, through Redis.
        await expectEventually(() =>
          expect(agent.received.map((m) => m.id)).toContain(line.message.id),
        );
        const reply = await emitAck<TSendAck>(agent.socket, 'message:send', {
          conversationId,
          clientMessageId: `c-${randomUUID()}`,
          text: 'Thanks, we are checking the deposit now.',
        });
        if (!reply.ok) throw new Error(reply.error.message);
        await expectEventually(() =>
          expect(customer.received.map((m) => m.text)).toContain(
            'Thanks, we are checking the deposit now.',
          ),
        );

        // A worker killed outright is started again; the node keeps serving meanwhile.
        const [victim] = children(primary);
        process.kill(victim as number, 'SIGKILL');
        await expectEventually(() => {
          const now = children(primary);
          expect(now).toHaveLength(2);
          expect(now).not.toContain(victim);
        }, 30_000);
        await expectEventually(async () => {
          for (const from of ['127.0.0.1', '127.0.0.2']) {
            const c = await connectFrom(from, base, '/customer', { token: session.contactToken });
            c.socket.disconnect();
          }
        }, 60_000);
        expect((await fetch(`${base}/readyz`)).status).toBe(200);

        for (const s of sockets) s.disconnect();
        const workers = children(primary);
        expect(await kefu.stop()).toBe(0);
        for (const pid of workers) expect(alive(pid)).toBe(false);
      } finally {
        for (const s of sockets) s.disconnect();
        if (kefu.child.exitCode === null) await kefu.stop('SIGKILL');
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    });
  },
);
