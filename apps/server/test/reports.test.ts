import { randomUUID } from 'node:crypto';
import type { TReport, TSendAck } from '@kefu/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAssistantSettings } from '../src/assistant/settings.ts';
import { auditEvents } from '../src/audit/schema.ts';
import { agents } from '../src/auth/schema.ts';
import { conversations, messages } from '../src/conversations/schema.ts';
import { systemActor } from '../src/deps.ts';
import { createSlaPolicy } from '../src/sla/policies.ts';
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

const clock = testClock(new Date('2026-02-28T12:00:00Z'));
let kefu: TestKefu;
let url: string;
let desk: SetupIds;
let agent: TestAgent;
let supervisor: TestAgent;
const MIN = 60_000;

async function api(who: TestAgent, method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      cookie: who.cookie,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  // Keep a byte-order mark: the CSV exports start with one.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: (response.headers.get('content-type')?.includes('json')
      ? JSON.parse(text)
      : {}) as Record<string, unknown>,
  };
}

async function ok(who: TestAgent, method: string, path: string, body?: unknown) {
  const result = await api(who, method, path, body);
  expect(result.status, `${method} ${path}: ${result.text}`).toBeLessThan(300);
  return result;
}

type Customer = Awaited<ReturnType<typeof connect>> & {
  token: string;
  conversationId: string;
};

async function customerWrites(text: string): Promise<Customer> {
  const session = await customerSession(url, desk.siteToken);
  const customer = await connect(url, '/customer', { token: session.contactToken });
  const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
    clientMessageId: `c-${randomUUID()}`,
    text,
  });
  if (!ack.ok) throw new Error(ack.error.message);
  return { ...customer, token: session.contactToken, conversationId: ack.message.conversationId };
}

async function writesAgain(customer: Customer, text: string) {
  const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
    clientMessageId: `c-${randomUUID()}`,
    conversationId: customer.conversationId,
    text,
  });
  if (!ack.ok) throw new Error(ack.error.message);
}

