import { randomUUID } from 'node:crypto';
import type { TConversation, TCsatAck, TMessage, TSendAck } from '@kefu/shared';
import { translate } from '@kefu/shared/i18n';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../src/audit/schema.ts';
import { conversations, messages } from '../src/conversations/schema.ts';
import { refuseWrites } from './helpers/faults.ts';
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
  seedAgent,
  type TestAgent,
  type TestKefu,
  testClock,
} from './helpers/test-kefu.ts';

const clock = testClock();
let kefu: TestKefu;
let url: string;
let desk: SetupIds;
let agent: TestAgent;
let supervisor: TestAgent;

async function api(who: TestAgent, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      cookie: who.cookie,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function rate(token: string, conversationId: string, body: unknown) {
  const response = await fetch(`${url}/api/v1/customer/conversations/${conversationId}/csat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A customer with an open socket and a conversation of theirs. */
async function customerWithConversation(text: string) {
  const session = await customerSession(url, desk.siteToken);
  const customer = await connect(url, '/customer', { token: session.contactToken });
  const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
    clientMessageId: `c-${randomUUID()}`,
    text,
  });
  if (!ack.ok) throw new Error(ack.error.message);
  return {
    ...customer,
    token: session.contactToken,
    conversationId: ack.message.conversationId,
    number: ack.conversationNumber,
  };
}

async function conversationRow(id: string) {
  const [row] = await kefu.deps.db.select().from(conversations).where(eq(conversations.id, id));
  if (!row) throw new Error('no conversation');
  return row;
}

async function resolve(id: string, who: TestAgent = agent) {
  const resolved = await api(who, 'POST', `/api/v1/conversations/${id}/status`, {
    status: 'resolved',
  });
  expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
}

const isCsatRequest = (number: number) => (m: TMessage) =>
  m.senderType === 'system' && m.text === translate('en', 'customer.csatRequest', { number });

beforeAll(async () => {
  // The clock moves a day ahead in the first test: agent sessions must outlive it.
  kefu = await createTestKefu({ clock, env: { KEFU_SESSION_TTL_HOURS: '2160' } });
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  agent = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn] });
  supervisor = await seedAgent(kefu, 'supervisor');
});
afterAll(() => kefu.close());

describe('customer satisfaction after resolution', () => {
  it('asks on resolve, takes a low rating over the socket, and alerts the supervisors', async () => {
    const supervisorSocket = await connect(url, '/agent', { cookie: supervisor.cookie });
    const customer = await customerWithConversation('My withdrawal has been pending for 2 days');
    try {
      await resolve(customer.conversationId);

      // The request reaches the customer's open widget, in their language.
      const request = await expectEventually(() => {
        const m = customer.of<TMessage>('message:new').find(isCsatRequest(customer.number));
        expect(m).toBeDefined();
        return m as TMessage;
      });
      const [stored] = await kefu.deps.db
        .select()
        .from(messages)
        .where(eq(messages.id, request.id));
      expect(stored?.meta).toMatchObject({ kind: 'csat_request' });
      expect(stored?.private).toBe(false);
      expect((await conversationRow(customer.conversationId)).csatRequestedAt).not.toBeNull();

      // Resolving again without a word from the customer does not ask twice.
      await api(agent, 'POST', `/api/v1/conversations/${customer.conversationId}/status`, {
        status: 'open',
      });
      await resolve(customer.conversationId);
      const requests = await kefu.deps.db
        .select()
        .from(messages)
        .where(eq(messages.conversationId, customer.conversationId));
      expect(requests.filter((m) => m.meta.kind === 'csat_request')).toHaveLength(1);

      const ack = await emitAck<TCsatAck>(customer.socket, 'csat:submit', {
        conversationId: customer.conversationId,
        score: 1,
        comment: 'Nobody answered me for two days',
      });
      if (!ack.ok) throw new Error(ack.error.message);
      expect(ack.csat).toMatchObject({
        conversationId: customer.conversationId,
        number: customer.number,
        score: 1,
        comment: 'Nobody answered me for two days',
      });

      const row = await conversationRow(customer.conversationId);
      expect(row).toMatchObject({
        csatScore: 1,
        csatComment: 'Nobody answered me for two days',
        needsReview: true,
      });
      await expectEventually(() => {
        const notification = supervisorSocket
          .of<{ kind: string; conversationId: string; number: number }>('notification')
          .find((n) => n.kind === 'review' && n.conversationId === customer.conversationId);
        expect(notification?.number).toBe(customer.number);
      });
      const audit = await kefu.deps.db
        .select()
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.action, 'csat.submitted'),
            eq(auditEvents.targetId, customer.conversationId),
          ),
        );
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorType: 'contact', data: { score: 1 } });

      // Supervisors see it in the review queue; agents may not look.
      const queue = await api(supervisor, 'GET', '/api/v1/reviews/queue');
      expect(queue.status).toBe(200);
      expect(
        (queue.body.conversations as TConversation[]).find((c) => c.id === customer.conversationId),
      ).toMatchObject({ csatScore: 1, needsReview: true });
      expect((await api(agent, 'GET', '/api/v1/reviews/queue')).status).toBe(403);

      // Within 24 hours a new rating replaces it (over HTTP this time); the review stays.
      clock.advance(3 * 3_600_000);
      const changed = await rate(customer.token, customer.conversationId, { score: 4 });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(await conversationRow(customer.conversationId)).toMatchObject({
        csatScore: 4,
        csatComment: null,
        needsReview: true,
      });
      // After 24 hours it stands.
      clock.advance(22 * 3_600_000);
      const late = await rate(customer.token, customer.conversationId, { score: 5 });
      expect(late.status).toBe(409);
      expect((late.body.error as { code: string }).code).toBe('csat.already_submitted');
      expect((await conversationRow(customer.conversationId)).csatScore).toBe(4);

      // A supervisor clears it from the queue.
      const done = await api(
        supervisor,
        'POST',
        `/api/v1/reviews/${customer.conversationId}/complete`,
      );
      expect(done.status).toBe(200);
      const after = await api(supervisor, 'GET', '/api/v1/reviews/queue');
      expect(
        (after.body.conversations as TConversation[]).some((c) => c.id === customer.conversationId),
      ).toBe(false);
    } finally {
      supervisorSocket.socket.disconnect();
      customer.socket.disconnect();
    }
  });

  it('a resolution and its rating request commit together: when the request cannot be stored, neither is', async () => {
    const customer = await customerWithConversation('Where is my ETH withdrawal?');
    // The database refuses the rating request (a fault injected in the real database).
    const restore = await refuseWrites(kefu.deps.db, {
      table: 'messages',
      on: 'insert',
      when: "new.meta->>'kind' = 'csat_request'",
      message: 'no room for it',
    });
    try {
      const refused = await api(
        agent,
        'POST',
        `/api/v1/conversations/${customer.conversationId}/status`,
        {
          status: 'resolved',
        },
      );
      expect(refused.status).toBeGreaterThanOrEqual(500);
      const row = await conversationRow(customer.conversationId);
      expect({ status: row.status, csatRequestedAt: row.csatRequestedAt }).toEqual({
        status: 'open',
        csatRequestedAt: null,
      });
    } finally {
      await restore();
    }
    // Resolved again once the database takes it: the customer is asked.
    await resolve(customer.conversationId);
    await expectEventually(() =>
      expect(customer.of<TMessage>('message:new').some(isCsatRequest(customer.number))).toBe(true),
    );
    customer.socket.disconnect();
  });

  it("refuses another customer's conversation with 404, by HTTP and socket", async () => {
    const owner = await customerWithConversation('Please close my account');
    const stranger = await customerWithConversation('Hello');
    try {
      await resolve(owner.conversationId);
      const http = await rate(stranger.token, owner.conversationId, { score: 5 });
      expect(http.status).toBe(404);
      expect((http.body.error as { code: string }).code).toBe('conversation.not_found');
      const unknown = await rate(stranger.token, randomUUID(), { score: 5 });
      expect(unknown.status).toBe(404);
      const socket = await emitAck<TCsatAck>(stranger.socket, 'csat:submit', {
        conversationId: owner.conversationId,
        score: 5,
      });
      expect(socket).toMatchObject({ ok: false, error: { code: 'conversation.not_found' } });
      expect((await conversationRow(owner.conversationId)).csatScore).toBeNull();
      const anonymous = await fetch(
        `${url}/api/v1/customer/conversations/${owner.conversationId}/csat`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ score: 5 }),
        },
      );
      expect(anonymous.status).toBe(401);
    } finally {
      owner.socket.disconnect();
      stranger.socket.disconnect();
    }
  });

  it('answers 400 for a bad score or comment, and 409 before the customer was asked', async () => {
    const customer = await customerWithConversation('Is the ETH network under maintenance?');
    try {
      const notAsked = await rate(customer.token, customer.conversationId, { score: 5 });
      expect(notAsked.status).toBe(409);
      expect((notAsked.body.error as { code: string }).code).toBe('csat.not_requested');

      await resolve(customer.conversationId);
      for (const body of [
        { score: 0 },
        { score: 6 },
        { score: 2.5 },
        { score: 'five' },
        {},
        { score: 3, comment: 'x'.repeat(1001) },
        { score: 3, extra: true },
      ]) {
        const bad = await rate(customer.token, customer.conversationId, body);
        expect(bad.status, JSON.stringify(body)).toBe(400);
        expect((bad.body.error as { code: string }).code).toBe('request.invalid');
      }
      const badSocket = await emitAck<TCsatAck>(customer.socket, 'csat:submit', {
        conversationId: customer.conversationId,
        score: 9,
      });
      expect(badSocket).toMatchObject({ ok: false, error: { code: 'request.invalid' } });
      expect((await conversationRow(customer.conversationId)).csatScore).toBeNull();

      // A good score is no case for review.
      const good = await rate(customer.token, customer.conversationId, {
        score: 5,
        comment: 'Quick and clear, thanks',
      });
      expect(good.status).toBe(200);
      expect((await conversationRow(customer.conversationId)).needsReview).toBe(false);
    } finally {
      customer.socket.disconnect();
    }
  });

  it('sends a commented complaint to review whatever the score, and masks secrets in comments', async () => {
    const customer = await customerWithConversation('I want to file a complaint about an agent');
    try {
      const marked = await api(agent, 'PATCH', `/api/v1/conversations/${customer.conversationId}`, {
        intent: 'support.complaint',
      });
      expect(marked.status, JSON.stringify(marked.body)).toBe(200);
      await resolve(customer.conversationId);
      const rated = await rate(customer.token, customer.conversationId, {
        score: 4,
        comment:
          'Solved, but I had to give my words abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
      });
      expect(rated.status, JSON.stringify(rated.body)).toBe(200);
      const row = await conversationRow(customer.conversationId);
      expect(row.needsReview).toBe(true);
      expect(row.csatComment).not.toContain('abandon');
      expect(row.csatComment).toContain('Solved, but I had to give my words');
    } finally {
      customer.socket.disconnect();
    }
  });

  it('asks in Chinese when the customer wrote Chinese', async () => {
    const customer = await customerWithConversation('我的提现一直在处理中');
    try {
      // It went to the Chinese team: a supervisor resolves it.
      await resolve(customer.conversationId, supervisor);
      const text = translate('zh-CN', 'customer.csatRequest', { number: customer.number });
      await expectEventually(() => {
        expect(customer.of<TMessage>('message:new').some((m) => m.text === text)).toBe(true);
      });
    } finally {
      customer.socket.disconnect();
    }
  });
});
