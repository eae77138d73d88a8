import { createHmac, randomUUID } from 'node:crypto';
import type { TConversation, TConversationCounts } from '@kefu/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from '../src/contacts/schema.ts';
import { systemActor } from '../src/deps.ts';
import { createSlaPolicy } from '../src/sla/policies.ts';
import { expectEventually, listen, type SetupIds, seedSupportDesk } from './helpers/realtime.ts';
import {
  createTestKefu,
  seedAgent,
  type TestAgent,
  type TestKefu,
  testClock,
} from './helpers/test-kefu.ts';

const clock = testClock(new Date('2026-04-01T08:00:00Z'));
let kefu: TestKefu;
let url: string;
let desk: SetupIds;
let agentEn: TestAgent;
let agentZh: TestAgent;
let supervisor: TestAgent;

type Created = { id: string; number: number; uid: string; email: string };

/** A signed-in customer of the exchange writes through the widget API. */
async function customerWrites(text: string, name: string): Promise<Created> {
  const uid = `UID${Math.floor(Math.random() * 1e9)}`;
  const email = `${name.toLowerCase().replace(/\W/g, '')}-${randomUUID().slice(0, 6)}@mail.example`;
  const session = await fetch(`${url}/api/v1/widget/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      siteToken: desk.siteToken,
      identity: {
        exchangeUid: uid,
        name,
        email,
        signature: createHmac('sha256', desk.identitySecret).update(uid).digest('hex'),
      },
    }),
  }).then((r) => r.json() as Promise<{ contactToken: string; contactId: string }>);
  const response = await fetch(`${url}/api/v1/customer/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${session.contactToken}`,
    },
    body: JSON.stringify({ clientMessageId: `c-${randomUUID()}`, text }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as {
    conversationId?: string;
    message?: { conversationId: string };
  };
  const id = body.conversationId ?? body.message?.conversationId ?? '';
  const conversation = await get(supervisor, `/api/v1/conversations/${id}`);
  return { id, number: (conversation.body as TConversation).number, uid, email };
}

async function get(who: TestAgent, path: string) {
  const response = await fetch(`${url}${path}`, { headers: { cookie: who.cookie } });
  return { status: response.status, body: (await response.json()) as unknown };
}

async function search(who: TestAgent, query: Record<string, string>): Promise<string[]> {
  const result = await get(who, `/api/v1/conversations?${new URLSearchParams(query)}`);
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return (result.body as { conversations: TConversation[] }).conversations.map((c) => c.id);
}

let zhWithdrawal: Created;
let enDeposit: Created;
let enVip: Created;
const txid = `0x9f3c${randomUUID().replaceAll('-', '')}`;

beforeAll(async () => {
  kefu = await createTestKefu({ clock, env: { KEFU_SESSION_TTL_HOURS: '2160' } });
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  agentEn = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn] });
  agentZh = await seedAgent(kefu, 'agent', { teamIds: [desk.teamZh], languages: ['zh-CN'] });
  supervisor = await seedAgent(kefu, 'supervisor');
  await createSlaPolicy(kefu.deps, systemActor, {
    name: 'Standard',
    priority: null,
    vipMin: null,
    channel: null,
    businessHoursOnly: false,
    firstResponseMinutes: 30,
    nextResponseMinutes: null,
    resolutionMinutes: null,
    warnBeforeMinutes: 5,
    breachActions: { raisePriority: false, reassignToTeamId: null, notifySupervisors: false },
    position: 0,
    active: true,
  });
  zhWithdrawal = await customerWrites(
    `你好，我的提币已经三个小时了还没到账，交易哈希 ${txid}`,
    '王芳',
  );
  clock.advance(40 * 60_000);
  enDeposit = await customerWrites(
    'Hello, my USDT deposit is missing since this morning',
    'Olivia Brown',
  );
  enVip = await customerWrites('Can I raise my withdrawal limit?', 'Liam Smith');
  await kefu.deps.db
    .update(contacts)
    .set({ vipLevel: 2 })
    .where(eq(contacts.exchangeUid, enVip.uid));
  // Deadlines are computed after the commit; the first conversation's is 20 minutes away.
  await expectEventually(async () => {
    const result = await get(supervisor, `/api/v1/conversations/${zhWithdrawal.id}`);
    expect((result.body as TConversation).sla.firstResponseDueAt).toBe('2026-04-01T08:30:00.000Z');
    for (const other of [enDeposit, enVip]) {
      const conversation = await get(supervisor, `/api/v1/conversations/${other.id}`);
      expect((conversation.body as TConversation).sla.firstResponseDueAt).not.toBeNull();
    }
  });
  await fetch(`${url}/api/v1/conversations/${enDeposit.id}`, {
    method: 'PATCH',
    headers: { cookie: supervisor.cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ priority: 'urgent', labels: ['usdt'] }),
  });
}, 60_000);
afterAll(() => kefu.close());

describe('inbox search', () => {
  it('finds a conversation by a Chinese phrase, cut into words by jieba', async () => {
    expect(await search(supervisor, { q: '提币' })).toEqual([zhWithdrawal.id]);
    // Not a substring of the message: the words 提币 and 到账 both are.
    expect(await search(supervisor, { q: '提币到账' })).toEqual([zhWithdrawal.id]);
    expect(await search(supervisor, { q: '充值' })).toEqual([]);
  });

  it('finds by ticket number, exchange UID, email, name and a TxID fragment', async () => {
    expect(await search(supervisor, { q: `#${enDeposit.number}` })).toEqual([enDeposit.id]);
    expect(await search(supervisor, { q: enVip.uid })).toEqual([enVip.id]);
    expect(await search(supervisor, { q: enDeposit.email.toUpperCase() })).toEqual([enDeposit.id]);
    expect(await search(supervisor, { q: 'olivia' })).toEqual([enDeposit.id]);
    expect(await search(supervisor, { q: txid.slice(10, 24) })).toEqual([zhWithdrawal.id]);
    expect((await search(supervisor, { q: 'withdrawal' })).sort()).toEqual([enVip.id].sort());
    // Every word must match; % and _ are letters, not wildcards.
    expect(await search(supervisor, { q: 'deposit morning' })).toEqual([enDeposit.id]);
    expect(await search(supervisor, { q: 'deposit 提币' })).toEqual([]);
    expect(await search(supervisor, { q: '%' })).toEqual([]);
  });

  it('searches only what the agent may see', async () => {
    expect(await search(agentEn, { q: '提币' })).toEqual([]);
    expect(await search(agentZh, { q: '提币' })).toEqual([zhWithdrawal.id]);
  });

  it('filters by channel, priority, label, language, VIP and SLA due soon, with counts per view', async () => {
    expect(await search(supervisor, { priority: 'urgent' })).toEqual([enDeposit.id]);
    expect(await search(supervisor, { label: 'usdt' })).toEqual([enDeposit.id]);
    expect((await search(supervisor, { language: 'en' })).sort()).toEqual(
      [enDeposit.id, enVip.id].sort(),
    );
    expect(await search(supervisor, { vip: 'true' })).toEqual([enVip.id]);
    expect(await search(supervisor, { channel: 'email' })).toEqual([]);
    expect((await search(supervisor, { channel: 'widget' })).length).toBe(3);
    // 08:40 now: the first conversation is due at 08:30 (overdue), the others at 09:10 and 09:10.
    const due = await search(supervisor, { view: 'due' });
    expect(due[0]).toBe(zhWithdrawal.id);
    expect(due.sort()).toEqual([zhWithdrawal.id, enDeposit.id, enVip.id].sort());

    const counts = await get(supervisor, '/api/v1/conversations/counts?language=en');
    expect(counts.body as TConversationCounts).toEqual({
      mine: 0,
      unassigned: 2,
      teams: 0,
      all: 2,
      due: 2,
    });
    const agentCounts = await get(agentZh, '/api/v1/conversations/counts?q=%E6%8F%90%E5%B8%81');
    expect(agentCounts.body as TConversationCounts).toMatchObject({ unassigned: 1, teams: 1 });
  });

  it('explains a bad filter', async () => {
    const tooLong = await get(supervisor, `/api/v1/conversations?q=${'x'.repeat(201)}`);
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body)).toContain('at most 200 characters');
    expect((await get(supervisor, '/api/v1/conversations?vip=maybe')).status).toBe(400);
    expect((await get(supervisor, '/api/v1/conversations/counts?priority=huge')).status).toBe(400);
  });
});
