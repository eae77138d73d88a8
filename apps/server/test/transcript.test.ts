import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  customerSession,
  expectEventually,
  listen,
  type SetupIds,
  seedSupportDesk,
} from './helpers/realtime.ts';
import { createTestKefu, seedAgent, type TestAgent, type TestKefu } from './helpers/test-kefu.ts';

type Mail = { to: string[]; subject: string; text: string; language: string };

let smtp: SMTPServer;
const mails: Mail[] = [];
let kefu: TestKefu;
let url: string;
let desk: SetupIds;
let agent: TestAgent;

const SEED = 'abandon ability able about above absent absorb abstract absurd abuse access accident';

async function call(
  method: string,
  path: string,
  body: unknown,
  auth: { token?: string; cookie?: string },
) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}),
      ...(auth.cookie ? { cookie: auth.cookie } : {}),
    },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      email?: string;
      error?: { code: string; message: string };
      message?: { conversationId: string };
      conversationNumber?: number;
    },
  };
}

async function customer(options: { email?: string; locale: 'en' | 'zh-CN' }) {
  const uid = `uid-${randomUUID()}`;
  const session = await customerSession(url, desk.siteToken, {
    locale: options.locale,
    ...(options.email
      ? {
          identity: {
            exchangeUid: uid,
            email: options.email,
            signature: createHmac('sha256', desk.identitySecret).update(uid).digest('hex'),
          },
        }
      : {}),
  });
  return session.contactToken;
}

async function say(token: string, text: string, locale: 'en' | 'zh-CN', conversationId?: string) {
  const sent = await call(
    'POST',
    '/api/v1/customer/messages',
    {
      clientMessageId: `c-${randomUUID()}`,
      text,
      locale,
      ...(conversationId ? { conversationId } : {}),
    },
    { token },
  );
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  return sent.body as { message: { conversationId: string }; conversationNumber: number };
}

function mailTo(email: string): Promise<Mail> {
  return expectEventually(() => {
    const mail = mails.find((m) => m.to.includes(email));
    expect(mail).toBeDefined();
    return mail as Mail;
  }, 10_000);
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const to = (session.envelope.rcptTo || []).map((r) => r.address);
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            to,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            language: String(parsed.headers.get('content-language') ?? ''),
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const { port } = smtp.server.address() as AddressInfo;
  kefu = await createTestKefu({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  agent = await seedAgent(kefu, 'supervisor');
});
afterAll(async () => {
  await kefu.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('transcript by email', () => {
  it('a customer with an email gets the public messages, secrets masked, no notes', async () => {
    const email = `t-${randomUUID().slice(0, 8)}@mail-test.example`;
    const token = await customer({ email, locale: 'en' });
    const first = await say(token, 'My USDT deposit has not arrived', 'en');
    const conversationId = first.message.conversationId;
    await say(token, `here is my seed ${SEED}`, 'en', conversationId);
    const reply = await call(
      'POST',
      `/api/v1/conversations/${conversationId}/messages`,
      { text: 'We found your deposit; it is confirming now.' },
      { cookie: agent.cookie },
    );
    expect(reply.status).toBe(201);
    const note = await call(
      'POST',
      `/api/v1/conversations/${conversationId}/messages`,
      { text: 'INTERNAL: customer pasted a seed phrase', private: true },
      { cookie: agent.cookie },
    );
    expect(note.status).toBe(201);

    // Another customer cannot ask for it.
    const stranger = await customer({ locale: 'en' });
    const denied = await call(
      'POST',
      `/api/v1/customer/conversations/${conversationId}/transcript`,
      {},
      { token: stranger },
    );
    expect(denied.status).toBe(404);

    const asked = await call(
      'POST',
      `/api/v1/customer/conversations/${conversationId}/transcript`,
      { email: 'someone-else@mail-test.example' },
      { token },
    );
    expect(asked.status, JSON.stringify(asked.body)).toBe(202);
    // A customer with an email gets it there, never at another address.
    expect(asked.body.email).toBe(email);
    const mail = await mailTo(email);
    expect(mail.subject).toContain(`#${first.conversationNumber}`);
    expect(mail.language).toBe('en');
    expect(mail.text).toContain('My USDT deposit has not arrived');
    expect(mail.text).toContain('We found your deposit; it is confirming now.');
    expect(mail.text).not.toContain('INTERNAL');
    expect(mail.text).not.toContain('abandon ability');
    expect(mail.text).toMatch(/seed phrase removed/);
    expect(mails.some((m) => m.to.includes('someone-else@mail-test.example'))).toBe(false);
  });

  it('an anonymous customer gives an email (stored on the contact), in Chinese', async () => {
    const token = await customer({ locale: 'zh-CN' });
    const first = await say(token, '我的提币还没到账', 'zh-CN');
    const conversationId = first.message.conversationId;
    const missing = await call(
      'POST',
      `/api/v1/customer/conversations/${conversationId}/transcript`,
      {},
      { token },
    );
    expect(missing.status).toBe(400);
    expect(missing.body.error?.code).toBe('transcript.email_required');

    const bad = await call(
      'POST',
      `/api/v1/customer/conversations/${conversationId}/transcript`,
      { email: 'not-an-email' },
      { token },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toMatch(/email/i);

    const email = `zh-${randomUUID().slice(0, 8)}@mail-test.example`;
    const asked = await call(
      'POST',
      `/api/v1/customer/conversations/${conversationId}/transcript`,
      { email },
      { token },
    );
    expect(asked.status).toBe(202);
    const mail = await mailTo(email);
    expect(mail.language).toBe('zh-CN');
    expect(mail.subject).toContain('对话记录');
    expect(mail.text).toContain('我的提币还没到账');

    const contact = await kefu.app.inject({
      method: 'GET',
      url: `/api/v1/conversations/${conversationId}`,
      headers: { cookie: agent.cookie },
    });
    const contactId = (contact.json() as { contactId: string }).contactId;
    const profile = await kefu.app.inject({
      method: 'GET',
      url: `/api/v1/contacts/${contactId}`,
      headers: { cookie: agent.cookie },
    });
    expect((profile.json() as { contact: { email: string } }).contact.email).toBe(email);
  });

  it('an agent sends it from the conversation; audited', async () => {
    const email = `ag-${randomUUID().slice(0, 8)}@mail-test.example`;
    const token = await customer({ email, locale: 'en' });
    const first = await say(token, 'Please send me our chat', 'en');
    const sent = await kefu.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${first.message.conversationId}/transcript`,
      headers: { cookie: agent.cookie },
      payload: {},
    });
    expect(sent.statusCode).toBe(202);
    expect((await mailTo(email)).text).toContain('Please send me our chat');
    const audit = await kefu.app.inject({
      method: 'GET',
      url: `/api/v1/audit?targetId=${first.message.conversationId}`,
      headers: { cookie: agent.cookie },
    });
    expect(JSON.stringify(audit.json())).toContain('conversation.transcript_sent');
  });
});
