import { randomUUID } from 'node:crypto';
import type { TSendAck } from '@kefu/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions } from '../src/auth/schema.ts';
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
  createTestKefu,
  loginCookie,
  seedAgent,
  type TestAgent,
  type TestKefu,
} from './helpers/test-kefu.ts';

/**
 * An agent's open console follows their account: a session that ends takes its socket with it,
 * and a new role or other teams change what the socket receives at once, on every node.
 */
let kefu: TestKefu;
let url: string;
let desk: SetupIds;
let admin: TestAgent;
let adminSocket: Awaited<ReturnType<typeof connect>>;

beforeAll(async () => {
  kefu = await createTestKefu();
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  admin = await seedAgent(kefu, 'admin');
  adminSocket = await connect(url, '/agent', { cookie: admin.cookie });
});
afterAll(async () => {
  adminSocket?.socket.disconnect();
  await kefu.close();
});

async function asAdmin(method: 'PATCH' | 'POST' | 'DELETE', path: string, body?: unknown) {
  const response = await kefu.app.inject({
    method,
    url: path,
    headers: { cookie: admin.cookie },
    ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
  });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response;
}

/** A customer writes in English: a new conversation for the English team. */
async function newEnglishConversation(): Promise<string> {
  const session = await customerSession(url, desk.siteToken);
  const customer = await connect(url, '/customer', { token: session.contactToken });
  try {
    const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
      clientMessageId: `c-${randomUUID()}`,
      text: 'Hello, my USDT withdrawal has been pending for two hours',
    });
    if (!ack.ok) throw new Error(ack.error.message);
    return ack.message.conversationId;
  } finally {
    customer.socket.disconnect();
  }
}

type Created = { conversationId: string; teamId: string | null };

/** Waits until the admin's console has seen the conversation, so the others had their chance. */
async function seenByAdmin(conversationId: string) {
  await expectEventually(() =>
    expect(adminSocket.of<Created>('conversation:created').map((c) => c.conversationId)).toContain(
      conversationId,
    ),
  );
}

describe('console sockets follow the session', () => {
  it('signing out ends that console only; disabling the agent ends the rest, and they cannot reconnect', async () => {
    const agent = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn] });
    const laptopCookie = await loginCookie(kefu, agent.email, agent.password);
    const phone = await connect(url, '/agent', { cookie: agent.cookie });
    const laptop = await connect(url, '/agent', { cookie: laptopCookie });

    const out = await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: agent.cookie },
    });
    expect(out.statusCode).toBe(200);
    await expectEventually(() => expect(phone.socket.connected).toBe(false));
    // The same check looked at the laptop's socket and kept it.
    expect(laptop.socket.connected).toBe(true);
    const conversationId = await newEnglishConversation();
    await expectEventually(() =>
      expect(laptop.of<Created>('conversation:created').map((c) => c.conversationId)).toContain(
        conversationId,
      ),
    );

    await asAdmin('PATCH', `/api/v1/agents/${agent.id}`, { active: false });
    await expectEventually(() => expect(laptop.socket.connected).toBe(false));
    await expect(connect(url, '/agent', { cookie: laptopCookie })).rejects.toThrow(
      'auth.unauthenticated',
    );
  });

  it.each([
    [
      'an admin resets the password',
      (id: string) => asAdmin('POST', `/api/v1/agents/${id}/reset-password`, {}),
    ],
    [
      'an admin ends all sessions',
      (id: string) => asAdmin('DELETE', `/api/v1/agents/${id}/sessions`),
    ],
    ['an admin resets 2FA', (id: string) => asAdmin('POST', `/api/v1/agents/${id}/2fa/reset`)],
  ])('%s: the agent’s open console is disconnected', async (_name, act) => {
    const agent = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn] });
    const console = await connect(url, '/agent', { cookie: agent.cookie });
    expect(console.socket.connected).toBe(true);
    await act(agent.id);
    await expectEventually(() => expect(console.socket.connected).toBe(false));
  });

  it('a session that expires while the console is open ends at the next check', async () => {
    const agent = await seedAgent(kefu, 'agent');
    const console = await connect(url, '/agent', { cookie: agent.cookie });
    await kefu.node.realtime.recheckAgentSockets();
    expect(console.socket.connected).toBe(true);
    await kefu.deps.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.agentId, agent.id));
    await kefu.node.realtime.recheckAgentSockets();
    await expectEventually(() => expect(console.socket.connected).toBe(false));
    expect(adminSocket.socket.connected).toBe(true);
  });
});

