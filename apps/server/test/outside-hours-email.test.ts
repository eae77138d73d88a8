import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { TCustomerWidgetConfig, TMessage, TSendAck } from '@kefu/shared';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
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
import {
  createTestKefu,
  seedAgent,
  type TestAgent,
  type TestKefu,
  testClock,
} from './helpers/test-kefu.ts';

// A Saturday: the English team works Monday to Friday, 09:00–18:00 UTC.
const clock = testClock(new Date('2026-11-28T03:00:00Z'));
const mails: { to: string[]; subject: string; text: string }[] = [];
let smtp: SMTPServer;
let kefu: TestKefu;
let url: string;
let desk: SetupIds;
let admin: TestAgent;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const to = (session.envelope.rcptTo || []).map((r) => r.address);
      simpleParser(stream)
        .then((parsed) => {
          mails.push({ to, subject: parsed.subject ?? '', text: parsed.text ?? '' });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const { port } = smtp.server.address() as AddressInfo;
  kefu = await createTestKefu({ clock, env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  admin = await seedAgent(kefu, 'admin');
  const weekdays = [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' }));
  const hours = await fetch(`${url}/api/v1/teams/${desk.teamEn}/business-hours`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', cookie: admin.cookie },
    body: JSON.stringify({ businessHours: { weekly: weekdays, holidays: [] } }),
  });
  expect(hours.status).toBe(200);
  const mailbox = await kefu.app.inject({
    method: 'POST',
    url: '/api/v1/channels/email',
    headers: { cookie: admin.cookie },
    payload: {
      name: 'Support mailbox',
      address: 'support@demo-exchange.example',
      smtpInbound: true,
    },
  });
  expect(mailbox.statusCode, mailbox.body).toBe(201);
});
afterAll(async () => {
  await kefu.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

async function customerPost(path: string, token: string, body: unknown, locale = 'en') {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'accept-language': locale,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('outside business hours', () => {
  it('tells the opening time, takes an email, and an agent reply to an absent customer goes by email', async () => {
    const session = await customerSession(url, desk.siteToken, { locale: 'en' });
    const customer = await connect(url, '/customer', { token: session.contactToken });
    let conversationId = '';
    let number = 0;
    try {
      const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
        clientMessageId: `c-${randomUUID()}`,
        text: 'I want to talk to a person about my KYC',
        locale: 'en',
      });
      if (!ack.ok) throw new Error(ack.error.message);
      conversationId = ack.message.conversationId;
      number = ack.conversationNumber;
      const notice = await expectEventually(() => {
        const m = customer.of<TMessage>('message:new').find((x) => x.kind === 'outside_hours');
        expect(m).toBeDefined();
        return m as TMessage;
      });
      // The widget shows this instant in the customer's own time zone.
      expect(notice.nextOpening).toBe('2026-11-30T09:00:00.000Z');

      const config = await fetch(`${url}/api/v1/customer/widget-config`, {
        headers: { authorization: `Bearer ${session.contactToken}` },
      });
      expect(((await config.json()) as TCustomerWidgetConfig).hasEmail).toBe(false);

      const bad = await customerPost(
        '/api/v1/customer/email',
        session.contactToken,
        { email: 'me@' },
        'zh-CN',
      );
      expect(bad.status).toBe(400);
      expect((bad.body.error as { message: string }).message).toContain('有效的邮箱');
      const email = `away-${randomUUID().slice(0, 8)}@mail-test.example`;
      const left = await customerPost('/api/v1/customer/email', session.contactToken, {
        email: email.toUpperCase(),
      });
      expect(left.status).toBe(200);
      expect(left.body.email).toBe(email);
    } finally {
      customer.socket.disconnect();
    }

    // The customer has gone: the agent's reply is also mailed, in the same thread.
    const hasEmail = (
      (await (
        await fetch(`${url}/api/v1/customer/widget-config`, {
          headers: { authorization: `Bearer ${session.contactToken}` },
        })
      ).json()) as TCustomerWidgetConfig
    ).hasEmail;
    expect(hasEmail).toBe(true);
    const reply = await kefu.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: { cookie: admin.cookie },
      payload: { text: 'Your KYC review is complete.' },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const mail = await expectEventually(() => {
      const found = mails.find((m) => m.text.includes('Your KYC review is complete.'));
      expect(found).toBeDefined();
      return found as (typeof mails)[number];
    }, 15_000);
    expect(mail.to[0]).toMatch(/^away-.*@mail-test\.example$/);
    expect(mail.subject).toContain(`[#${number}]`);
  });
});
