import { createHmac, randomUUID } from 'node:crypto';
import type { TCustomerWidgetConfig, TSendAck, TWidgetInbox } from '@kefu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  customerSession,
  emitAck,
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
let supervisor: TestAgent;

const PRE_CHAT = {
  name: 'required',
  email: 'required',
  topic: 'required',
  topics: [
    { id: 'deposits', en: 'Deposits', 'zh-CN': '充值' },
    { id: 'withdrawals', en: 'Withdrawals', 'zh-CN': '提币' },
  ],
};

beforeAll(async () => {
  kefu = await createTestKefu();
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  admin = await seedAgent(kefu, 'admin');
  supervisor = await seedAgent(kefu, 'supervisor');
});
afterAll(() => kefu.close());

async function patch(body: unknown, cookie = admin.cookie) {
  return kefu.app.inject({
    method: 'PATCH',
    url: `/api/v1/widget-inboxes/${desk.inboxId}`,
    headers: { cookie },
    payload: body as Record<string, unknown>,
  });
}

async function customerApi(
  method: 'GET' | 'POST',
  path: string,
  token: string,
  body?: unknown,
  locale = 'en',
) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'accept-language': locale,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('widget settings', () => {
  it('admins change colour, greeting, allowed sites and the pre-chat form; others cannot', async () => {
    const denied = await patch({ color: '#ff0000' }, supervisor.cookie);
    expect(denied.statusCode).toBe(403);
    const bad = await patch({ color: 'red', preChat: { ...PRE_CHAT, topics: [] } });
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad).message).toMatch(/#1557ff/);
    expect(errorOf(bad).message).toMatch(/at least one topic/);

    const saved = await patch({
      name: 'Main website',
      color: '#0A7F5A',
      greeting: { en: 'Hello from Demo Exchange!', 'zh-CN': '欢迎来到 Demo Exchange！' },
      allowedOrigins: ['https://www.exchange.example/markets'],
      preChat: PRE_CHAT,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const inbox = saved.json() as TWidgetInbox;
    expect(inbox.allowedOrigins).toEqual(['https://www.exchange.example']);
    expect(inbox.config.color).toBe('#0a7f5a');
    expect(inbox.identitySecretHint).toBe(`…${desk.identitySecret.slice(-4)}`);
    expect(JSON.stringify(inbox)).not.toContain(desk.identitySecret);

    // A browser on another site is refused; Kefu's own preview page is not.
    const foreign = await fetch(`${url}/api/v1/widget/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ siteToken: desk.siteToken }),
    });
    expect(foreign.status).toBe(403);
    const own = await fetch(`${url}/api/v1/widget/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ siteToken: desk.siteToken }),
    });
    expect(own.status).toBe(201);
    const preview = await fetch(`${url}/widget-preview?siteToken=${desk.siteToken}&locale=zh-CN`);
    expect(preview.status).toBe(200);
    const page = await preview.text();
    expect(page).toContain(`data-site-token="${desk.siteToken}"`);
    expect(page).toContain('data-locale="zh-CN"');

    const list = await kefu.app.inject({
      method: 'GET',
      url: '/api/v1/widget-inboxes',
      headers: { cookie: admin.cookie },
    });
    expect((list.json() as { inboxes: TWidgetInbox[] }).inboxes.map((i) => i.name)).toContain(
      'Main website',
    );
  });

  it('a new identity secret is shown once, and the old one stops verifying customers', async () => {
    const sign = (secret: string, uid: string) =>
      createHmac('sha256', secret).update(uid).digest('hex');
    const renewed = await kefu.app.inject({
      method: 'POST',
      url: `/api/v1/widget-inboxes/${desk.inboxId}/identity-secret`,
      headers: { cookie: admin.cookie },
    });
    expect(renewed.statusCode).toBe(200);
    const { identitySecret } = renewed.json() as { identitySecret: string };
    expect(identitySecret).not.toBe(desk.identitySecret);
    const session = (secret: string) =>
      fetch(`${url}/api/v1/widget/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          siteToken: desk.siteToken,
          identity: { exchangeUid: 'uid-77', signature: sign(secret, 'uid-77') },
        }),
      });
    expect((await session(desk.identitySecret)).status).toBe(401);
    expect((await session(identitySecret)).status).toBe(201);
    desk.identitySecret = identitySecret;
  });
});

describe('pre-chat form', () => {
  it('asks an anonymous visitor, answers in their language, and stores the answers', async () => {
    await patch({ preChat: PRE_CHAT });
    const { contactToken, contactId } = await customerSession(url, desk.siteToken, {
      locale: 'zh-CN',
    });
    const config = await customerApi('GET', '/api/v1/customer/widget-config', contactToken);
    expect(config.status).toBe(200);
    expect((config.body as TCustomerWidgetConfig).preChat).toEqual({
      name: true,
      email: true,
      topic: true,
    });

    const empty = await customerApi('POST', '/api/v1/customer/pre-chat', contactToken, {}, 'zh-CN');
    expect(empty.status).toBe(400);
    expect((empty.body.error as { message: string }).message).toBe(
      '请填写：您的姓名、您的邮箱、咨询主题。',
    );
    const badEmail = await customerApi(
      'POST',
      '/api/v1/customer/pre-chat',
      contactToken,
      { name: 'Lin', email: 'lin@', topic: 'deposits' },
      'zh-CN',
    );
    expect(badEmail.status).toBe(400);
    expect((badEmail.body.error as { message: string }).message).toContain('有效的邮箱');
    const badTopic = await customerApi('POST', '/api/v1/customer/pre-chat', contactToken, {
      name: 'Lin',
      email: 'lin@mail-test.example',
      topic: 'nonsense',
    });
    expect(badTopic.status).toBe(400);
    expect((badTopic.body.error as { code: string }).code).toBe('prechat.topic_unknown');

    const ok = await customerApi('POST', '/api/v1/customer/pre-chat', contactToken, {
      name: 'Lin Wei',
      email: 'Lin.Wei@Mail-Test.example',
      topic: 'withdrawals',
    });
    expect(ok.status).toBe(200);
    expect(ok.body.topic).toBe('withdrawals');

    // The topic goes with the first message onto the conversation.
    const customer = await connect(url, '/customer', { token: contactToken });
    try {
      const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
        clientMessageId: `c-${randomUUID()}`,
        text: '提币一直在审核中',
        topic: 'withdrawals',
      });
      expect(ack.ok).toBe(true);
      if (!ack.ok) return;
      const conversation = await kefu.app.inject({
        method: 'GET',
        url: `/api/v1/conversations/${ack.message.conversationId}`,
        headers: { cookie: admin.cookie },
      });
      expect((conversation.json() as { fields: Record<string, unknown> }).fields).toMatchObject({
        preChat: { topic: 'withdrawals' },
      });
    } finally {
      customer.socket.disconnect();
    }
    const contact = await kefu.app.inject({
      method: 'GET',
      url: `/api/v1/contacts/${contactId}`,
      headers: { cookie: admin.cookie },
    });
    expect((contact.json() as { contact: { name: string; email: string } }).contact).toMatchObject({
      name: 'Lin Wei',
      email: 'lin.wei@mail-test.example',
    });
  });

  it('an identified customer with a name and email is asked only the topic', async () => {
    const uid = `uid-${randomUUID()}`;
    const { contactToken } = await customerSession(url, desk.siteToken, {
      identity: {
        exchangeUid: uid,
        name: 'Sam Lee',
        email: `sam-${randomUUID().slice(0, 6)}@mail-test.example`,
        signature: createHmac('sha256', desk.identitySecret).update(uid).digest('hex'),
      },
    });
    const config = await customerApi('GET', '/api/v1/customer/widget-config', contactToken);
    expect((config.body as TCustomerWidgetConfig).preChat).toEqual({
      name: false,
      email: false,
      topic: true,
    });
    const ok = await customerApi('POST', '/api/v1/customer/pre-chat', contactToken, {
      topic: 'deposits',
    });
    expect(ok.status).toBe(200);
    await patch({ preChat: { name: 'off', email: 'off', topic: 'off', topics: [] } });
  });
});
