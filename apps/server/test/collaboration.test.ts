import { randomUUID } from 'node:crypto';
import type { TMessage, TPresence, TSendAck } from '@kefu/shared';
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
import { createTestKefu, seedAgent, type TestKefu } from './helpers/test-kefu.ts';

let kefu: TestKefu;
let url: string;
let desk: SetupIds;

beforeAll(async () => {
  kefu = await createTestKefu();
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
});
afterAll(() => kefu.close());

async function startConversation(text: string) {
  const session = await customerSession(url, desk.siteToken);
  const customer = await connect(url, '/customer', { token: session.contactToken });
  const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
    clientMessageId: `c-${randomUUID()}`,
    text,
  });
  if (!ack.ok) throw new Error(ack.error.message);
  return { customer, session, conversationId: ack.message.conversationId };
}

describe('agents working together', () => {
  it('shows who else is viewing and typing, and passes typing and read receipts to the customer', async () => {
    const a = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn] });
    const b = await seedAgent(kefu, 'supervisor');
    const { customer, conversationId } = await startConversation('Need help with fees');
    const sa = await connect(url, '/agent', { cookie: a.cookie });
    const sb = await connect(url, '/agent', { cookie: b.cookie });
    try {
      await emitAck(sa.socket, 'conversation:join', { conversationId });
      await emitAck(sb.socket, 'conversation:join', { conversationId });
      await expectEventually(() => {
        const last = sa.of<TPresence>('presence').at(-1);
        expect(last?.viewers.map((v) => v.agentId).sort()).toEqual([a.id, b.id].sort());
      });
      await emitAck(sb.socket, 'typing', { conversationId, typing: true });
      await expectEventually(() => {
        const last = sa.of<TPresence>('presence').at(-1);
        expect(last?.viewers.find((v) => v.agentId === b.id)?.typing).toBe(true);
      });
      await expectEventually(() =>
        expect(customer.of<{ typing: boolean }>('typing').at(-1)?.typing).toBe(true),
      );
      await emitAck(customer.socket, 'typing', { conversationId, typing: true });
      await expectEventually(() =>
        expect(
          sa.of<{ senderType: string }>('typing').some((t) => t.senderType === 'contact'),
        ).toBe(true),
      );
      await emitAck(sa.socket, 'read', { conversationId, seq: 1 });
      await expectEventually(() =>
        expect(customer.of<{ seq: number }>('read').at(-1)?.seq).toBe(1),
      );
      sb.socket.disconnect();
      await expectEventually(() => {
        const last = sa.of<TPresence>('presence').at(-1);
        expect(last?.viewers.map((v) => v.agentId)).toEqual([a.id]);
      });
    } finally {
      customer.socket.disconnect();
      sa.socket.disconnect();
      sb.socket.disconnect();
    }
  });

  it('notifies an agent mentioned in a note, and the note stays internal', async () => {
    const writer = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn] });
    const mentioned = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn] });
    const { customer, conversationId } = await startConversation('My account is locked');
    const sm = await connect(url, '/agent', { cookie: mentioned.cookie });
    try {
      const handle = mentioned.email.split('@')[0];
      const note = await fetch(`${url}/api/v1/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: writer.cookie },
        body: JSON.stringify({
          text: `@${handle} can you check the unlock request?`,
          private: true,
        }),
      });
      expect(note.status).toBe(201);
      await expectEventually(() => {
        expect(
          sm
            .of<{ kind: string; conversationId: string }>('notification')
            .some((n) => n.kind === 'mention' && n.conversationId === conversationId),
        ).toBe(true);
      });
      await new Promise((r) => setTimeout(r, 200));
      expect(
        customer.of<TMessage>('message:new').some((m) => m.text.includes('unlock request')),
      ).toBe(false);
    } finally {
      customer.socket.disconnect();
      sm.socket.disconnect();
    }
  });

  it('a customer reply reopens a resolved ticket within the window; a closed one starts a new ticket', async () => {
    const admin = await seedAgent(kefu, 'admin');
    const { customer, conversationId } = await startConversation('Is my KYC approved?');
    const status = (s: string) =>
      fetch(`${url}/api/v1/conversations/${conversationId}/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: admin.cookie },
        body: JSON.stringify({ status: s }),
      });
    expect((await status('resolved')).status).toBe(200);
    const again = await emitAck<TSendAck>(customer.socket, 'message:send', {
      clientMessageId: `c-${randomUUID()}`,
      conversationId,
      text: 'Still not approved',
    });
    if (!again.ok) throw new Error(again.error.message);
    expect(again.message.conversationId).toBe(conversationId);
    const reopened = await fetch(`${url}/api/v1/conversations/${conversationId}`, {
      headers: { cookie: admin.cookie },
    });
    expect(((await reopened.json()) as { status: string }).status).toBe('open');

    expect((await status('closed')).status).toBe(200);
    const fresh = await emitAck<TSendAck>(customer.socket, 'message:send', {
      clientMessageId: `c-${randomUUID()}`,
      conversationId,
      text: 'New question',
    });
    if (!fresh.ok) throw new Error(fresh.error.message);
    expect(fresh.message.conversationId).not.toBe(conversationId);
    customer.socket.disconnect();
  });

  it('merges duplicate customers: conversations move and identifiers are kept', async () => {
    const admin = await seedAgent(kefu, 'admin');
    const first = await startConversation('from my phone');
    const second = await startConversation('from my laptop');
    const patch = await fetch(`${url}/api/v1/contacts/${second.session.contactId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', cookie: admin.cookie },
      body: JSON.stringify({ email: 'Dup.Customer@example.com', vipLevel: 2 }),
    });
    expect(patch.status).toBe(200);
    const merge = await fetch(`${url}/api/v1/contacts/${first.session.contactId}/merge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookie },
      body: JSON.stringify({ duplicateId: second.session.contactId }),
    });
    expect(merge.status).toBe(200);
    expect(await merge.json()).toMatchObject({ email: 'dup.customer@example.com', vipLevel: 2 });
    const view = (await (
      await fetch(`${url}/api/v1/contacts/${first.session.contactId}`, {
        headers: { cookie: admin.cookie },
      })
    ).json()) as {
      conversations: { id: string }[];
    };
    expect(view.conversations.map((c) => c.id).sort()).toEqual(
      [first.conversationId, second.conversationId].sort(),
    );
    const self = await fetch(`${url}/api/v1/contacts/${first.session.contactId}/merge`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: admin.cookie },
      body: JSON.stringify({ duplicateId: first.session.contactId }),
    });
    expect(self.status).toBe(409);
    first.customer.socket.disconnect();
    second.customer.socket.disconnect();
  });
});
