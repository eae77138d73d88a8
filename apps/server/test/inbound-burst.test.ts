import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from '../src/contacts/schema.ts';
import { conversations, messages } from '../src/conversations/schema.ts';
import { jobs } from '../src/jobs/schema.ts';
import { AppError } from '../src/lib/app-error.ts';
import { acceptInbound, type InboundMessage } from '../src/pipeline/accept-inbound.ts';
import { WEBHOOK_DISPATCH_QUEUE } from '../src/webhooks/dispatch-event.ts';
import { webhooks } from '../src/webhooks/schema.ts';
import { customerSession, listen, type SetupIds, seedSupportDesk } from './helpers/realtime.ts';
import { createTestKefu, seedAgent, type TestKefu } from './helpers/test-kefu.ts';

let kefu: TestKefu;
let desk: SetupIds;
let url: string;

beforeAll(async () => {
  kefu = await createTestKefu({ startJobs: false });
  // No job runs: the jobs a burst enqueues stay as they were queued.
  await kefu.node.worker.stop();
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
});
afterAll(() => kefu.close());

/** A customer with an open conversation. */
async function customerWithConversation() {
  const session = await customerSession(url, desk.siteToken);
  const first = await acceptInbound(kefu.deps, line(session.contactId, undefined, 'hello'));
  return { contactId: session.contactId, conversationId: first.conversation.id };
}

function line(contactId: string, conversationId: string | undefined, text: string, key?: string) {
  const clientMessageId = key ?? `m-${randomUUID()}`;
  return {
    channel: 'widget',
    inboxId: desk.inboxId,
    idempotencyKey: `${contactId}:${clientMessageId}`,
    contactId,
    ...(conversationId ? { conversationId } : {}),
    text,
    clientMessageId,
  } satisfies InboundMessage;
}

async function storedTexts(conversationId: string) {
  const rows = await kefu.deps.db
    .select({ seq: messages.seq, text: messages.text, key: messages.idempotencyKey })
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(asc(messages.seq));
  return rows;
}

