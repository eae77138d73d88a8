import { createHmac, randomUUID } from 'node:crypto';
import type { TCannedResponse, TRenderedCannedResponse, TSendAck } from '@kefu/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CANNED_RESPONSES, seedDemoCannedResponses } from '../src/canned/demo.ts';
import { EXCHANGE_NAME, fillVariables } from '../src/canned/render.ts';
import { refuseWrites } from './helpers/faults.ts';
import { customerSession, listen, type SetupIds, seedSupportDesk } from './helpers/realtime.ts';
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
let agent: TestAgent;

async function api(who: TestAgent, method: string, path: string, body?: unknown) {
  return kefu.app.inject({
    method: method as 'POST',
    url: path,
    headers: { cookie: who.cookie },
    ...(body !== undefined ? { payload: body as object } : {}),
  });
}

const shortcut = (base: string) => `${base}-${randomUUID().slice(0, 6)}`;

async function create(who: TestAgent, body: Record<string, unknown>) {
  const response = await api(who, 'POST', '/api/v1/canned-responses', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as TCannedResponse;
}

/** A real conversation: a customer writes through the widget API. */
async function conversationFrom(text: string, identity?: { name: string; email: string }) {
  const exchangeUid = `uid-${randomUUID().slice(0, 8)}`;
  const session = await customerSession(
    url,
    desk.siteToken,
    identity
      ? {
          identity: {
            exchangeUid,
            ...identity,
            signature: createHmac('sha256', desk.identitySecret).update(exchangeUid).digest('hex'),
          },
        }
      : {},
  );
  const response = await fetch(`${url}/api/v1/customer/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${session.contactToken}`,
    },
    body: JSON.stringify({ clientMessageId: `c-${randomUUID()}`, text }),
  });
  expect(response.status).toBe(201);
  const ack = (await response.json()) as TSendAck;
  if (!ack.ok) throw new Error('send failed');
  return { id: ack.message.conversationId, number: ack.conversationNumber };
}

async function render(who: TestAgent, id: string, body: Record<string, unknown>) {
  const response = await api(who, 'POST', `/api/v1/canned-responses/${id}/render`, body);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as TRenderedCannedResponse;
}

beforeAll(async () => {
  kefu = await createTestKefu();
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  admin = await seedAgent(kefu, 'admin');
  supervisor = await seedAgent(kefu, 'supervisor');
  agent = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn] });
});
afterAll(() => kefu.close());

