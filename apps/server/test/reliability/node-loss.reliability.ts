import { randomUUID } from 'node:crypto';
import type { TMessage, TSendAck } from '@kefu/shared';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { type KefuProcess, runKefu } from '../helpers/kefu-process.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../helpers/test-kefu.ts';
import {
  adminCookie,
  allMessages,
  api,
  eventually,
  freePort,
  sendUntilAcked,
  sleep,
} from './support.ts';

/**
 * Node loss: two `kefu start` nodes on PostgreSQL + Redis, customers and agents connected to
 * both; one node is killed with SIGKILL. Its clients reconnect to the other node (as a load
 * balancer would send them), resync, and miss nothing.
 */

const nodes: KefuProcess[] = [];
const sockets: Socket[] = [];
let dropDatabase: (() => Promise<void>) | undefined;
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const n of nodes) await n.stop('SIGKILL');
  await dropDatabase?.();
});

type Client = {
  name: string;
  socket: Socket;
  seen: Map<string, TMessage>;
  conversations: Set<string>;
  reconnects: number;
};

describe.runIf(TEST_DATABASE_URL && TEST_REDIS_URL)('node loss: one of two nodes dies', () => {
  it('clients reconnect to the other node and miss no message', async () => {
    const name = `kefu_rel_${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const dbUrl = new URL(TEST_DATABASE_URL as string);
    dbUrl.pathname = `/${name}`;
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
    const ports = [await freePort(), await freePort()];
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    const start = (port: number) =>
      runKefu(['start'], {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: dbUrl.toString(),
        REDIS_URL: TEST_REDIS_URL as string,
        KEFU_SECRET_KEY: 'reliability-secret-key-reliability-secret-key',
        KEFU_DEMO: 'true',
        KEFU_DATA_DIR: `/tmp/kefu-reliability-unused-${randomUUID()}`,
        KEFU_RATE_LIMIT_PUBLIC: '100000',
        KEFU_RATE_LIMIT_LOGIN: '100000',
        KEFU_RATE_LIMIT_NEW_CONVERSATIONS: '100000',
      });
    // One after the other: the first migrates and seeds the demo.
    for (const port of ports) {
      const node = start(port);
      nodes.push(node);
      await node.waitFor(/is running/, 120_000);
    }
    const [urlA, urlB] = urls as [string, string];
    await eventually(async () => expect((await fetch(`${urlB}/readyz`)).status).toBe(200), 60_000);
    const cookie = await adminCookie(urlA);
    await api(urlA, 'PUT', '/api/v1/assistant/settings', {
      cookie,
      body: { enabled: false, humanForVipFrom: null },
    });

    const attach = (client: Client, url: string, namespace: 'customer' | 'agent', auth: object) => {
      const socket = io(`${url}/${namespace}`, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        ...auth,
      });
      socket.on('message:new', (m: TMessage, ack?: (v: unknown) => void) => {
        client.seen.set(m.id, m);
        ack?.({ ok: true });
      });
      sockets.push(socket);
      client.socket = socket;
      return new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
    };
    /** After a reconnect: everything since the start of each conversation, deduplicated. */
    const resync = async (client: Client) => {
      for (const conversationId of client.conversations) {
        if (client.name.startsWith('agent'))
          await client.socket.timeout(10_000).emitWithAck('conversation:join', { conversationId });
        const r = (await client.socket
          .timeout(10_000)
          .emitWithAck('conversation:resync', { conversationId, afterSeq: 0 })) as {
          ok: boolean;
          messages: TMessage[];
        };
        expect(r.ok).toBe(true);
        for (const m of r.messages) client.seen.set(m.id, m);
      }
    };
    // When its node dies, a client connects to the other node (what a load balancer does).
    const failover = (client: Client, namespace: 'customer' | 'agent', auth: object) => {
      client.socket.on('disconnect', async () => {
        client.reconnects++;
        await attach(client, urlA, namespace, auth);
        failover(client, namespace, auth);
        await resync(client);
      });
    };

    // Customers and agents on both nodes.
    const customers: (Client & { token: string; acked: string[] })[] = [];
    for (let i = 0; i < 4; i++) {
      const url = i % 2 ? urlB : urlA;
      const s = await api<{ contactToken: string }>(url, 'POST', '/api/v1/widget/session', {
        body: { siteToken: 'demo-exchange-site' },
      });
      const client = {
        name: `customer${i}`,
        socket: undefined as unknown as Socket,
        seen: new Map<string, TMessage>(),
        conversations: new Set<string>(),
        reconnects: 0,
        token: s.body.contactToken,
        acked: [] as string[],
      };
      const auth = { auth: { token: client.token } };
      await attach(client, url, 'customer', auth);
      const first = await sendUntilAcked(
        client.socket,
        { clientMessageId: `first-${randomUUID()}`, text: 'Hello' },
        Date.now() + 30_000,
      );
      client.conversations.add(first.message.conversationId);
      client.acked.push(first.message.id);
      client.seen.set(first.message.id, first.message);
      if (url === urlB) failover(client, 'customer', auth);
      customers.push(client);
    }
    const conversationIds = customers.map((c) => [...c.conversations][0] as string);
    const agents: Client[] = [];
    for (const [i, url] of urls.entries()) {
      const agentCookie = await adminCookie(url);
      const client: Client = {
        name: `agent${i}`,
        socket: undefined as unknown as Socket,
        seen: new Map(),
        conversations: new Set(conversationIds),
        reconnects: 0,
      };
      const auth = { extraHeaders: { cookie: agentCookie } };
      await attach(client, url, 'agent', auth);
      await resync(client);
      if (url === urlB) failover(client, 'agent', auth);
      agents.push(client);
    }

    // Load: customers write, agents answer, while node B is killed.
    let stop = false;
    const deadline = Date.now() + 120_000;
    const writing = [
      ...customers.map(async (c) => {
        const conversationId = [...c.conversations][0];
        for (let i = 0; !stop; i++) {
          const ack = await sendUntilAcked(
            () => c.socket,
            { clientMessageId: `c-${i}-${randomUUID()}`, conversationId, text: `customer ${i}` },
            deadline,
          );
          c.acked.push(ack.message.id);
          c.seen.set(ack.message.id, ack.message);
          await sleep(150);
        }
      }),
      ...agents.map(async (a, index) => {
        for (let i = 0; !stop; i++) {
          const conversationId = conversationIds[i % conversationIds.length];
          const ack = (await sendUntilAcked(
            () => a.socket,
            {
              conversationId,
              clientMessageId: `a${index}-${i}-${randomUUID()}`,
              text: `agent ${index} reply ${i}`,
            },
            deadline,
          )) as TSendAck & { ok: true };
          a.seen.set(ack.message.id, ack.message);
          await sleep(250);
        }
      }),
    ];
    await sleep(2500);
    await nodes[1]?.stop('SIGKILL');
    await sleep(4000);
    stop = true;
    await Promise.all(writing);
    // Those on node B moved to node A.
    expect(customers.filter((c) => c.reconnects > 0).map((c) => c.name)).toEqual([
      'customer1',
      'customer3',
    ]);
    expect(agents[1]?.reconnects).toBeGreaterThan(0);

    // What is stored is what every party has seen: nothing missed, nothing acknowledged lost.
    const stored = new Map<string, TMessage[]>();
    for (const id of conversationIds) {
      stored.set(
        id,
        (await allMessages(urlA, id, cookie)).filter(
          (m) => !m.private && (m.senderType === 'contact' || m.senderType === 'agent'),
        ),
      );
    }
    await eventually(() => {
      for (const c of customers) {
        const mine = stored.get([...c.conversations][0] as string) ?? [];
        for (const id of c.acked) expect(mine.map((m) => m.id)).toContain(id);
        const missed = mine.filter((m) => !c.seen.has(m.id)).map((m) => `${m.seq} ${m.text}`);
        expect(missed, c.name).toEqual([]);
      }
      for (const a of agents) {
        const all = [...stored.values()].flat();
        const missed = all.filter((m) => !a.seen.has(m.id)).map((m) => `${m.seq} ${m.text}`);
        expect(missed, a.name).toEqual([]);
      }
      // A delivery the dead node had claimed is run again by the survivor once its lease
      // (15 s, jobs/queue.ts) runs out.
    }, 120_000);
    // Every acknowledged customer message is stored exactly once.
    for (const c of customers) {
      const mine = stored.get([...c.conversations][0] as string) ?? [];
      const ids = mine.filter((m) => m.senderType === 'contact').map((m) => m.clientMessageId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(mine.filter((m) => m.senderType === 'contact')).toHaveLength(c.acked.length);
    }
    // Node A served throughout.
    expect(nodes[0]?.child.exitCode).toBeNull();
  });
});