describe('messages arriving together', () => {
  it('are all stored once, in arrival order per conversation, with their own results', async () => {
    const a = await customerWithConversation();
    const b = await customerWithConversation();
    const repeated = `m-${randomUUID()}`;
    const burst: InboundMessage[] = [];
    for (let i = 0; i < 20; i++) {
      burst.push(line(a.contactId, a.conversationId, `a-${i}`));
      burst.push(line(b.contactId, b.conversationId, `b-${i}`));
    }
    // The same client message twice in one burst: stored once, the second answer says so.
    burst.push(line(a.contactId, a.conversationId, 'again', repeated));
    burst.push(line(a.contactId, a.conversationId, 'again', repeated));
    const results = await Promise.all(burst.map((m) => acceptInbound(kefu.deps, m)));

    for (const [i, result] of results.entries())
      expect(result.message.text).toBe((burst[i] as InboundMessage).text);
    expect(results.at(-2)?.duplicate).toBe(false);
    expect(results.at(-1)?.duplicate).toBe(true);
    expect(results.at(-1)?.message.id).toBe(results.at(-2)?.message.id);

    const storedA = await storedTexts(a.conversationId);
    expect(storedA.map((r) => r.text)).toEqual([
      'hello',
      ...Array.from({ length: 20 }, (_, i) => `a-${i}`),
      'again',
    ]);
    expect(storedA.map((r) => r.seq)).toEqual(storedA.map((_, i) => i + 1));
    const storedB = await storedTexts(b.conversationId);
    expect(storedB.map((r) => r.text)).toEqual([
      'hello',
      ...Array.from({ length: 20 }, (_, i) => `b-${i}`),
    ]);
    // Each answer names the seq its message was stored with.
    const seqOf = new Map([...storedA, ...storedB].map((r) => [r.key, r.seq]));
    for (const [i, result] of results.entries())
      expect(result.message.seq).toBe(seqOf.get((burst[i] as InboundMessage).idempotencyKey));
  });

  /**
   * A burst of A, B, B, A where B's first line is wrong: only it fails; A's lines and B's other
   * line are stored, in order. Returns why the wrong one failed.
   */
  async function burstWithOneWrong(
    wrong: (
      a: { contactId: string; conversationId: string },
      b: { contactId: string },
    ) => InboundMessage,
  ): Promise<unknown> {
    const a = await customerWithConversation();
    const b = await customerWithConversation();
    const burst = [
      line(a.contactId, a.conversationId, 'first'),
      wrong(a, b),
      line(b.contactId, b.conversationId, 'mine'),
      line(a.contactId, a.conversationId, 'second'),
    ];
    const settled = await Promise.allSettled(burst.map((m) => acceptInbound(kefu.deps, m)));
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect((await storedTexts(a.conversationId)).map((r) => r.text)).toEqual([
      'hello',
      'first',
      'second',
    ]);
    expect((await storedTexts(b.conversationId)).map((r) => r.text)).toEqual(['hello', 'mine']);
    return (settled[1] as PromiseRejectedResult).reason;
  }

  it('fails only the message that is wrong; the others in the burst are stored', async () => {
    // B writing into A's conversation: not theirs.
    const reason = await burstWithOneWrong((a, b) =>
      line(b.contactId, a.conversationId, 'intruder'),
    );
    expect(reason).toBeInstanceOf(AppError);
    expect((reason as AppError).code).toBe('conversation.not_found');
  });

  it('writes the others when the batch statement itself fails', async () => {
    // Not a conversation id at all: the batch's statement fails as a whole.
    await burstWithOneWrong((_a, b) => line(b.contactId, 'not-a-uuid', 'broken'));
  });

  it('answers a retry of a stored message with the stored one, inside a burst', async () => {
    const a = await customerWithConversation();
    const b = await customerWithConversation();
    const first = line(a.contactId, a.conversationId, 'sent before', 'm-before');
    const stored = await acceptInbound(kefu.deps, first);
    const results = await Promise.all([
      acceptInbound(kefu.deps, line(b.contactId, b.conversationId, 'b-1')),
      acceptInbound(kefu.deps, first),
      acceptInbound(kefu.deps, line(a.contactId, a.conversationId, 'after the retry')),
      acceptInbound(kefu.deps, line(b.contactId, b.conversationId, 'b-2')),
    ]);
    expect(results[1]?.duplicate).toBe(true);
    expect(results[1]?.message.id).toBe(stored.message.id);
    expect((await storedTexts(a.conversationId)).map((r) => r.text)).toEqual([
      'hello',
      'sent before',
      'after the retry',
    ]);
    expect((await storedTexts(b.conversationId)).map((r) => r.text)).toEqual([
      'hello',
      'b-1',
      'b-2',
    ]);
  });

  it('asks the new-conversation throttle once per message, even when its batch is retried', async () => {
    const a = await customerWithConversation();
    const b = await customerWithConversation();
    let asked = 0;
    const opening = {
      ...line(b.contactId, undefined, 'a new question'),
      admitNewConversation: async () => {
        asked++;
      },
    };
    const settled = await Promise.allSettled([
      acceptInbound(kefu.deps, opening),
      // Fails the batch, which is then written message by message.
      acceptInbound(kefu.deps, line(b.contactId, a.conversationId, 'intruder')),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
    expect(asked).toBe(1);
  });

  it('keeps order and side effects when plain replies share a burst with masked ones and a reopening', async () => {
    const a = await customerWithConversation();
    const b = await customerWithConversation();
    const c = await customerWithConversation();
    await kefu.deps.db
      .update(conversations)
      .set({ status: 'resolved', resolvedAt: new Date() })
      .where(eq(conversations.id, c.conversationId));
    await kefu.deps.db
      .update(contacts)
      .set({ lastSeenAt: new Date(Date.now() - 3_600_000) })
      .where(eq(contacts.id, b.contactId));
    const [hook] = await kefu.deps.db
      .insert(webhooks)
      .values({
        url: 'http://127.0.0.1:9/hook',
        secret: 'x'.repeat(32),
        events: ['message.created'],
      })
      .returning();
    const seed =
      'abandon ability able about above absent absorb abstract absurd abuse access accident';
    try {
      const burst = [
        line(a.contactId, a.conversationId, 'a-1'),
        line(b.contactId, b.conversationId, 'b-1'),
        line(a.contactId, a.conversationId, `my words: ${seed}`),
        line(c.contactId, c.conversationId, 'c-1'),
        line(b.contactId, b.conversationId, 'b-2'),
        line(a.contactId, a.conversationId, 'a-3'),
        line(c.contactId, c.conversationId, 'c-2'),
      ];
      const results = await Promise.all(burst.map((m) => acceptInbound(kefu.deps, m)));

      const textsA = (await storedTexts(a.conversationId)).map((r) => r.text);
      expect(textsA[0]).toBe('hello');
      expect(textsA[1]).toBe('a-1');
      expect(textsA[2]).not.toContain('abandon');
      // The secret warning right after the masked line, then the next line.
      expect(results[2]?.warningMessage?.seq).toBe(4);
      expect(textsA[4]).toBe('a-3');
      expect((await storedTexts(b.conversationId)).map((r) => r.text)).toEqual([
        'hello',
        'b-1',
        'b-2',
      ]);
      expect((await storedTexts(c.conversationId)).map((r) => r.text)).toEqual([
        'hello',
        'c-1',
        'c-2',
      ]);
      const [reopened] = await kefu.deps.db
        .select({ status: conversations.status, lastSeq: conversations.lastSeq })
        .from(conversations)
        .where(eq(conversations.id, c.conversationId));
      expect(reopened).toEqual({ status: 'open', lastSeq: 3 });
      const [conversationB] = await kefu.deps.db
        .select({ lastSeq: conversations.lastSeq, lastMessageAt: conversations.lastMessageAt })
        .from(conversations)
        .where(eq(conversations.id, b.conversationId));
      expect(conversationB?.lastSeq).toBe(3);
      expect(conversationB?.lastMessageAt?.getTime()).toBe(
        new Date(results[4]?.message.createdAt ?? 0).getTime(),
      );
      // The customer was seen, and each stored message announced itself to the webhook once.
      const [contactB] = await kefu.deps.db
        .select({ lastSeenAt: contacts.lastSeenAt })
        .from(contacts)
        .where(eq(contacts.id, b.contactId));
      expect(Date.now() - (contactB?.lastSeenAt?.getTime() ?? 0)).toBeLessThan(60_000);
      const announced = await kefu.deps.db
        .select({ messageId: sql<string>`${jobs.payload}->>'messageId'` })
        .from(jobs)
        .where(
          and(
            eq(jobs.queue, WEBHOOK_DISPATCH_QUEUE),
            sql`${jobs.payload}->>'event' = 'message.created'`,
          ),
        );
      const ids = announced.map((r) => r.messageId);
      for (const result of results)
        expect(ids.filter((id) => id === result.message.id)).toHaveLength(1);
    } finally {
      if (hook) await kefu.deps.db.delete(webhooks).where(eq(webhooks.id, hook.id));
    }
  });

  it('gives replies written together the jobs and the conversation they get one by one', async () => {
    const agent = await seedAgent(kefu);
    const answered = await customerWithConversation();
    const waiting = await customerWithConversation();
    const withAssistant = await customerWithConversation();
    await kefu.deps.db
      .update(conversations)
      .set({ assigneeId: agent.id, firstAgentReplyAt: new Date(Date.now() - 60_000) })
      .where(eq(conversations.id, answered.conversationId));
    await kefu.deps.db
      .update(conversations)
      .set({ handler: 'assistant' })
      .where(eq(conversations.id, withAssistant.conversationId));
    await kefu.deps.db.delete(jobs);

    const burst = [
      line(answered.contactId, answered.conversationId, 'any news?'),
      line(waiting.contactId, waiting.conversationId, 'hello?'),
      line(withAssistant.contactId, withAssistant.conversationId, 'my deposit'),
      line(answered.contactId, answered.conversationId, 'still waiting'),
      line(withAssistant.contactId, withAssistant.conversationId, 'is late'),
    ];
    const results = await Promise.all(burst.map((m) => acceptInbound(kefu.deps, m)));

    const queued = await kefu.deps.db
      .select({ queue: jobs.queue, payload: jobs.payload, key: jobs.singletonKey })
      .from(jobs)
      .orderBy(asc(jobs.id));
    // The next-response clock runs once an agent answered: one recompute, however many lines.
    expect(queued.filter((j) => j.queue === 'sla.update')).toEqual([
      {
        queue: 'sla.update',
        payload: { conversationId: answered.conversationId },
        key: `sla.update:${answered.conversationId}`,
      },
    ]);
    // Nobody has the waiting customer yet: routing looks again (one run for any number of lines).
    expect(queued.filter((j) => j.queue === 'routing.assign')).toEqual([
      { queue: 'routing.assign', payload: {}, key: 'routing.assign' },
    ]);
    // The assistant answers each of its customer's lines, in order.
    expect(queued.filter((j) => j.queue === 'assistant.reply').map((j) => j.payload)).toEqual([
      { conversationId: withAssistant.conversationId, messageId: results[2]?.message.id },
      { conversationId: withAssistant.conversationId, messageId: results[4]?.message.id },
    ]);
    expect(queued).toHaveLength(4);

    // Each answer carries its conversation as stored after its line: the fields the channels
    // and the realtime fan-out read, and nothing the statement did not return.
    for (const i of [3, 1, 4]) {
      const result = results[i];
      const [row] = await kefu.deps.db
        .select()
        .from(conversations)
        .where(eq(conversations.id, result?.conversation.id ?? ''));
      if (!row) throw new Error('conversation not found');
      expect(result?.conversation).toEqual({
        id: row.id,
        number: row.number,
        status: row.status,
        contactId: row.contactId,
        inboxId: row.inboxId,
        teamId: row.teamId,
        assigneeId: row.assigneeId,
        language: row.language,
      });
    }
  });
});
