import { randomUUID } from 'node:crypto';
import type { TMessage, TSendAck } from '@kefu/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../src/conversations/schema.ts';
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
let agentEn: TestAgent;
let _agentZh: TestAgent;

async function setAvailability(agent: TestAgent, availability: 'online' | 'away' | 'offline') {
  const r = await fetch(`${url}/api/v1/auth/availability`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie: agent.cookie },
    body: JSON.stringify({ availability }),
  });
  expect(r.status).toBe(200);
}

async function _api(agent: TestAgent, method: string, path: string, body?: unknown) {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: {
      cookie: agent.cookie,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

const cmid = () => `c-${randomUUID()}`;

beforeAll(async () => {
  kefu = await createTestKefu();
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  agentEn = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn], languages: ['en'] });
  _agentZh = await seedAgent(kefu, 'agent', { teamIds: [desk.teamZh], languages: ['zh-CN'] });
});
afterAll(() => kefu.close());

describe('a customer and an agent talk through the pipeline', () => {
  it('routes the message to the agent and delivers the reply; notes stay internal', async () => {
    await setAvailability(agentEn, 'online');
    const agentSocket = await connect(url, '/agent', { cookie: agentEn.cookie });
    const session = await customerSession(url, desk.siteToken);
    const customer = await connect(url, '/customer', { token: session.contactToken });
    try {
      const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
        clientMessageId: cmid(),
        text: 'Hello, my USDT deposit has not arrived',
      });
      if (!ack.ok) throw new Error(ack.error.message);
      expect(ack.conversationNumber).toBeGreaterThanOrEqual(100001);
      const conversationId = ack.message.conversationId;

      const assignment = await expectEventually(() => {
        const n = agentSocket
          .of<{ kind: string; conversationId: string }>('notification')
          .find((e) => e.conversationId === conversationId);
        expect(n?.kind).toBe('assignment');
        // The customer hears of it on a connection of their own.
        expect(
          customer
            .of<{ assigneeId: string }>('conversation:changed')
            .some((c) => c.assigneeId === agentEn.id),
        ).toBe(true);
        return n;
      });
      expect(assignment).toBeDefined();
      expect(agentSocket.of<TMessage>('message:new').some((m) => m.id === ack.message.id)).toBe(
        true,
      );

      const joined = await emitAck<{ ok: boolean }>(agentSocket.socket, 'conversation:join', {
        conversationId,
      });
      expect(joined.ok).toBe(true);
      const note = await emitAck<TSendAck>(agentSocket.socket, 'message:send', {
        conversationId,
        clientMessageId: cmid(),
        text: 'Internal: check the TRON node @someone',
        private: true,
      });
      expect(note.ok).toBe(true);
      const reply = await emitAck<TSendAck>(agentSocket.socket, 'message:send', {
        conversationId,
        clientMessageId: cmid(),
        text: 'Hi! Could you send me the TxID?',
      });
      if (!reply.ok) throw new Error(reply.error.message);

      const received = await expectEventually(() => {
        const m = customer.of<TMessage>('message:new').find((x) => x.id === reply.message.id);
        expect(m).toBeDefined();
        return m as TMessage;
      });
      expect(received.text).toBe('Hi! Could you send me the TxID?');
      expect(received.senderType).toBe('agent');
      expect(received.senderName).toBe('Test agent');
      expect(
        customer.events.some((e) => JSON.stringify(e.payload).includes('Internal: check')),
      ).toBe(false);

      // The customer's widget confirmed it: the agent sees "delivered".
      await expectEventually(() => {
        expect(
          agentSocket
            .of<{ messageId: string; status: string }>('delivery:changed')
            .some((d) => d.messageId === reply.message.id && d.status === 'delivered'),
        ).toBe(true);
      });

      // Over HTTP the customer never sees the note either.
      const list = await fetch(`${url}/api/v1/customer/conversations/${conversationId}/messages`, {
        headers: { authorization: `Bearer ${session.contactToken}` },
      });
      const listed = (await list.json()) as { messages: TMessage[] };
      expect(list.status, JSON.stringify(listed)).toBe(200);
      const texts = listed.messages.map((m) => m.text);
      expect(texts).toContain('Hi! Could you send me the TxID?');
      expect(texts.some((t) => t.includes('Internal'))).toBe(false);
    } finally {
      agentSocket.socket.disconnect();
      customer.socket.disconnect();
      await setAvailability(agentEn, 'offline');
    }
  });

  it('stores a retried message once and answers the same ack', async () => {
    const session = await customerSession(url, desk.siteToken);
    const customer = await connect(url, '/customer', { token: session.contactToken });
    try {
      const payload = { clientMessageId: cmid(), text: 'withdrawal pending for 3 hours' };
      const announced: string[] = [];
      const unsubscribe = kefu.node.subscribe((event) => {
        if (event.type === 'message.created' && event.message.text === payload.text)
          announced.push(event.message.id);
      });
      const first = await emitAck<TSendAck>(customer.socket, 'message:send', payload);
      const second = await emitAck<TSendAck>(customer.socket, 'message:send', payload);
      unsubscribe();
      if (!first.ok || !second.ok) throw new Error('send failed');
      expect(second.duplicate).toBe(true);
      expect(second.message.id).toBe(first.message.id);
      // The retry is announced again, in case the first announcement died with its node.
      expect(announced).toEqual([first.message.id, first.message.id]);
      expect(second.conversationNumber).toBe(first.conversationNumber);
      const rows = await kefu.deps.db
        .select()
        .from(messages)
        .where(eq(messages.conversationId, first.message.conversationId));
      expect(rows.filter((r) => r.senderType === 'contact')).toHaveLength(1);
    } finally {
      customer.socket.disconnect();
    }
  });

  it("shows a customer's line in their other tabs; the tab that sent it has it from the ack", async () => {
    const session = await customerSession(url, desk.siteToken);
    const sender = await connect(url, '/customer', { token: session.contactToken });
    const otherTab = await connect(url, '/customer', { token: session.contactToken });
    try {
      const ack = await emitAck<TSendAck>(sender.socket, 'message:send', {
        clientMessageId: cmid(),
        text: 'Is my KYC approved yet?',
      });
      if (!ack.ok) throw new Error(ack.error.message);
      const more = await emitAck<TSendAck>(sender.socket, 'message:send', {
        conversationId: ack.message.conversationId,
        clientMessageId: cmid(),
        text: 'I uploaded my passport yesterday',
      });
      if (!more.ok) throw new Error(more.error.message);
      await expectEventually(() =>
        expect(otherTab.of<TMessage>('message:new').map((m) => m.id)).toEqual(
          expect.arrayContaining([ack.message.id, more.message.id]),
        ),
      );
      const echoed = sender
        .of<TMessage>('message:new')
        .filter((m) => m.id === ack.message.id || m.id === more.message.id);
      expect(echoed).toEqual([]);
    } finally {
      sender.socket.disconnect();
      otherTab.socket.disconnect();
    }
  });

  it('answers invalid payloads with an error ack and keeps the connection', async () => {
    const session = await customerSession(url, desk.siteToken);
    const customer = await connect(url, '/customer', { token: session.contactToken });
    try {
      const bad = await emitAck<TSendAck>(customer.socket, 'message:send', {
        clientMessageId: 'x',
        text: 42,
      });
      expect(bad.ok).toBe(false);
      if (bad.ok) return;
      expect(bad.error.code).toBe('request.invalid');
      expect(bad.error.message).toMatch(/clientMessageId/);
      const tooLong = await emitAck<TSendAck>(customer.socket, 'message:send', {
        clientMessageId: cmid(),
        text: 'x'.repeat(10_001),
      });
      expect(tooLong.ok).toBe(false);
      expect(customer.socket.connected).toBe(true);
      const fine = await emitAck<TSendAck>(customer.socket, 'message:send', {
        clientMessageId: cmid(),
        text: 'still here',
      });
      expect(fine.ok).toBe(true);
    } finally {
      customer.socket.disconnect();
    }
  });

  it('refuses a socket without a valid customer token', async () => {
    await expect(connect(url, '/customer', { token: 'forged.token.value' })).rejects.toThrow(
      /customer.unauthenticated/,
    );
    await expect(connect(url, '/agent', { cookie: 'kefu_session=nope' })).rejects.toThrow(
      /auth.unauthenticated/,
    );
  });
});

