import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../src/conversations/schema.ts';
import { AppError } from '../src/lib/app-error.ts';
import { acceptInbound, type InboundMessage } from '../src/pipeline/accept-inbound.ts';
import { customerSession, listen, type SetupIds, seedSupportDesk } from './helpers/realtime.ts';
import { createTestKefu, type TestKefu } from './helpers/test-kefu.ts';

let kefu: TestKefu;
let desk: SetupIds;
let url: string;

beforeAll(async () => {
  kefu = await createTestKefu();
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

  it('fails only the message that is wrong; the others in the burst are stored', async () => {
    const a = await customerWithConversation();
    const b = await customerWithConversation();
    const burst = [
      line(a.contactId, a.conversationId, 'first'),
      // B writing into A's conversation: not theirs.
      line(b.contactId, a.conversationId, 'intruder'),
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
    const failure = settled[1] as PromiseRejectedResult;
    expect(failure.reason).toBeInstanceOf(AppError);
    expect((failure.reason as AppError).code).toBe('conversation.not_found');
    expect((await storedTexts(a.conversationId)).map((r) => r.text)).toEqual([
      'hello',
      'first',
      'second',
    ]);
    expect((await storedTexts(b.conversationId)).map((r) => r.text)).toEqual(['hello', 'mine']);
  });
});
