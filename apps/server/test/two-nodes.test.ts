import { randomUUID } from 'node:crypto';
import type { TMessage, TSendAck } from '@kefu/shared';
import { asc, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { messages } from '../src/conversations/schema.ts';
import { openDatabase } from '../src/db/client.ts';
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

describe.runIf(TEST_DATABASE_URL && TEST_REDIS_URL)(
  'two nodes sharing PostgreSQL and Redis',
  () => {
    it('a customer on node A and an agent on node B talk; ticket numbers from both nodes are unique', async () => {
      const shared = await createTestDatabase();
      const env = { REDIS_URL: TEST_REDIS_URL as string };
      const a = await createTestKefu({ env, database: shared });
      nodes.push(a);
      const second = await openDatabase({
        kind: 'postgres',
        url: shared.url as string,
        poolSize: 5,
      });
      const b = await createTestKefu({
        env,
        database: { database: second, drop: () => second.close() },
      });
      nodes.push(b);
      const urlA = await listen(a);
      const urlB = await listen(b);
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
  },
);
