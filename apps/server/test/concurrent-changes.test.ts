import { randomUUID } from 'node:crypto';
import type { TSendAck } from '@kefu/shared';
import { generateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { and, eq, inArray, lte, or } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, messages } from '../src/conversations/schema.ts';
import { jobs } from '../src/jobs/schema.ts';
import {
  connect,
  customerSession,
  emitAck,
  expectEventually,
  listen,
  type SetupIds,
  seedSupportDesk,
} from './helpers/realtime.ts';
import {
  createTestDatabase,
  createTestKefu,
  seedAgent,
  TEST_DATABASE_URL,
  type TestKefu,
} from './helpers/test-kefu.ts';

/**
 * Two changes of the same conversation at the same moment (a customer's line, an agent's
 * reply, routing, a merge). Only a database with more than one connection lets them overlap:
 * PostgreSQL.
 */
describe.runIf(TEST_DATABASE_URL)('concurrent changes of one conversation', () => {
  let kefu: TestKefu;
  let url: string;
  let desk: SetupIds;
  let databaseUrl: string;

  beforeAll(async () => {
    const database = await createTestDatabase();
    databaseUrl = database.url as string;
    kefu = await createTestKefu({ database });
    url = await listen(kefu);
    desk = await seedSupportDesk(kefu);
  });
  afterAll(() => kefu?.close());

  /** Nothing of Kefu's own is under way: the only wait for a lock below is the one under test. */
  async function jobsSettled() {
    await expectEventually(async () => {
      const busy = await kefu.deps.db
        .select({ id: jobs.id })
        .from(jobs)
        .where(
          or(
            eq(jobs.status, 'running'),
            and(eq(jobs.status, 'pending'), lte(jobs.runAt, new Date())),
          ),
        );
      expect(busy).toEqual([]);
    });
  }

  it('a line written while an agent resolves the conversation reopens it', async () => {
    const session = await customerSession(url, desk.siteToken);
    const customer = await connect(url, '/customer', { token: session.contactToken });
    const agent = new pg.Client({ connectionString: databaseUrl });
    await agent.connect();
    try {
      const first = await emitAck<TSendAck>(customer.socket, 'message:send', {
        clientMessageId: `c-${randomUUID()}`,
        text: 'My BTC deposit has not arrived after 6 confirmations',
      });
      if (!first.ok) throw new Error(first.error.message);
      const conversationId = first.message.conversationId;
      await jobsSettled();

      // The agent's resolve is under way (not committed) when the customer's next line comes:
      // one with a seed phrase in it, which the guard masks (the path of lines that are not
      // plain replies).
      await agent.query('begin');
      await agent.query(
        "update conversations set status = 'resolved', resolved_at = now() where id = $1",
        [conversationId],
      );
      const second = emitAck<TSendAck>(customer.socket, 'message:send', {
        conversationId,
        clientMessageId: `c-${randomUUID()}`,
        text: `Still nothing. My wallet words are ${generateMnemonic(wordlist)}`,
      });
      // The line waits for the agent's change before it reads the conversation.
      await expectEventually(async () => {
        const waiting = await agent.query(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        expect(waiting.rows[0].n).toBeGreaterThan(0);
      });
      await agent.query('commit');

      const ack = await second;
      if (!ack.ok) throw new Error(ack.error.message);
      expect(ack.message.conversationId).toBe(conversationId);
      expect(ack.message.redactions.length).toBeGreaterThan(0);
      const [after] = await kefu.deps.db
        .select({ status: conversations.status, resolvedAt: conversations.resolvedAt })
        .from(conversations)
        .where(eq(conversations.id, conversationId));
      // The customer wrote after the resolve: the conversation is open again, for an agent.
      expect(after).toEqual({ status: 'open', resolvedAt: null });
      const stored = await kefu.deps.db
        .select({ id: messages.id })
        .from(messages)
        .where(
          and(eq(messages.conversationId, conversationId), eq(messages.senderType, 'contact')),
        );
      expect(stored.map((m) => m.id).sort()).toEqual([first.message.id, ack.message.id].sort());
    } finally {
      await agent.query('rollback').catch(() => undefined);
      await agent.end();
      customer.socket.disconnect();
    }
  });

  it('an agent who answers while routing gives the conversation to another keeps out of it', async () => {
    const session = await customerSession(url, desk.siteToken);
    const customer = await connect(url, '/customer', { token: session.contactToken });
    const routing = new pg.Client({ connectionString: databaseUrl });
    await routing.connect();
    const first = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn] });
    const other = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn] });
    try {
      const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
        clientMessageId: `c-${randomUUID()}`,
        text: 'My withdrawal to Binance is stuck',
      });
      if (!ack.ok) throw new Error(ack.error.message);
      const conversationId = ack.message.conversationId;
      await jobsSettled();

      // Routing is giving the conversation to the first agent (not committed yet) when the
      // other agent, who saw it unassigned, answers.
      await routing.query('begin');
      await routing.query(
        "update conversations set assignee_id = $2, assigned_at = now(), handler = 'human' where id = $1",
        [conversationId, first.id],
      );
      const answer = fetch(`${url}/api/v1/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: other.cookie },
        body: JSON.stringify({ clientMessageId: `a-${randomUUID()}`, text: 'Looking into it.' }),
      });
      await expectEventually(async () => {
        const waiting = await routing.query(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        expect(waiting.rows[0].n).toBeGreaterThan(0);
      });
      await routing.query('commit');
      expect((await answer).status).toBe(201);

      // The answer is stored; the conversation stays with the agent routing gave it to.
      const [after] = await kefu.deps.db
        .select({ assigneeId: conversations.assigneeId })
        .from(conversations)
        .where(eq(conversations.id, conversationId));
      expect(after?.assigneeId).toBe(first.id);
    } finally {
      await routing.query('rollback').catch(() => undefined);
      await routing.end();
      customer.socket.disconnect();
    }
  });

  it('two agents merging two conversations into each other at once: one merge, no deadlock', async () => {
    const session = await customerSession(url, desk.siteToken);
    const customer = await connect(url, '/customer', { token: session.contactToken });
    const holder = new pg.Client({ connectionString: databaseUrl });
    await holder.connect();
    const admin = await seedAgent(kefu, 'admin');
    try {
      const ids: string[] = [];
      for (const text of ['Deposit missing', 'Deposit still missing, new ticket']) {
        const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
          clientMessageId: `c-${randomUUID()}`,
          text,
        });
        if (!ack.ok) throw new Error(ack.error.message);
        ids.push(ack.message.conversationId);
      }
      const [a, b] = ids as [string, string];
      await jobsSettled();
      // Both conversations held for a moment, so that the two merges start together.
      await holder.query('begin');
      await holder.query('select id from conversations where id = any($1) for update', [ids]);
      const merge = (source: string, into: string) =>
        kefu.app.inject({
          method: 'POST',
          url: `/api/v1/conversations/${source}/merge`,
          headers: { cookie: admin.cookie },
          payload: { intoId: into },
        });
      const both = [merge(a, b), merge(b, a)];
      await expectEventually(async () => {
        const waiting = await holder.query(
          "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'",
        );
        expect(waiting.rows[0].n).toBe(2);
      });
      await holder.query('commit');
      const answers = await Promise.all(both);
      expect(answers.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      const refused = answers.find((r) => r.statusCode !== 200);
      expect(refused?.json().error.code).toBe('conversation.merge_invalid');
      const rows = await kefu.deps.db
        .select({ id: conversations.id, mergedIntoId: conversations.mergedIntoId })
        .from(conversations)
        .where(inArray(conversations.id, ids));
      expect(rows.filter((r) => r.mergedIntoId !== null)).toHaveLength(1);
    } finally {
      await holder.query('rollback').catch(() => undefined);
      await holder.end();
      customer.socket.disconnect();
    }
  });
});
