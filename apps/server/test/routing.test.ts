import { randomUUID } from 'node:crypto';
import type { TQueuePosition, TSendAck } from '@kefu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

async function call(agent: TestAgent, method: string, path: string, body?: unknown) {
  const r = await fetch(`${url}${path}`, {
    method,
    headers: {
      cookie: agent.cookie,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await r.json()) as Record<string, unknown>;
  if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

async function newCustomer(text: string) {
  const session = await customerSession(url, desk.siteToken);
  const socket = await connect(url, '/customer', { token: session.contactToken });
  const ack = await emitAck<TSendAck>(socket.socket, 'message:send', {
    clientMessageId: `c-${randomUUID()}`,
    text,
  });
  if (!ack.ok) throw new Error(ack.error.message);
  return { ...socket, session, conversationId: ack.message.conversationId };
}

async function assigneeOf(conversationId: string) {
  return (await call(admin, 'GET', `/api/v1/conversations/${conversationId}`)).assigneeId as
    | string
    | null;
}

beforeAll(async () => {
  kefu = await createTestKefu();
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  admin = await seedAgent(kefu, 'admin');
});
afterAll(() => kefu.close());

describe('routing', () => {
  it('assigns by language, capacity and availability; VIPs first; waiting customers get their position', async () => {
    const en = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn], languages: ['en'] });
    const enAway = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn], languages: ['en'] });
    const zh = await seedAgent(kefu, 'agent', { teamIds: [desk.teamZh], languages: ['zh-CN'] });
    await call(admin, 'PATCH', `/api/v1/agents/${en.id}`, { capacity: 1 });
    await call(en, 'PUT', '/api/v1/auth/availability', { availability: 'online' });
    await call(enAway, 'PUT', '/api/v1/auth/availability', { availability: 'away' });
    await call(zh, 'PUT', '/api/v1/auth/availability', { availability: 'online' });

    const first = await newCustomer('Hi, my deposit is missing');
    await expectEventually(async () => expect(await assigneeOf(first.conversationId)).toBe(en.id));

    const chinese = await newCustomer('你好，我的提现一直没有到账');
    await expectEventually(async () =>
      expect(await assigneeOf(chinese.conversationId)).toBe(zh.id),
    );

    // The English agent is full and the other one is away: the next customers wait, and are told where they stand.
    const second = await newCustomer('Second customer: KYC question');
    const third = await newCustomer('Third customer: account locked');
    await expectEventually(() => {
      const p = second.of<TQueuePosition>('queue:position').at(-1);
      expect(p?.position).toBe(1);
      expect(p?.estimatedWaitSeconds).toBeGreaterThan(0);
    });
    await expectEventually(() =>
      expect(third.of<TQueuePosition>('queue:position').at(-1)?.position).toBe(2),
    );
    expect(await assigneeOf(second.conversationId)).toBeNull();

    // The third customer is a VIP: when the agent frees up, the VIP goes first.
    await call(admin, 'PATCH', `/api/v1/contacts/${third.session.contactId}`, { vipLevel: 3 });
    await call(en, 'POST', `/api/v1/conversations/${first.conversationId}/status`, {
      status: 'resolved',
    });
    await expectEventually(async () => expect(await assigneeOf(third.conversationId)).toBe(en.id));
    expect(await assigneeOf(second.conversationId)).toBeNull();
    await expectEventually(() => {
      expect(
        third
          .of<{ assigneeId?: string }>('conversation:changed')
          .some((c) => c.assigneeId === en.id),
      ).toBe(true);
    });

    // An agent who goes away keeps what they have but gets nothing new; back online, they get the queue.
    await call(en, 'PUT', '/api/v1/auth/availability', { availability: 'away' });
    await call(en, 'POST', `/api/v1/conversations/${third.conversationId}/status`, {
      status: 'resolved',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await assigneeOf(second.conversationId)).toBeNull();
    await call(en, 'PUT', '/api/v1/auth/availability', { availability: 'online' });
    await expectEventually(async () => expect(await assigneeOf(second.conversationId)).toBe(en.id));
    for (const c of [first, chinese, second, third]) c.socket.disconnect();
    await call(en, 'PUT', '/api/v1/auth/availability', { availability: 'offline' });
    await call(zh, 'PUT', '/api/v1/auth/availability', { availability: 'offline' });
  });

  it('escalates to L2 with a reason, transfers, and keeps the timeline', async () => {
    const agent = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn], languages: ['en'] });
    const customer = await newCustomer('My withdrawal to a wrong address, please help');
    await call(agent, 'POST', `/api/v1/conversations/${customer.conversationId}/assign`, {
      agentId: agent.id,
    });
    const escalated = await call(
      agent,
      'POST',
      `/api/v1/conversations/${customer.conversationId}/escalate`,
      {
        reason: 'Needs on-chain investigation',
      },
    );
    expect(escalated).toMatchObject({
      tier: 'L2',
      teamId: desk.teamL2,
      assigneeId: null,
      escalationReason: 'Needs on-chain investigation',
    });
    const timeline = (
      await call(admin, 'GET', `/api/v1/conversations/${customer.conversationId}/messages`)
    ).messages as { private: boolean; text: string }[];
    expect(timeline.filter((m) => m.private).map((m) => m.text)).toEqual(
      expect.arrayContaining(['assigned', 'escalated']),
    );
    // The agent of L1 no longer sees an L2 conversation assigned to nobody… unless they are in that team.
    const hidden = await fetch(`${url}/api/v1/conversations/${customer.conversationId}`, {
      headers: { cookie: agent.cookie },
    });
    expect(hidden.status).toBe(404);
    const back = await call(
      admin,
      'POST',
      `/api/v1/conversations/${customer.conversationId}/transfer`,
      { teamId: desk.teamEn },
    );
    expect(back).toMatchObject({ teamId: desk.teamEn, tier: 'L1' });
    customer.socket.disconnect();
  });

  it('merges two conversations of one customer; the merged number points at the survivor', async () => {
    const session = await customerSession(url, desk.siteToken);
    const sock = await connect(url, '/customer', { token: session.contactToken });
    const a = await emitAck<TSendAck>(sock.socket, 'message:send', {
      clientMessageId: `c-${randomUUID()}`,
      text: 'first ticket',
    });
    const b = await emitAck<TSendAck>(sock.socket, 'message:send', {
      clientMessageId: `c-${randomUUID()}`,
      text: 'second ticket, same problem',
    });
    if (!a.ok || !b.ok) throw new Error('send failed');
    expect(a.message.conversationId).not.toBe(b.message.conversationId);
    const merged = await call(
      admin,
      'POST',
      `/api/v1/conversations/${b.message.conversationId}/merge`,
      { intoId: a.message.conversationId },
    );
    expect(merged.id).toBe(a.message.conversationId);
    const source = await call(admin, 'GET', `/api/v1/conversations/${b.message.conversationId}`);
    expect(source).toMatchObject({ mergedIntoId: a.message.conversationId, status: 'closed' });
    const messages = (
      await call(admin, 'GET', `/api/v1/conversations/${a.message.conversationId}/messages`)
    ).messages as { seq: number; text: string }[];
    expect(messages.map((m) => m.text)).toEqual(
      expect.arrayContaining(['first ticket', 'second ticket, same problem']),
    );
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
    // Writing into the merged conversation lands in the survivor.
    const c = await emitAck<TSendAck>(sock.socket, 'message:send', {
      clientMessageId: `c-${randomUUID()}`,
      conversationId: b.message.conversationId,
      text: 'follow-up',
    });
    if (!c.ok) throw new Error(c.error.message);
    expect(c.message.conversationId).toBe(a.message.conversationId);
    sock.socket.disconnect();
  });

  it('hands out unique ticket numbers under concurrent creation', async () => {
    const sessions = await Promise.all(
      Array.from({ length: 12 }, () => customerSession(url, desk.siteToken)),
    );
    const acks = await Promise.all(
      sessions.map((s) =>
        fetch(`${url}/api/v1/customer/messages`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${s.contactToken}`,
          },
          body: JSON.stringify({ clientMessageId: `c-${randomUUID()}`, text: 'concurrent' }),
        }).then((r) => r.json() as Promise<{ conversationNumber: number }>),
      ),
    );
    const numbers = acks.map((a) => a.conversationNumber);
    expect(new Set(numbers).size).toBe(12);
    for (const n of numbers) expect(n).toBeGreaterThanOrEqual(100001);
  });
});