describe('canned responses', () => {
  it('supervisors and admins manage them; every agent finds them', async () => {
    const refund = await create(supervisor, {
      shortcut: shortcut('Refund'),
      title: 'Refund timeline',
      texts: { en: 'Refunds take 3 business days.', 'zh-CN': '退款需要 3 个工作日。' },
    });
    expect(refund.shortcut).toMatch(/^refund-/);
    expect(refund.createdBy).toBe(supervisor.id);
    const kyc = await create(admin, {
      shortcut: shortcut('kyc_docs'),
      title: 'KYC documents',
      texts: { en: 'Please upload your passport.' },
    });
    expect(kyc.texts).toEqual({ en: 'Please upload your passport.' });

    const denied = await api(agent, 'POST', '/api/v1/canned-responses', {
      shortcut: shortcut('nope'),
      title: 'Nope',
      texts: { en: 'No' },
    });
    expect(denied.statusCode).toBe(403);
    expect(errorOf(denied).code).toBe('auth.forbidden');

    const all = (await api(agent, 'GET', '/api/v1/canned-responses')).json() as {
      cannedResponses: TCannedResponse[];
    };
    expect(all.cannedResponses.map((c) => c.id)).toEqual(
      expect.arrayContaining([refund.id, kyc.id]),
    );
    const search = async (q: string) =>
      (
        (await api(agent, 'GET', `/api/v1/canned-responses?q=${encodeURIComponent(q)}`)).json() as {
          cannedResponses: TCannedResponse[];
        }
      ).cannedResponses.map((c) => c.id);
    expect(await search(refund.shortcut)).toEqual([refund.id]);
    expect(await search('timeline')).toEqual([refund.id]);
    expect(await search('PASSPORT')).toEqual([kyc.id]);
    expect(await search('工作日')).toEqual([refund.id]);
    expect(await search('%')).toEqual([]);
    expect(await search('kyc_')).toEqual([kyc.id]);

    expect(
      (await api(agent, 'PATCH', `/api/v1/canned-responses/${refund.id}`, { title: 'x' }))
        .statusCode,
    ).toBe(403);
    expect((await api(agent, 'DELETE', `/api/v1/canned-responses/${refund.id}`)).statusCode).toBe(
      403,
    );
    const patched = await api(supervisor, 'PATCH', `/api/v1/canned-responses/${refund.id}`, {
      title: 'Refunds',
      texts: { 'zh-CN': '退款将在 3 个工作日内到账。' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      shortcut: refund.shortcut,
      title: 'Refunds',
      texts: { 'zh-CN': '退款将在 3 个工作日内到账。' },
    });
    expect(patched.json().texts.en).toBeUndefined();

    const deleted = await api(admin, 'DELETE', `/api/v1/canned-responses/${refund.id}`);
    expect(deleted.json()).toEqual({ ok: true });
    const gone = await api(agent, 'GET', `/api/v1/canned-responses/${refund.id}`);
    expect(gone.statusCode).toBe(404);
    expect(errorOf(gone).code).toBe('canned.not_found');
  });

  it('a shortcut is unique, whatever its case', async () => {
    const first = await create(admin, {
      shortcut: shortcut('hello'),
      title: 'Hello',
      texts: { en: 'Hello!' },
    });
    const other = await create(admin, {
      shortcut: shortcut('bye'),
      title: 'Bye',
      texts: { en: 'Bye!' },
    });
    const duplicate = await api(supervisor, 'POST', '/api/v1/canned-responses', {
      shortcut: first.shortcut.toUpperCase(),
      title: 'Hello again',
      texts: { en: 'Hi' },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(errorOf(duplicate).code).toBe('canned.shortcut_taken');
    expect(errorOf(duplicate).message).toMatch(/shortcut/);
    const zh = await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/canned-responses',
      headers: { cookie: admin.cookie, 'accept-language': 'zh-CN' },
      payload: { shortcut: first.shortcut, title: 'x', texts: { en: 'x' } },
    });
    expect(errorOf(zh).message).toBe('已有快捷回复使用此快捷指令。');

    const renamed = await api(admin, 'PATCH', `/api/v1/canned-responses/${other.id}`, {
      shortcut: first.shortcut,
    });
    expect(renamed.statusCode).toBe(409);
    const same = await api(admin, 'PATCH', `/api/v1/canned-responses/${first.id}`, {
      shortcut: first.shortcut,
      title: 'Hello there',
    });
    expect(same.statusCode, same.body).toBe(200);
  });

  it('a save the database gives up on (a concurrent change) answers 503 "try again", nothing saved', async () => {
    // The database reports a serialization failure, as when two changes meet (injected fault).
    const restore = await refuseWrites(kefu.deps.db, {
      table: 'canned_responses',
      on: 'insert',
      when: 'true',
      message: 'could not serialize access',
      errcode: 'serialization_failure',
    });
    const code = shortcut('conflict');
    try {
      for (const [language, message] of [
        [
          'en',
          'Someone changed the same thing at the same moment, and nothing was saved. Try again.',
        ],
        ['zh-CN', '有人同时修改了同一内容，本次操作未保存，请重试。'],
      ] as const) {
        const refused = await kefu.app.inject({
          method: 'POST',
          url: '/api/v1/canned-responses',
          headers: { cookie: admin.cookie, 'accept-language': language },
          payload: { shortcut: code, title: 'Conflict', texts: { en: 'x' } },
        });
        expect(refused.statusCode).toBe(503);
        expect(errorOf(refused)).toMatchObject({ code: 'service.busy', message });
      }
    } finally {
      await restore();
    }
    const again = await api(admin, 'POST', '/api/v1/canned-responses', {
      shortcut: code,
      title: 'Conflict',
      texts: { en: 'x' },
    });
    expect(again.statusCode).toBe(201);
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const valid = { shortcut: shortcut('ok'), title: 'OK', texts: { en: 'ok' } };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, shortcut: 'a' }, 'shortcut'],
      [{ ...valid, shortcut: 'has space' }, 'shortcut'],
      [{ ...valid, shortcut: 'x'.repeat(41) }, 'shortcut'],
      [{ ...valid, shortcut: 'slash/no' }, 'shortcut'],
      [{ ...valid, title: '' }, 'title'],
      [{ ...valid, texts: {} }, 'texts'],
      [{ ...valid, texts: { en: '   ' } }, 'texts'],
      [{ ...valid, texts: { fr: 'Bonjour' } }, 'texts'],
      [{ ...valid, texts: { en: 'x'.repeat(5001) } }, 'texts'],
      [{ shortcut: valid.shortcut, texts: valid.texts }, 'title'],
    ];
    for (const [body, field] of cases) {
      const response = await api(admin, 'POST', '/api/v1/canned-responses', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(response).code).toBe('request.invalid');
      expect(errorOf(response).message, JSON.stringify(body)).toContain(field);
    }
    const canned = await create(admin, valid);
    const badPatch = await api(admin, 'PATCH', `/api/v1/canned-responses/${canned.id}`, {
      texts: {},
    });
    expect(badPatch.statusCode).toBe(400);
    for (const body of [
      {},
      { conversationId: 'not-a-uuid' },
      { conversationId: randomUUID(), locale: 'fr' },
    ]) {
      const response = await api(
        agent,
        'POST',
        `/api/v1/canned-responses/${canned.id}/render`,
        body,
      );
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await api(agent, 'GET', '/api/v1/canned-responses/nope')).statusCode).toBe(400);
  });

  it('answers 404 for unknown canned responses and conversations', async () => {
    const missing = randomUUID();
    const conversation = await conversationFrom('Hello, where is my deposit?');
    for (const [method, path, body] of [
      ['GET', `/api/v1/canned-responses/${missing}`, undefined],
      ['PATCH', `/api/v1/canned-responses/${missing}`, { title: 'x' }],
      ['DELETE', `/api/v1/canned-responses/${missing}`, undefined],
      ['POST', `/api/v1/canned-responses/${missing}/render`, { conversationId: conversation.id }],
    ] as const) {
      const response = await api(admin, method, path, body);
      expect(response.statusCode, `${method} ${path}`).toBe(404);
      expect(errorOf(response).code).toBe('canned.not_found');
    }
    const canned = await create(admin, {
      shortcut: shortcut('x'),
      title: 'X',
      texts: { en: 'x' },
    });
    const noConversation = await api(
      agent,
      'POST',
      `/api/v1/canned-responses/${canned.id}/render`,
      {
        conversationId: missing,
      },
    );
    expect(noConversation.statusCode).toBe(404);
    expect(errorOf(noConversation).code).toBe('conversation.not_found');
  });
});

