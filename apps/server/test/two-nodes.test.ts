import { randomUUID } from 'node:crypto';
import type { TMessage, TSendAck } from '@kefu/shared';
import { asc, eq } from 'drizzle-orm';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { messages } from '../src/conversations/schema.ts';
import { openDatabase } from '../src/db/client.ts';
import { EVENT_RELAY_CHANNEL } from '../src/realtime/event-relay.ts';
import {
  connect,
  customerSession,
  emitAck,
  expectEventually,
  listen,
  seedSupportDesk,
} from './helpers/realtime.ts';
import {
  createTestDatabase,
  createTestKefu,
  seedAgent,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  type TestKefu,
} from './helpers/test-kefu.ts';

const nodes: TestKefu[] = [];
afterAll(async () => {
  for (const node of nodes.reverse()) await node.close();
});

/** Two nodes on one database and one Redis, each listening. */
async function twoNodes() {
  const shared = await createTestDatabase();
  const env = { REDIS_URL: TEST_REDIS_URL as string };
  const a = await createTestKefu({ env, database: shared });
  nodes.push(a);
  const second = await openDatabase({ kind: 'postgres', url: shared.url as string, poolSize: 5 });
  const b = await createTestKefu({
    env,
    database: { database: second, drop: () => second.close() },
  });
  nodes.push(b);
  return { a, b, urlA: await listen(a), urlB: await listen(b) };
}

