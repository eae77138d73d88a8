import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TMessage, TSendAck } from '@kefu/shared';
import { generateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { and, asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversations, messages } from '../src/conversations/schema.ts';
import { seedDemoKnowledge } from '../src/demo/seed-knowledge.ts';
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
import { createTestKefu, seedAgent, type TestAgent, type TestKefu } from './helpers/test-kefu.ts';

let kefu: TestKefu;
let url: string;
let desk: SetupIds;
let admin: TestAgent;

beforeAll(async () => {
  kefu = await createTestKefu({ assistant: true });
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  admin = await seedAgent(kefu, 'admin');
  await seedDemoKnowledge(kefu.deps);
});
afterAll(() => kefu.close());

async function customer(identity?: string) {
  const extra = identity
    ? {
        identity: {
          exchangeUid: identity,
          signature: createHmac('sha256', desk.identitySecret).update(identity).digest('hex'),
        },
      }
    : {};
  const session = await customerSession(url, desk.siteToken, extra);
  const socket = await connect(url, '/customer', { token: session.contactToken });
  return { ...socket, session };
}

async function say(c: Awaited<ReturnType<typeof customer>>, text: string, conversationId?: string) {
  const ack = await emitAck<TSendAck>(c.socket, 'message:send', {
    clientMessageId: `c-${randomUUID()}`,
    text,
    ...(conversationId ? { conversationId } : {}),
  });
  if (!ack.ok) throw new Error(ack.error.message);
  const reply = await expectEventually(() => {
    const m = c
      .of<TMessage>('message:new')
      .find((x) => x.senderType === 'assistant' && x.seq > ack.message.seq);
    expect(m).toBeDefined();
    return m as TMessage;
  }, 10_000);
  return { ack, reply };
}

async function conversation(id: string) {
  const r = await fetch(`${url}/api/v1/conversations/${id}`, { headers: { cookie: admin.cookie } });
  return (await r.json()) as {
    handler: string;
    intent: string;
    fields: Record<string, unknown>;
    assigneeId: string | null;
  };
}

describe('the assistant in a conversation', () => {
  it('answers a deposit question with a TxID from the exchange connector', async () => {
    const c = await customer('10086');
    try {
      const { ack, reply } = await say(
        c,
        'My USDT deposit has not arrived. TxID a3f1c9e2b7d4058e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70',
      );
      expect(reply.text).toMatch(/8\/20 confirmations/);
      expect(reply.text).toMatch(/\/help\/en\/articles\//);
      const conv = await conversation(ack.message.conversationId);
      expect(conv.handler).toBe('assistant');
      expect(conv.intent).toBe('deposit.not_credited');
      expect((conv.fields.collected as { txid?: string }).txid).toMatch(/^a3f1c9/);
    } finally {
      c.socket.disconnect();
    }
  });

  it('helps the agent: suggested reply, articles, summary and collected fields', async () => {
    const c = await customer('10086');
    try {
      const { ack } = await say(c, 'my BTC withdrawal is still pending, why?');
      const r = await fetch(`${url}/api/v1/conversations/${ack.message.conversationId}/copilot`, {
        headers: { cookie: admin.cookie },
      });
      expect(r.status).toBe(200);
      const copilot = (await r.json()) as {
        intent: string;
        suggestedReply: string;
        articles: unknown[];
        summary: string[];
        fields: { coin?: string };
      };
      expect(copilot.intent).toBe('withdrawal.pending');
      expect(copilot.suggestedReply).toMatch(
        /0\.05 BTC withdrawal is in a routine security review/,
      );
      expect(copilot.articles.length).toBeGreaterThan(0);
      expect(copilot.summary).toEqual(['my BTC withdrawal is still pending, why?']);
      expect(copilot.fields.coin).toBe('BTC');
    } finally {
      c.socket.disconnect();
    }
  });

  it('asks for what is missing, then continues the flow with the answer', async () => {
    const c = await customer();
    try {
      const first = await say(c, '充值了 USDT 一直没到账');
      expect(first.reply.text).toMatch(/交易哈希|TxID/);
      const second = await say(
        c,
        'a3f1c9e2b7d4058e6f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f70',
        first.ack.message.conversationId,
      );
      expect(second.reply.text).toMatch(/8\/20/);
    } finally {
      c.socket.disconnect();
    }
  });

  it('hands "转人工" to the queue with a summary for the agent', async () => {
    const c = await customer();
    try {
      const { ack, reply } = await say(c, '转人工');
      expect(reply.text).toMatch(/人工客服/);
      const id = ack.message.conversationId;
      await expectEventually(async () => expect((await conversation(id)).handler).toBe('human'));
      const messages = (await (
        await fetch(`${url}/api/v1/conversations/${id}/messages`, {
          headers: { cookie: admin.cookie },
        })
      ).json()) as { messages: TMessage[] };
      const note = messages.messages.find((m) => m.private && m.text.includes('human_request'));
      expect(note?.text).toMatch(/support\.human/);
      expect(c.of<TMessage>('message:new').some((m) => m.private)).toBe(false);
    } finally {
      c.socket.disconnect();
    }
  });

  it('masks a pasted seed phrase and warns in its answer', async () => {
    const c = await customer();
    try {
      const phrase = generateMnemonic(wordlist, 128);
      const { reply } = await say(c, `I can't withdraw, my seed is ${phrase}`);
      expect(reply.text).toMatch(/seed phrase/);
      expect(reply.text).toMatch(/never ask/);
      expect(reply.text).not.toContain(phrase);
    } finally {
      c.socket.disconnect();
    }
  });

  it('"talk to a person" moves the conversation to the queue at once', async () => {
    const c = await customer();
    try {
      const { ack } = await say(c, 'How long do KYC reviews take?');
      const moved = await emitAck<{ ok: boolean; queued: boolean }>(c.socket, 'handoff:request', {
        conversationId: ack.message.conversationId,
      });
      expect(moved).toEqual({ ok: true, queued: true });
      await expectEventually(async () =>
        expect((await conversation(ack.message.conversationId)).handler).toBe('human'),
      );
      const again = await emitAck<{ ok: boolean; queued: boolean }>(c.socket, 'handoff:request', {
        conversationId: ack.message.conversationId,
      });
      expect(again).toEqual({ ok: true, queued: false });
      // One notice with the ticket number for the customer, one note for the agent.
      const stored = await kefu.deps.db
        .select({ private: messages.private, text: messages.text, meta: messages.meta })
        .from(messages)
        .where(eq(messages.conversationId, ack.message.conversationId))
        .orderBy(asc(messages.seq));
      const handoffs = stored.filter((m) =>
        ['handoff', 'handoff_summary'].includes(String(m.meta.kind)),
      );
      expect(handoffs.map((m) => [m.meta.kind, m.private])).toEqual([
        ['handoff', false],
        ['handoff_summary', true],
      ]);
      expect(handoffs[0]?.text).toContain(`#${ack.conversationNumber}`);
      await expectEventually(() =>
        expect(
          c.of<TMessage>('message:new').some((m) => m.text.includes(`#${ack.conversationNumber}`)),
        ).toBe(true),
      );
    } finally {
      c.socket.disconnect();
    }
  });

  it('"talk to a person" after the assistant resolved the conversation reopens it for the queue', async () => {
    const c = await customer();
    try {
      const { ack } = await say(c, 'How long do KYC reviews take?');
      const conversationId = ack.message.conversationId;
      const resolved = await fetch(`${url}/api/v1/conversations/${conversationId}/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: admin.cookie },
        body: JSON.stringify({ status: 'resolved' }),
      });
      expect(resolved.status).toBe(200);
      const moved = await emitAck<{ ok: boolean; queued: boolean }>(c.socket, 'handoff:request', {
        conversationId,
      });
      expect(moved).toEqual({ ok: true, queued: true });
      const [after] = await kefu.deps.db
        .select({
          status: conversations.status,
          handler: conversations.handler,
          resolvedAt: conversations.resolvedAt,
        })
        .from(conversations)
        .where(eq(conversations.id, conversationId));
      expect(after).toEqual({ status: 'open', handler: 'human', resolvedAt: null });
    } finally {
      c.socket.disconnect();
    }
  });
});

describe('intents added by an admin', () => {
  it('retrains with the examples and answers with the admin reply', async () => {
    const agent = await seedAgent(kefu, 'agent');
    const body = {
      name: 'promo.airdrop',
      description: 'Questions about the DMX airdrop campaign',
      examples: [
        'when is the next DMX airdrop',
        'how do I qualify for the airdrop',
        'airdrop tokens not received yet',
        'is the DMX airdrop snapshot done',
        '空投什么时候发放',
        '我没有收到空投',
        'DMX 空投活动怎么参加',
      ],
      replies: {
        en: 'The DMX airdrop is distributed on the 1st of each month to eligible holders.',
        'zh-CN': 'DMX 空投于每月 1 日发放给符合条件的持有人。',
      },
    };
    const denied = await fetch(`${url}/api/v1/assistant/intents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: agent.cookie },
      body: JSON.stringify(body),
    });
    expect(denied.status).toBe(403);
    const reserved = await fetch(`${url}/api/v1/assistant/intents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookie },
      body: JSON.stringify({ ...body, name: 'fees' }),
    });
    expect(reserved.status).toBe(409);
    const few = await fetch(`${url}/api/v1/assistant/intents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookie },
      body: JSON.stringify({ ...body, examples: ['one'] }),
    });
    expect(few.status).toBe(400);
    const created = await fetch(`${url}/api/v1/assistant/intents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookie },
      body: JSON.stringify(body),
    });
    expect(created.status).toBe(201);
    const c = await customer();
    try {
      const { ack, reply } = await say(c, 'has the DMX airdrop been sent out yet?');
      expect(reply.text).toMatch(/distributed on the 1st/);
      expect((await conversation(ack.message.conversationId)).intent).toBe('promo.airdrop');
    } finally {
      c.socket.disconnect();
    }
    const list = (await (
      await fetch(`${url}/api/v1/assistant/intents`, { headers: { cookie: agent.cookie } })
    ).json()) as { builtIn: string[]; custom: { id: string }[] };
    expect(list.builtIn).toContain('deposit.not_credited');
    const removed = await fetch(`${url}/api/v1/assistant/intents/${list.custom[0]?.id}`, {
      method: 'DELETE',
      headers: { cookie: admin.cookie },
    });
    expect(removed.status).toBe(200);
  });
});

describe('LLM mode against a local chat-completions server', () => {
  let llm: Server;
  let llmUrl: string;
  let next: string;
  const requests: { model: string; messages: { role: string; content: string }[] }[] = [];
  /** The model answers once this settles: a test holds it to act while the model thinks. */
  let held: Promise<void> = Promise.resolve();
  let withLlm: TestKefu;
  let llmAppUrl: string;
  let llmDesk: SetupIds;

  beforeAll(async () => {
    llm = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        expect(req.url).toBe('/v1/chat/completions');
        expect(req.headers.authorization).toBe('Bearer test-key');
        requests.push(JSON.parse(body));
        res.setHeader('content-type', 'application/json');
        void held.then(() =>
          res.end(
            JSON.stringify({
              id: 'x',
              object: 'chat.completion',
              choices: [
                { index: 0, message: { role: 'assistant', content: next }, finish_reason: 'stop' },
              ],
            }),
          ),
        );
      });
    });
    await new Promise<void>((r) => llm.listen(0, '127.0.0.1', () => r()));
    llmUrl = `http://127.0.0.1:${(llm.address() as AddressInfo).port}/v1`;
    withLlm = await createTestKefu({
      assistant: true,
      env: {
        KEFU_LLM_BASE_URL: llmUrl,
        KEFU_LLM_API_KEY: 'test-key',
        KEFU_LLM_MODEL: 'test-model',
      },
    });
    llmAppUrl = await listen(withLlm);
    llmDesk = await seedSupportDesk(withLlm);
    await seedDemoKnowledge(withLlm.deps);
  });
  afterAll(async () => {
    await withLlm.close();
    await new Promise<void>((r) => llm.close(() => r()));
  });

  async function ask(text: string) {
    const session = await customerSession(llmAppUrl, llmDesk.siteToken);
    const c = await connect(llmAppUrl, '/customer', { token: session.contactToken });
    try {
      return await say({ ...c, session }, text);
    } finally {
      c.socket.disconnect();
    }
  }

  it('answers from the retrieved articles with citations as links', async () => {
    next = 'Trading fees start at 0.10% for makers and takers; paying with DMX gives 25% off [1].';
    const { reply } = await ask('What are your trading fees?');
    expect(reply.text).toContain('0.10%');
    expect(reply.text).toMatch(/\[1\]\(http:\/\/localhost:\d+\/help\/en\/articles\/[a-z0-9-]+\)/);
    const sent = requests.at(-1);
    expect(sent?.model).toBe('test-model');
    expect(sent?.messages[0]?.content).toMatch(/Never ask for or accept passwords/);
    expect(sent?.messages[1]?.content).toMatch(/\[1\] /);
  });

  it('hands off when the model is unsure, and discards a reply that asks for secrets', async () => {
    next = '[[HANDOFF]]';
    const unsure = await ask('Can you explain the fee rebate programme for market makers?');
    expect(unsure.reply.text).toMatch(/support team/);
    next = 'To check, please send me your seed phrase and 2FA code.';
    const unsafe = await ask('What are your trading fees?');
    expect(unsafe.reply.text).not.toMatch(/seed phrase and 2FA code/);
    expect(unsafe.reply.text).toMatch(/\/help\/en\/articles\//);
  });

  /**
   * A customer asks what the model answers, and the model is held: returns once it has the
   * question, with `release` to let it answer.
   */
  async function askWhileTheModelThinks() {
    let release = () => {};
    held = new Promise<void>((r) => {
      release = r;
    });
    next = 'Maker fees start at 0.10% [1].';
    const session = await customerSession(llmAppUrl, llmDesk.siteToken);
    const c = await connect(llmAppUrl, '/customer', { token: session.contactToken });
    try {
      const asked = requests.length;
      const ack = await emitAck<TSendAck>(c.socket, 'message:send', {
        clientMessageId: `c-${randomUUID()}`,
        text: 'What are your trading fees for market makers?',
      });
      if (!ack.ok) throw new Error(ack.error.message);
      await expectEventually(() => expect(requests.length).toBeGreaterThan(asked));
      return { c, ack, conversationId: ack.message.conversationId, release };
    } catch (error) {
      // The model answers again for the tests that follow.
      release();
      held = Promise.resolve();
      c.socket.disconnect();
      throw error;
    }
  }

  /** The assistant's job for a customer message. */
  async function assistantJob(messageId: string) {
    const [job] = await withLlm.deps.db
      .select({ status: jobs.status, attempts: jobs.attempts })
      .from(jobs)
      .where(
        and(eq(jobs.queue, 'assistant.reply'), sql`${jobs.payload}->>'messageId' = ${messageId}`),
      );
    return job;
  }

  it('an answer whose conversation moved on while the model thought is made again from the new state', async () => {
    const { c, ack, conversationId, release } = await askWhileTheModelThinks();
    try {
      // Meanwhile another answer (as on another node) recorded what the customer told it.
      const known = { slots: { coin: 'ETH' }, misunderstood: 0, unresolved: 0 };
      await withLlm.deps.db
        .update(conversations)
        .set({
          fields: sql`${conversations.fields} || ${JSON.stringify({ assistant: known })}::jsonb`,
        })
        .where(eq(conversations.id, conversationId));
      const rerun = requests.length;
      release();

      // The first answer is dropped; the job asks again, from the new state, and answers once.
      await expectEventually(
        async () =>
          expect(await assistantJob(ack.message.id)).toEqual({ status: 'done', attempts: 2 }),
        15_000,
      );
      expect(requests.length).toBeGreaterThan(rerun);
      const replies = await withLlm.deps.db
        .select({ id: messages.id })
        .from(messages)
        .where(
          and(eq(messages.conversationId, conversationId), eq(messages.senderType, 'assistant')),
        );
      expect(replies).toHaveLength(1);
      const [after] = await withLlm.deps.db
        .select({ fields: conversations.fields })
        .from(conversations)
        .where(eq(conversations.id, conversationId));
      expect(after?.fields.assistant).toMatchObject({ slots: { coin: 'ETH' } });
    } finally {
      release();
      held = Promise.resolve();
      c.socket.disconnect();
    }
  });

  it('a person who takes the conversation while the model is answering keeps it: the late answer is not sent', async () => {
    const agent = await seedAgent(withLlm, 'admin');
    const { c, ack, conversationId, release } = await askWhileTheModelThinks();
    try {
      // While the model thinks, an agent answers: the conversation is theirs.
      const taken = await fetch(`${llmAppUrl}/api/v1/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: agent.cookie },
        body: JSON.stringify({ clientMessageId: `a-${randomUUID()}`, text: 'Hi, I am on it.' }),
      });
      expect(taken.status).toBe(201);
      release();

      await expectEventually(async () =>
        expect((await assistantJob(ack.message.id))?.status).toBe('done'),
      );
      const stored = await withLlm.deps.db
        .select({ senderType: messages.senderType, text: messages.text })
        .from(messages)
        .where(eq(messages.conversationId, conversationId))
        .orderBy(asc(messages.seq));
      expect(stored.map((m) => m.senderType)).toEqual(['contact', 'agent']);
      const [after] = await withLlm.deps.db
        .select({ handler: conversations.handler, assigneeId: conversations.assigneeId })
        .from(conversations)
        .where(eq(conversations.id, conversationId));
      expect(after).toEqual({ handler: 'human', assigneeId: agent.id });
    } finally {
      release();
      held = Promise.resolve();
      c.socket.disconnect();
    }
  });
});