describe('rendering a canned response for a conversation', () => {
  const texts = {
    en: 'Hi {{customer.name}}, I am {{ agent.name }} from {{exchange.name}}. Ticket #{{ticket.number}}, we write to {{customer.email}}. {{customer.vip}}',
    'zh-CN':
      '{{customer.name}}您好，我是{{exchange.name}}的{{agent.name}}。工单 #{{ticket.number}}，邮件：{{customer.email}}。{{unknown}}',
  };

  it('fills the variables in the conversation language, or the one asked', async () => {
    const canned = await create(admin, { shortcut: shortcut('intro'), title: 'Intro', texts });
    const en = await conversationFrom('Hello, my USDT deposit has not arrived', {
      name: 'Alice Chan',
      email: 'alice@example.com',
    });
    const zh = await conversationFrom('你好，我的 USDT 充值还没有到账', {
      name: '王小明',
      email: 'wang@example.com',
    });

    expect(await render(agent, canned.id, { conversationId: en.id })).toEqual({
      locale: 'en',
      missing: [],
      text: `Hi Alice Chan, I am Test agent from ${EXCHANGE_NAME}. Ticket #${en.number}, we write to alice@example.com. {{customer.vip}}`,
    });
    // Supervisors see every team's conversations.
    expect(await render(supervisor, canned.id, { conversationId: zh.id })).toEqual({
      locale: 'zh-CN',
      missing: [],
      text: `王小明您好，我是${EXCHANGE_NAME}的Test supervisor。工单 #${zh.number}，邮件：wang@example.com。{{unknown}}`,
    });
    expect(
      (await render(supervisor, canned.id, { conversationId: zh.id, locale: 'en' })).text,
    ).toBe(
      `Hi 王小明, I am Test supervisor from ${EXCHANGE_NAME}. Ticket #${zh.number}, we write to wang@example.com. {{customer.vip}}`,
    );
    // An agent of another team does not see the Chinese conversation.
    const hidden = await api(agent, 'POST', `/api/v1/canned-responses/${canned.id}/render`, {
      conversationId: zh.id,
    });
    expect(hidden.statusCode).toBe(404);
  });

  it('falls back to the other language, and leaves missing values empty', async () => {
    const englishOnly = await create(admin, {
      shortcut: shortcut('en-only'),
      title: 'English only',
      texts: { en: 'Hi {{customer.name}}, this is ticket #{{ticket.number}}.' },
    });
    const anonymous = await conversationFrom('你好，提币一直在审核中');
    expect(await render(supervisor, englishOnly.id, { conversationId: anonymous.id })).toEqual({
      locale: 'en',
      missing: ['customer.name'],
      text: `Hi, this is ticket #${anonymous.number}.`,
    });
    const chineseOnly = await create(admin, {
      shortcut: shortcut('zh-only'),
      title: 'Chinese only',
      texts: { 'zh-CN': '工单 #{{ticket.number}} 已收到。' },
    });
    const english = await conversationFrom('Hello, I lost my 2FA device');
    expect(await render(agent, chineseOnly.id, { conversationId: english.id })).toMatchObject({
      locale: 'zh-CN',
      text: `工单 #${english.number} 已收到。`,
    });
  });

  it('fillVariables leaves unknown names and fills known ones', () => {
    expect(
      fillVariables('{{a.b}} {{agent.name}}{{ticket.number}} {{ exchange.name }}!', {
        'agent.name': 'Li',
        'ticket.number': '100001',
        'exchange.name': 'Demo',
      }),
    ).toEqual({ text: '{{a.b}} Li100001 Demo!', missing: [] });
    expect(fillVariables('Dear {{customer.name}}, hi', {})).toEqual({
      text: 'Dear, hi',
      missing: ['customer.name'],
    });
  });
});