describe.runIf(TEST_DATABASE_URL && TEST_REDIS_URL)(
  'two nodes sharing PostgreSQL and Redis',
  () => {
    it('a customer on node A and an agent on node B talk; ticket numbers from both nodes are unique', async () => {
      const { a, b, urlA, urlB } = await twoNodes();
      const desk = await seedSupportDesk(a);
      const agent = await seedAgent(b, 'agent', { teamIds: [desk.teamEn], languages: ['en'] });
      await fetch(`${urlB}/api/v1/auth/availability`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', cookie: agent.cookie },
        body: JSON.stringify({ availability: 'online' }),
      });

      const agentSocket = await connect(urlB, '/agent', { cookie: agent.cookie });
      const session = await customerSession(urlA, desk.siteToken);
      const customer = await connect(urlA, '/customer', { token: session.contactToken });
      try {
        const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
          clientMessageId: `c-${randomUUID()}`,
          text: 'Hello from node A',
        });
        if (!ack.ok) throw new Error(ack.error.message);
        // Published on node A, received by the agent connected to node B.
        await expectEventually(() =>
          expect(agentSocket.of<TMessage>('message:new').some((m) => m.id === ack.message.id)).toBe(
            true,
          ),
        );

        const reply = await emitAck<TSendAck>(agentSocket.socket, 'message:send', {
          conversationId: ack.message.conversationId,
          clientMessageId: `c-${randomUUID()}`,
          text: 'Hello from node B',
        });
        if (!reply.ok) throw new Error(reply.error.message);
        await expectEventually(() =>
          expect(
            customer.of<TMessage>('message:new').some((m) => m.text === 'Hello from node B'),
          ).toBe(true),
        );

        const sessions = await Promise.all(
          Array.from({ length: 16 }, (_, i) =>
            customerSession(i % 2 ? urlA : urlB, desk.siteToken),
          ),
        );
        const numbers = await Promise.all(
          sessions.map((s, i) =>
            fetch(`${i % 2 ? urlA : urlB}/api/v1/customer/messages`, {
              method: 'POST',
              headers: {
                'content-type': 'application/json',
                authorization: `Bearer ${s.contactToken}`,
              },
              body: JSON.stringify({
                clientMessageId: `c-${randomUUID()}`,
                text: `concurrent ${i}`,
              }),
            })
              .then((r) => r.json() as Promise<{ conversationNumber: number }>)
              .then((r) => r.conversationNumber),
          ),
        );
        expect(new Set(numbers).size).toBe(16);

        // The same customer in two tabs, one on each node, both writing at once into the
        // conversation: each line stored once, numbered without gaps, each tab's lines in order.
        const conversationId = ack.message.conversationId;
        const otherTab = await connect(urlB, '/customer', { token: session.contactToken });
        try {
          const writeFrom = async (tab: typeof customer, name: string) => {
            const sent: TMessage[] = [];
            for (let i = 0; i < 30; i++) {
              const line = await emitAck<TSendAck>(tab.socket, 'message:send', {
                conversationId,
                clientMessageId: `c-${randomUUID()}`,
                text: `${name} ${i}`,
              });
              if (!line.ok) throw new Error(line.error.message);
              sent.push(line.message);
            }
            return sent;
          };
          const [fromA, fromB] = await Promise.all([
            writeFrom(customer, 'tab A'),
            writeFrom(otherTab, 'tab B'),
          ]);
          const stored = await b.deps.db
            .select({ seq: messages.seq, id: messages.id })
            .from(messages)
            .where(eq(messages.conversationId, conversationId))
            .orderBy(asc(messages.seq));
          expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
          for (const sent of [fromA, fromB]) {
            const seqs = sent.map((m) => m.seq);
            expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
            for (const m of sent) expect(stored.find((r) => r.seq === m.seq)?.id).toBe(m.id);
          }
          expect(new Set(stored.map((m) => m.id)).size).toBe(stored.length);
        } finally {
          otherTab.socket.disconnect();
        }
      } finally {
        customer.socket.disconnect();
        agentSocket.socket.disconnect();
      }
    });

    it("a burst of lines on node A reaches node B's sockets in order, relayed in batches; an article published on A is found on B", async () => {
      const { a, b, urlA, urlB } = await twoNodes();
      const desk = await seedSupportDesk(a);
      const agent = await seedAgent(b, 'agent', { teamIds: [desk.teamEn], languages: ['en'] });
      const raw = new Redis(TEST_REDIS_URL as string);
      const relayed: number[] = [];
      raw.on('message', (channel: string, message: string) => {
        if (channel !== EVENT_RELAY_CHANNEL || message.startsWith('not-a-node')) return;
        const events = JSON.parse(message.slice(message.indexOf(' ') + 1)) as {
          type: string;
          message?: { text: string };
        }[];
        const burst = events.filter((e) => e.message?.text.startsWith('burst '));
        if (burst.length > 0) relayed.push(burst.length);
      });
      await raw.subscribe(EVENT_RELAY_CHANNEL);
      // Something that is not a batch of events on the channel is ignored by every node.
      await raw.duplicate().publish(EVENT_RELAY_CHANNEL, 'not-a-node {"type":');

      const session = await customerSession(urlA, desk.siteToken);
      const tabA = await connect(urlA, '/customer', { token: session.contactToken });
      const first = await emitAck<TSendAck>(tabA.socket, 'message:send', {
        clientMessageId: `c-${randomUUID()}`,
        text: 'I need help with a deposit',
      });
      if (!first.ok) throw new Error(first.error.message);
      const conversationId = first.message.conversationId;
      const adminA = await seedAgent(a, 'admin');
      const assigned = await fetch(`${urlA}/api/v1/conversations/${conversationId}/assign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: adminA.cookie },
        body: JSON.stringify({ agentId: agent.id }),
      });
      expect(assigned.status).toBeLessThan(300);
      const agentSocket = await connect(urlB, '/agent', { cookie: agent.cookie });
      const tabB = await connect(urlB, '/customer', { token: session.contactToken });
      try {
        await emitAck(agentSocket.socket, 'conversation:join', { conversationId });
        const lines = Array.from({ length: 40 }, (_, i) => `burst ${i}`);
        const acks = await Promise.all(
          lines.map((text) =>
            emitAck<TSendAck>(tabA.socket, 'message:send', {
              conversationId,
              clientMessageId: `c-${randomUUID()}`,
              text,
            }),
          ),
        );
        for (const ack of acks) if (!ack.ok) throw new Error(ack.error.message);
        const burstOn = (socket: typeof tabB) =>
          socket.of<TMessage>('message:new').filter((m) => m.text.startsWith('burst '));
        await expectEventually(() => {
          expect(burstOn(agentSocket)).toHaveLength(40);
          expect(burstOn(tabB)).toHaveLength(40);
          // The test's own subscriber to the relay gets its copy on a connection of its own.
          expect(relayed.reduce((sum, n) => sum + n, 0)).toBe(40);
        });
        // Both sockets on node B got the lines in the order they were stored.
        for (const received of [burstOn(agentSocket), burstOn(tabB)]) {
          const seqs = received.map((m) => m.seq);
          expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
        }
        // The sending tab has its lines in the acks, not echoed.
        expect(burstOn(tabA)).toHaveLength(0);
        // The lines committed together went to node B together.
        expect(Math.max(...relayed)).toBeGreaterThan(1);

        const supervisor = await seedAgent(a, 'supervisor');
        const created = await fetch(`${urlA}/api/v1/articles`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: supervisor.cookie },
          body: JSON.stringify({
            slug: 'relay-test-network-upgrade',
            locale: 'en',
            title: 'Zephyrnet network upgrade pauses deposits',
            summary: 'Deposits on Zephyrnet resume after the upgrade.',
            body: 'During the Zephyrnet upgrade deposits are paused and credited once it is done.',
            category: 'deposits',
            tags: ['zephyrnet'],
            intents: [],
            status: 'published',
          }),
        });
        expect(created.status).toBe(201);
        await expectEventually(async () => {
          const found = (await (
            await fetch(`${urlB}/api/v1/kb/search?q=zephyrnet&locale=en`)
          ).json()) as { hits: { slug: string }[] };
          expect(found.hits.map((h) => h.slug)).toContain('relay-test-network-upgrade');
        });
      } finally {
        raw.disconnect();
        for (const s of [tabA, tabB, agentSocket]) s.socket.disconnect();
      }
    });

    it('an admin on node A disables an agent whose console is on node B: node B ends it', async () => {
      const { a, urlB } = await twoNodes();
      const admin = await seedAgent(a, 'admin');
      const agent = await seedAgent(a, 'agent');
      const console = await connect(urlB, '/agent', { cookie: agent.cookie });
      const changed = await a.app.inject({
        method: 'PATCH',
        url: `/api/v1/agents/${agent.id}`,
        headers: { cookie: admin.cookie },
        payload: { active: false },
      });
      expect(changed.statusCode, changed.body).toBe(200);
      await expectEventually(() => expect(console.socket.connected).toBe(false));
    });
  },
);
