import { randomUUID } from 'node:crypto';
import type { TAnnouncement, TMessage, TPublicAnnouncement, TSendAck } from '@kefu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoKnowledge } from '../src/demo/seed-knowledge.ts';
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
  errorOf,
  seedAgent,
  type TestAgent,
  type TestKefu,
} from './helpers/test-kefu.ts';

let kefu: TestKefu;
let url: string;
let desk: SetupIds;
let admin: TestAgent;
let agent: TestAgent;

const ETH_INCIDENT = {
  severity: 'incident',
  text: {
    en: 'ETH withdrawals delayed: network congestion',
    'zh-CN': 'ETH 提币延迟：网络拥堵',
  },
  details: {
    en: 'Your funds are safe; withdrawals go out as soon as the network clears.',
    'zh-CN': '您的资产安全，网络恢复后提币将自动完成。',
  },
  intents: ['withdrawal.pending', 'withdrawal.failed'],
  keywords: ['withdraw', '提币', '提现'],
  assets: ['eth'],
};

beforeAll(async () => {
  kefu = await createTestKefu({ assistant: true });
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  admin = await seedAgent(kefu, 'admin');
  agent = await seedAgent(kefu, 'agent');
  await seedDemoKnowledge(kefu.deps);
});
afterAll(() => kefu.close());

async function publish(payload: unknown, cookie = admin.cookie) {
  return kefu.app.inject({
    method: 'POST',
    url: '/api/v1/announcements',
    headers: { cookie },
    payload: payload as Record<string, unknown>,
  });
}

async function resolve(id: string) {
  return kefu.app.inject({
    method: 'POST',
    url: `/api/v1/announcements/${id}/resolve`,
    headers: { cookie: admin.cookie },
  });
}

async function customer(locale?: 'en' | 'zh-CN') {
  const session = await customerSession(url, desk.siteToken, locale ? { locale } : {});
  const socket = await connect(url, '/customer', { token: session.contactToken });
  return { ...socket, session };
}

async function ask(c: Awaited<ReturnType<typeof customer>>, text: string, locale?: string) {
  const ack = await emitAck<TSendAck>(c.socket, 'message:send', {
    clientMessageId: `c-${randomUUID()}`,
    text,
    ...(locale ? { locale } : {}),
  });
  if (!ack.ok) throw new Error(ack.error.message);
  return expectEventually(() => {
    const m = c
      .of<TMessage>('message:new')
      .find((x) => x.senderType === 'assistant' && x.seq > ack.message.seq);
    expect(m).toBeDefined();
    return m as TMessage;
  }, 10_000);
}

describe('announcements API', () => {
  it('validates input with messages a person understands', async () => {
    const missing = await publish({ severity: 'incident', text: { en: 'Only English' } });
    expect(missing.statusCode).toBe(400);
    expect(errorOf(missing).message).toMatch(/zh-CN/);

    const backwards = await publish({
      ...ETH_INCIDENT,
      startsAt: '2030-01-02T00:00:00Z',
      endsAt: '2030-01-01T00:00:00Z',
    });
    expect(backwards.statusCode).toBe(400);
    expect(errorOf(backwards).message).toMatch(/end must be after the start/);

    const badAsset = await publish({ ...ETH_INCIDENT, assets: ['not an asset!'] });
    expect(badAsset.statusCode).toBe(400);
    expect(errorOf(badAsset).message).toMatch(/symbol such as ETH/);
  });

  it('only admins publish; agents read', async () => {
    const denied = await publish(ETH_INCIDENT, agent.cookie);
    expect(denied.statusCode).toBe(403);
    const list = await kefu.app.inject({
      method: 'GET',
      url: '/api/v1/announcements',
      headers: { cookie: agent.cookie },
    });
    expect(list.statusCode).toBe(200);
  });

  it('publishes, updates and resolves with audit entries; resolving twice is a 409', async () => {
    const created = await publish({
      severity: 'info',
      text: { en: 'Maintenance on Sunday 02:00 UTC', 'zh-CN': '周日 02:00 UTC 系统维护' },
    });
    expect(created.statusCode).toBe(201);
    const a = created.json() as TAnnouncement;
    expect(a.state).toBe('active');
    expect(a.assets).toEqual([]);

    const patched = await kefu.app.inject({
      method: 'PATCH',
      url: `/api/v1/announcements/${a.id}`,
      headers: { cookie: admin.cookie },
      payload: { assets: ['usdt'] },
    });
    expect(patched.statusCode).toBe(200);
    expect((patched.json() as TAnnouncement).assets).toEqual(['USDT']);

    const done = await resolve(a.id);
    expect(done.statusCode).toBe(200);
    expect((done.json() as TAnnouncement).state).toBe('resolved');
    const again = await resolve(a.id);
    expect(again.statusCode).toBe(409);
    expect(errorOf(again).code).toBe('announcement.resolved');
    const unknown = await resolve(randomUUID());
    expect(unknown.statusCode).toBe(404);

    const audit = await kefu.app.inject({
      method: 'GET',
      url: `/api/v1/audit?targetId=${a.id}`,
      headers: { cookie: admin.cookie },
    });
    const actions = (audit.json() as { entries: { action: string }[] }).entries.map(
      (e) => e.action,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        'announcement.published',
        'announcement.updated',
        'announcement.resolved',
      ]),
    );
  });

  it('a scheduled announcement is not shown before it starts', async () => {
    const later = await publish({
      severity: 'info',
      text: { en: 'Listing LATERCOIN next year', 'zh-CN': '明年上线 LATERCOIN' },
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect((later.json() as TAnnouncement).state).toBe('scheduled');
    const current = await fetch(`${url}/api/v1/widget/announcements`);
    const body = (await current.json()) as { announcements: TPublicAnnouncement[] };
    expect(body.announcements.map((x) => x.text.en)).not.toContain('Listing LATERCOIN next year');
  });
});