describe('demo canned responses', () => {
  it('seeds greeting, TxID, withdrawal review, 2FA reset and closing in both languages, once', async () => {
    const added = await seedDemoCannedResponses(kefu.deps);
    expect(added).toBe(DEMO_CANNED_RESPONSES.length);
    expect(await seedDemoCannedResponses(kefu.deps)).toBe(0);
    const list = (await api(agent, 'GET', '/api/v1/canned-responses')).json() as {
      cannedResponses: TCannedResponse[];
    };
    const shortcuts = ['greeting', 'txid', 'withdrawal-review', '2fa-reset', 'closing'];
    for (const s of shortcuts) {
      const canned = list.cannedResponses.find((c) => c.shortcut === s);
      expect(canned?.texts.en, s).toBeTruthy();
      expect(canned?.texts['zh-CN'], s).toBeTruthy();
    }
    const greeting = list.cannedResponses.find((c) => c.shortcut === 'greeting');
    const conversation = await conversationFrom('你好', { name: '李雷', email: 'li@example.com' });
    const rendered = await render(supervisor, greeting?.id ?? '', {
      conversationId: conversation.id,
    });
    expect(rendered.locale).toBe('zh-CN');
    expect(rendered.text).toContain('李雷');
    expect(rendered.text).toContain(EXCHANGE_NAME);
    expect(rendered.text).not.toContain('{{');
  });
});