describe('customers are kept apart', () => {
  it("customer A can neither read nor write customer B's conversation, by any id", async () => {
    const a = await customerSession(url, desk.siteToken);
    const b = await customerSession(url, desk.siteToken);
    const sockB = await connect(url, '/customer', { token: b.contactToken });
    const sockA = await connect(url, '/customer', { token: a.contactToken });
    try {
      const ackB = await emitAck<TSendAck>(sockB.socket, 'message:send', {
        clientMessageId: cmid(),
        text: 'B private question about KYC',
      });
      if (!ackB.ok) throw new Error('send failed');
      const idB = ackB.message.conversationId;

      const resync = await emitAck<{ ok: boolean; error?: { code: string } }>(
        sockA.socket,
        'conversation:resync',
        { conversationId: idB, afterSeq: 0 },
      );
      expect(resync).toMatchObject({ ok: false, error: { code: 'conversation.not_found' } });
      const write = await emitAck<TSendAck>(sockA.socket, 'message:send', {
        clientMessageId: cmid(),
        conversationId: idB,
        text: 'hijack',
      });
      expect(write).toMatchObject({ ok: false, error: { code: 'conversation.not_found' } });
      const typing = await emitAck<{ ok: boolean }>(sockA.socket, 'typing', {
        conversationId: idB,
        typing: true,
      });
      expect(typing.ok).toBe(false);

      const http = await fetch(`${url}/api/v1/customer/conversations/${idB}/messages`, {
        headers: { authorization: `Bearer ${a.contactToken}` },
      });
      expect(http.status).toBe(404);
      const unknown = await fetch(`${url}/api/v1/customer/conversations/${randomUUID()}/messages`, {
        headers: { authorization: `Bearer ${a.contactToken}` },
      });
      expect(unknown.status).toBe(404);
      // The same answer as for an id that does not exist: B's ticket is not revealed.
      expect(((await http.json()) as { error: { code: string } }).error.code).toBe(
        'conversation.not_found',
      );
      expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe(
        'conversation.not_found',
      );
      const listA = await fetch(`${url}/api/v1/customer/conversations`, {
        headers: { authorization: `Bearer ${a.contactToken}` },
      });
      expect(
        ((await listA.json()) as { conversations: { id: string }[] }).conversations.map(
          (c) => c.id,
        ),
      ).not.toContain(idB);
      expect(
        sockA.events.some((e) => JSON.stringify(e.payload).includes('B private question')),
      ).toBe(false);
    } finally {
      sockA.socket.disconnect();
      sockB.socket.disconnect();
    }
  });
});