describe('console sockets follow the role and the teams', () => {
  it('an agent added to a team while connected gets its new conversations at once; removed, no longer', async () => {
    const agent = await seedAgent(kefu, 'agent');
    const console = await connect(url, '/agent', { cookie: agent.cookie });

    await asAdmin('PATCH', `/api/v1/agents/${agent.id}`, { teamIds: [desk.teamEn] });
    await expectEventually(() => expect(console.of('access:changed')).toHaveLength(1));
    const first = await newEnglishConversation();
    await expectEventually(() =>
      expect(console.of<Created>('conversation:created')).toContainEqual(
        expect.objectContaining({ conversationId: first, teamId: desk.teamEn }),
      ),
    );

    await asAdmin('PATCH', `/api/v1/agents/${agent.id}`, { teamIds: [] });
    await expectEventually(() => expect(console.of('access:changed')).toHaveLength(2));
    const second = await newEnglishConversation();
    await seenByAdmin(second);
    expect(console.of<Created>('conversation:created').map((c) => c.conversationId)).toEqual([
      first,
    ]);

    // A change that leaves role and teams as they were tells the console nothing.
    await asAdmin('PATCH', `/api/v1/agents/${agent.id}`, { capacity: 7 });
    await kefu.node.realtime.recheckAgentSockets();
    expect(console.of('access:changed')).toHaveLength(2);
    expect(console.socket.connected).toBe(true);
    console.socket.disconnect();
  });

  it('a supervisor made an agent leaves the supervisors’ room and the conversations of other teams', async () => {
    const supervisor = await seedAgent(kefu, 'supervisor', { teamIds: [desk.teamZh] });
    const console = await connect(url, '/agent', { cookie: supervisor.cookie });
    const conversationId = await newEnglishConversation();
    await seenByAdmin(conversationId);
    expect(console.of<Created>('conversation:created').map((c) => c.conversationId)).toContain(
      conversationId,
    );
    const joined = await emitAck<{ ok: boolean }>(console.socket, 'conversation:join', {
      conversationId,
    });
    expect(joined.ok).toBe(true);

    await asAdmin('PATCH', `/api/v1/agents/${supervisor.id}`, { role: 'agent' });
    await expectEventually(() => expect(console.of('access:changed')).toHaveLength(1));

    // A new conversation of the English team no longer reaches the Chinese team's agent.
    const later = await newEnglishConversation();
    await seenByAdmin(later);
    expect(console.of<Created>('conversation:created').map((c) => c.conversationId)).not.toContain(
      later,
    );
    // The English conversation open on screen stopped streaming, and cannot be opened again.
    const refused = await emitAck<{ ok: boolean; error?: { code: string } }>(
      console.socket,
      'conversation:join',
      { conversationId },
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'conversation.not_found' } });
    const reply = await emitAck<TSendAck>(adminSocket.socket, 'message:send', {
      conversationId,
      clientMessageId: `c-${randomUUID()}`,
      text: 'Internal: checking the withdrawal queue',
      private: true,
    });
    if (!reply.ok) throw new Error(reply.error.message);
    await expectEventually(() =>
      expect(adminSocket.of<{ id: string }>('message:new').map((m) => m.id)).toContain(
        reply.message.id,
      ),
    );
    expect(console.of<{ id: string }>('message:new').map((m) => m.id)).not.toContain(
      reply.message.id,
    );
    console.socket.disconnect();
  });
});