async function rate(customer: Customer, score: number) {
  const response = await fetch(
    `${url}/api/v1/customer/conversations/${customer.conversationId}/csat`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${customer.token}` },
      body: JSON.stringify({ score }),
    },
  );
  expect(response.status).toBe(200);
}

const at = (iso: string) => clock.set(new Date(iso));
const assign = (c: Customer) =>
  ok(supervisor, 'POST', `/api/v1/conversations/${c.conversationId}/assign`, {
    agentId: agent.id,
  });
const reply = (c: Customer) =>
  ok(agent, 'POST', `/api/v1/conversations/${c.conversationId}/messages`, {
    text: 'Thanks for waiting, let me check that for you.',
  });
const resolve = (c: Customer, who: TestAgent = agent) =>
  ok(who, 'POST', `/api/v1/conversations/${c.conversationId}/status`, { status: 'resolved' });

async function assistantAnswered(c: Customer, count = 1) {
  await expectEventually(async () => {
    const rows = await kefu.deps.db
      .select()
      .from(messages)
      .where(
        and(eq(messages.conversationId, c.conversationId), eq(messages.senderType, 'assistant')),
      );
    expect(rows.length).toBeGreaterThanOrEqual(count);
  }, 15_000);
}

async function report(query: string): Promise<TReport> {
  const result = await ok(supervisor, 'GET', `/api/v1/reports?${query}`);
  return result.body as unknown as TReport;
}

const customers: Record<string, Customer> = {};

beforeAll(async () => {
  kefu = await createTestKefu({ clock, env: { KEFU_SESSION_TTL_HOURS: '2160' } });
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  agent = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn] });
  await kefu.deps.db.update(agents).set({ name: '李娜 Li' }).where(eq(agents.id, agent.id));
  supervisor = await seedAgent(kefu, 'supervisor');
  await createSlaPolicy(kefu.deps, systemActor, {
    name: 'Standard',
    priority: null,
    vipMin: null,
    channel: null,
    businessHoursOnly: false,
    firstResponseMinutes: 30,
    nextResponseMinutes: 60,
    resolutionMinutes: 24 * 60,
    warnBeforeMinutes: 10,
    breachActions: { raisePriority: false, reassignToTeamId: null, notifySupervisors: false },
    position: 0,
    active: true,
  });

  // The day before the period: never counted below.
  customers.c0 = await customerWrites('An old question about my account');

  // Three conversations handled by a person, on 2 March 2026 (UTC).
  at('2026-03-02T01:00:00Z');
  const c1 = await customerWrites('My deposit has not arrived yet');
  customers.c1 = c1;
  clock.advance(2 * MIN);
  await assign(c1);
  clock.advance(3 * MIN);
  await reply(c1);
  at('2026-03-02T02:00:00Z');
  await resolve(c1);
  await rate(c1, 5);

  const c2 = await customerWrites('Why is my withdrawal still pending?');
  customers.c2 = c2;
  clock.advance(10 * MIN);
  await assign(c2);
  clock.advance(10 * MIN);
  await reply(c2);
  at('2026-03-02T05:00:00Z');
  await resolve(c2);
  await rate(c2, 2);

  at('2026-03-02T06:00:00Z');
  const c3 = await customerWrites('I cannot log in to my account');
  customers.c3 = c3;
  // The SLA timer is scheduled once the conversation's deadlines are computed.
  await expectEventually(async () => {
    const [row] = await kefu.deps.db
      .select()
      .from(conversations)
      .where(eq(conversations.id, c3.conversationId));
    expect(row?.firstResponseDueAt).toEqual(new Date('2026-03-02T06:30:00Z'));
  });
  clock.advance(40 * MIN);
  kefu.deps.kickJobs();
  await expectEventually(async () => {
    const breaches = await kefu.deps.db
      .select()
      .from(messages)
      .where(
        and(eq(messages.conversationId, c3.conversationId), eq(messages.text, 'sla_breached')),
      );
    expect(breaches).toHaveLength(1);
  }, 10_000);
  await assign(c3);
  await reply(c3);

  // The assistant answers the next three.
  await saveAssistantSettings(kefu.deps.db, { enabled: true, humanForVipFrom: null });
  at('2026-03-02T08:00:00Z');
  const c4 = await customerWrites('What are the trading fees?');
  customers.c4 = c4;
  await assistantAnswered(c4);
  clock.advance(10 * MIN);
  await resolve(c4, supervisor);

  at('2026-03-02T10:00:00Z');
  const c6 = await customerWrites('What are the trading fees?');
  customers.c6 = c6;
  await assistantAnswered(c6);
  clock.advance(5 * MIN);
  await resolve(c6, supervisor);
  clock.advance(5 * MIN);
  await writesAgain(c6, 'One more question about the fees for VIP levels');
  await assistantAnswered(c6, 2);
  clock.advance(10 * MIN);
  await resolve(c6, supervisor);

  at('2026-03-02T10:30:00Z');
  const c5 = await customerWrites('I want to talk to a human agent please');
  customers.c5 = c5;
  await expectEventually(async () => {
    const rows = await kefu.deps.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.targetId, c5.conversationId),
          eq(auditEvents.action, 'conversation.handoff'),
        ),
      );
    expect(rows).toHaveLength(1);
  }, 15_000);
}, 120_000);
afterAll(async () => {
  for (const c of Object.values(customers)) c.socket.disconnect();
  await kefu.close();
});

describe('reports', () => {
  it('counts the period exactly: volume, response times, SLA, CSAT, assistant, queue, agents', async () => {
    const r = await report('from=2026-03-02&to=2026-03-02&tz=UTC');
    expect(r.range).toEqual({ from: '2026-03-02', to: '2026-03-02', tz: 'UTC' });
    expect(r.volume.total).toBe(6);
    expect(r.volume.byDay).toEqual([{ day: '2026-03-02', count: 6 }]);
    expect(r.volume.byChannel).toEqual([{ channel: 'widget', count: 6 }]);
    expect(r.volume.byIntent.reduce((s, i) => s + i.count, 0)).toBe(6);
    expect(r.volume.byIntent.find((i) => i.intent === null)?.count).toBe(3);
    const hours = Object.fromEntries(
      r.volume.byHour.filter((h) => h.count > 0).map((h) => [h.hour, h.count]),
    );
    expect(r.volume.byHour).toHaveLength(24);
    expect(hours).toEqual({ 1: 1, 2: 1, 6: 1, 8: 1, 10: 2 });

    // First replies after 5, 20 and 40 minutes.
    expect(r.responseTimes.firstResponse).toEqual({
      count: 3,
      medianSeconds: 1200,
      p90Seconds: 2160,
    });
    // Resolved after 1 h, 3 h (people), 10 and 20 minutes (assistant).
    expect(r.responseTimes.resolution).toEqual({
      count: 4,
      medianSeconds: 2400,
      p90Seconds: 8640,
    });
    expect(r.sla).toEqual([
      { target: 'firstResponse', met: 2, breached: 1 },
      { target: 'nextResponse', met: 0, breached: 0 },
      { target: 'resolution', met: 4, breached: 0 },
    ]);
    expect(r.csat.count).toBe(2);
    expect(r.csat.average).toBe(3.5);
    expect(r.csat.distribution).toEqual([
      { score: 1, count: 0 },
      { score: 2, count: 1 },
      { score: 3, count: 0 },
      { score: 4, count: 0 },
      { score: 5, count: 1 },
    ]);
    expect(r.csat.trend).toEqual([{ day: '2026-03-02', average: 3.5, count: 2 }]);
    // Three answered by the assistant: one closed without a person, one reopened, one handed off.
    expect(r.assistant).toEqual({
      handled: 3,
      resolved: 1,
      rate: 0.3333,
      handoffs: 1,
      handoffReasons: [{ reason: 'human_request', count: 1 }],
    });
    // Waited 2, 10 and 40 minutes for an agent.
    expect(r.queue).toEqual({ count: 3, medianSeconds: 600, p90Seconds: 2040 });
    expect(r.agents).toEqual([
      {
        agentId: agent.id,
        name: '李娜 Li',
        handled: 3,
        firstResponseMedianSeconds: 1200,
        resolutionMedianSeconds: 7200,
        csatAverage: 3.5,
        csatCount: 2,
        qualityScore: null,
        reviews: 0,
      },
    ]);
  });

  it('cuts days and hours in the time zone asked for, and filters by team and channel', async () => {
    const shanghai = await report('from=2026-03-02&to=2026-03-02&tz=Asia/Shanghai');
    expect(shanghai.volume.total).toBe(6);
    const hours = shanghai.volume.byHour.filter((h) => h.count > 0).map((h) => h.hour);
    expect(hours).toEqual([9, 10, 14, 16, 18]);

    const before = await report('from=2026-02-28&to=2026-03-01&tz=UTC');
    expect(before.volume.total).toBe(1);
    expect(before.volume.byDay).toEqual([
      { day: '2026-02-28', count: 1 },
      { day: '2026-03-01', count: 0 },
    ]);

    const zhTeam = await report(`from=2026-03-02&to=2026-03-02&teamId=${desk.teamZh}`);
    expect(zhTeam.volume.total).toBe(0);
    expect(zhTeam.responseTimes.firstResponse).toEqual({
      count: 0,
      medianSeconds: null,
      p90Seconds: null,
    });
    const enTeam = await report(`from=2026-03-02&to=2026-03-02&teamId=${desk.teamEn}`);
    expect(enTeam.volume.total).toBe(6);
    const email = await report('from=2026-03-02&to=2026-03-02&channel=email');
    expect(email.volume.total).toBe(0);
    expect(email.assistant.rate).toBeNull();

    // Without dates: the 30 days up to today in the time zone.
    const recent = await report('tz=UTC');
    expect(recent.range).toEqual({ from: '2026-02-01', to: '2026-03-02', tz: 'UTC' });
    expect(recent.volume.total).toBe(7);
  });

  it('exports each report as CSV a spreadsheet opens, Chinese included', async () => {
    const agentsCsv = await ok(
      supervisor,
      'GET',
      '/api/v1/reports/agents/csv?from=2026-03-02&to=2026-03-02',
    );
    expect(agentsCsv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(agentsCsv.headers.get('content-disposition')).toBe(
      'attachment; filename="kefu-agents-2026-03-02-2026-03-02.csv"',
    );
    expect(agentsCsv.text.charCodeAt(0)).toBe(0xfeff);
    expect(agentsCsv.text.slice(1).split('\r\n')).toEqual([
      'agent,handled,first_response_median_seconds,resolution_median_seconds,csat_average,csat_ratings,quality_score,quality_reviews',
      '李娜 Li,3,1200,7200,3.5,2,,0',
      '',
    ]);
    const sla = await ok(
      supervisor,
      'GET',
      '/api/v1/reports/sla/csv?from=2026-03-02&to=2026-03-02',
    );
    expect(sla.text.slice(1).split('\r\n').slice(0, 2)).toEqual([
      'target,met,breached,compliance',
      'firstResponse,2,1,0.6667',
    ]);
    for (const name of ['volume', 'response-times', 'csat', 'assistant', 'queue']) {
      const csv = await ok(supervisor, 'GET', `/api/v1/reports/${name}/csv?tz=UTC`);
      expect(csv.text.split('\r\n').length).toBeGreaterThan(2);
    }
  });

  it('refuses agents and explains bad queries', async () => {
    expect((await api(agent, 'GET', '/api/v1/reports')).status).toBe(403);
    expect((await api(agent, 'GET', '/api/v1/reports/agents/csv')).status).toBe(403);
    const badZone = await api(supervisor, 'GET', '/api/v1/reports?tz=Mars/Olympus');
    expect(badZone.status).toBe(400);
    expect(JSON.stringify(badZone.body)).toContain('time zone');
    const backwards = await api(supervisor, 'GET', '/api/v1/reports?from=2026-03-05&to=2026-03-01');
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body)).toContain('`from` must be on or before `to`');
    expect((await api(supervisor, 'GET', '/api/v1/reports?from=2026-13-45')).status).toBe(400);
    expect((await api(supervisor, 'GET', '/api/v1/reports/nothing/csv')).status).toBe(400);
  });
});

describe('quality reviews', () => {
  const scores = { responseSpeed: 3, attitude: 4, resolution: 2, followUp: 3, accuracy: 3 };

  it("scores a queued conversation against the rubric, takes it off the queue, and counts in the agent's quality", async () => {
    const c2 = customers.c2 as Customer;
    const queue = await ok(supervisor, 'GET', '/api/v1/reviews/queue');
    const queued = (queue.body.conversations as { id: string }[]).map((c) => c.id);
    expect(queued).toContain(c2.conversationId);

    const created = await api(supervisor, 'POST', '/api/v1/reviews', {
      conversationId: c2.conversationId,
      scores,
      comment: 'Slow to confirm the network; the customer had to ask twice.',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      conversationId: c2.conversationId,
      agentId: agent.id,
      agentName: '李娜 Li',
      reviewerId: supervisor.id,
      scores,
      score: 3,
    });
    const after = await ok(supervisor, 'GET', '/api/v1/reviews/queue');
    expect((after.body.conversations as { id: string }[]).map((c) => c.id)).not.toContain(
      c2.conversationId,
    );
    clock.advance(MIN);
    await ok(supervisor, 'POST', '/api/v1/reviews', {
      conversationId: (customers.c1 as Customer).conversationId,
      scores: { responseSpeed: 5, attitude: 5, resolution: 5, followUp: 5, accuracy: 4 },
    });

    const history = await ok(supervisor, 'GET', `/api/v1/reviews?agentId=${agent.id}`);
    const reviews = history.body.reviews as { score: number; comment: string }[];
    expect(reviews.map((r) => r.score)).toEqual([4.8, 3]);

    const r = await report('from=2026-03-02&to=2026-03-02');
    expect(r.agents[0]).toMatchObject({ qualityScore: 3.9, reviews: 2 });
  });

  it('refuses agents and out-of-rubric scores', async () => {
    const c1 = (customers.c1 as Customer).conversationId;
    const byAgent = await api(agent, 'POST', '/api/v1/reviews', { conversationId: c1, scores });
    expect(byAgent.status).toBe(403);
    const tooHigh = await api(supervisor, 'POST', '/api/v1/reviews', {
      conversationId: c1,
      scores: { ...scores, attitude: 6 },
    });
    expect(tooHigh.status).toBe(400);
    expect(JSON.stringify(tooHigh.body)).toContain('Scores are 1 to 5');
    const missing = await api(supervisor, 'POST', '/api/v1/reviews', {
      conversationId: randomUUID(),
      scores,
    });
    expect(missing.status).toBe(404);
  });
});