describe('an ETH withdrawal incident', () => {
  it('reaches open widgets live, the help center in both languages, and the assistant answers with it', async () => {
    const en = await customer('en');
    const zh = await customer('zh-CN');
    try {
      const created = await publish(ETH_INCIDENT);
      expect(created.statusCode).toBe(201);
      const incident = created.json() as TAnnouncement;

      // Open widgets get it without reloading.
      const live = await expectEventually(() => {
        const event = en
          .of<{ announcements: TPublicAnnouncement[] }>('announcements:changed')
          .find((e) => e.announcements.some((x) => x.id === incident.id));
        expect(event).toBeDefined();
        return event;
      });
      expect(live?.announcements.find((x) => x.id === incident.id)?.text['zh-CN']).toBe(
        'ETH 提币延迟：网络拥堵',
      );

      // The help center shows the banner on every page, in the page language.
      for (const [path, text] of [
        ['/help/en', 'ETH withdrawals delayed: network congestion'],
        ['/help/zh-CN/verify', 'ETH 提币延迟：网络拥堵'],
        ['/help/en/announcements', 'Your funds are safe'],
      ] as const) {
        const page = await kefu.app.inject({ method: 'GET', url: path });
        expect(page.statusCode).toBe(200);
        expect(page.body).toContain(text);
      }

      // The assistant answers a matching question with the incident first, then the usual answer.
      const enReply = await ask(en, 'my ETH withdrawal is stuck', 'en');
      expect(enReply.text.startsWith('ETH withdrawals delayed: network congestion')).toBe(true);
      expect(enReply.text).toContain('Your funds are safe');
      expect(enReply.text.length).toBeGreaterThan(ETH_INCIDENT.text.en.length + 80);

      const zhReply = await ask(zh, '我的ETH提币一直没到账', 'zh-CN');
      expect(zhReply.text.startsWith('ETH 提币延迟：网络拥堵')).toBe(true);

      // Another asset's withdrawal is not this incident.
      const other = await customer('en');
      try {
        const btc = await ask(other, 'my BTC withdrawal is stuck', 'en');
        expect(btc.text).not.toContain('ETH withdrawals delayed');
      } finally {
        other.socket.disconnect();
      }

      // Resolved: gone from widgets, the help center banner and the assistant.
      expect((await resolve(incident.id)).statusCode).toBe(200);
      await expectEventually(() => {
        const last = en
          .of<{ announcements: TPublicAnnouncement[] }>('announcements:changed')
          .at(-1);
        expect(last?.announcements.some((x) => x.id === incident.id)).toBe(false);
      });
      const home = await kefu.app.inject({ method: 'GET', url: '/help/en' });
      expect(home.body).not.toContain('ETH withdrawals delayed');
      const fresh = await customer('en');
      try {
        const after = await ask(fresh, 'my ETH withdrawal is stuck', 'en');
        expect(after.text).not.toContain('ETH withdrawals delayed');
      } finally {
        fresh.socket.disconnect();
      }
    } finally {
      en.socket.disconnect();
      zh.socket.disconnect();
    }
  });
});
