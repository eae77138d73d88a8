import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { TTicketLookupSession, TTicketView } from '@kefu/shared';
import { translate } from '@kefu/shared/i18n';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../src/audit/schema.ts';
import { ticketLookupCodes } from '../src/tickets/schema.ts';
import {
  customerSession,
  expectEventually,
  listen,
  type SetupIds,
  seedSupportDesk,
} from './helpers/realtime.ts';
import { createTestKefu, seedAgent, type TestAgent, type TestKefu } from './helpers/test-kefu.ts';

type Mail = { to: string[]; raw: string; headers: Record<string, string>; text: string };

/** Headers and the decoded text of a single-part mail as nodemailer writes it. */
function parseMail(raw: string): Omit<Mail, 'to' | 'raw'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  let text = body;
  if (encoding === 'base64')
    text = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => `%${hex}`)
      .replace(/%(?![0-9A-F]{2})/g, '%25');
    text = decodeURIComponent(bytes);
  }
  return { headers, text: text.replace(/\r\n/g, '\n') };
}

/** `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=` words of a header, decoded. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeURIComponent(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/g, '%$1')),
    );
}

const codeOf = (mail: Mail) => {
  const match = mail.text.match(/^\s+(\d{6})\s*$/m);
  if (!match?.[1]) throw new Error(`no code in mail:\n${mail.text}`);
  return match[1];
};
const otherCode = (code: string) => ((Number(code) + 1) % 1_000_000).toString().padStart(6, '0');

let smtp: SMTPServer;
const mails: Mail[] = [];
let kefu: TestKefu;
let url: string;
let desk: SetupIds;
let supervisor: TestAgent;

async function post(path: string, body: unknown, token?: string) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function agentApi(method: string, path: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      cookie: supervisor.cookie,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A signed-in widget customer with an email, and a conversation of theirs. */
async function customerWithTicket(text: string, locale: 'en' | 'zh-CN' = 'en') {
  const uid = `uid-${randomUUID()}`;
  const email = `customer-${randomUUID().slice(0, 8)}@mail-test.example`;
  const session = await customerSession(url, desk.siteToken, {
    identity: {
      exchangeUid: uid,
      email,
      signature: createHmac('sha256', desk.identitySecret).update(uid).digest('hex'),
    },
    locale,
  });
  const sent = await post(
    '/api/v1/customer/messages',
    { clientMessageId: `c-${randomUUID()}`, text, locale },
    session.contactToken,
  );
  expect(sent.status, JSON.stringify(sent.body)).toBe(201);
  const message = sent.body.message as { conversationId: string };
  return {
    email,
    token: session.contactToken,
    conversationId: message.conversationId,
    number: sent.body.conversationNumber as number,
  };
}

/** Waits for the next mail to this address (they arrive through the mail.send job). */
async function nextMailTo(email: string, seen: number): Promise<Mail> {
  return expectEventually(() => {
    const list = mails.filter((m) => m.to.includes(email));
    expect(list.length).toBeGreaterThan(seen);
    return list[seen] as Mail;
  }, 10_000);
}

/** Runs every due job, then lets stragglers finish: afterwards, nothing more is on its way. */
async function settle() {
  await kefu.node.worker.drain();
  await new Promise((r) => setTimeout(r, 200));
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = (session.envelope.rcptTo || []).map((r) => r.address);
        mails.push({ to, raw, ...parseMail(raw) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const { port } = smtp.server.address() as AddressInfo;
  kefu = await createTestKefu({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
  supervisor = await seedAgent(kefu, 'supervisor');
});
afterAll(async () => {
  await kefu.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

describe('customer ticket lookup by number and email', () => {
  it('mails a code over SMTP, shows the public conversation, and takes a reply', async () => {
    const ticket = await customerWithTicket('My BTC withdrawal is stuck since yesterday');
    const reply = await agentApi(
      'POST',
      `/api/v1/conversations/${ticket.conversationId}/messages`,
      {
        text: 'We are checking the withdrawal with our wallet team.',
      },
    );
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const note = await agentApi('POST', `/api/v1/conversations/${ticket.conversationId}/messages`, {
      text: 'Internal: hot wallet is being rebalanced',
      private: true,
    });
    expect(note.status).toBe(201);

    // The email is matched whatever its case, and the number may carry a #.
    const started = await post('/api/v1/tickets/lookup/start', {
      number: `#${ticket.number}`,
      email: ticket.email.toUpperCase(),
    });
    expect(started).toEqual({ status: 202, body: { sent: true } });

    const mail = await nextMailTo(ticket.email, 0);
    expect(mail.headers.from).toContain('support@demo-exchange.example');
    expect(decodeHeader(mail.headers.subject ?? '')).toBe(
      translate('en', 'mail.ticketCodeSubject', { number: ticket.number }),
    );
    expect(mail.headers['auto-submitted']).toBe('auto-generated');
    const code = codeOf(mail);
    // Only a keyed hash is stored, never the code.
    const stored = await kefu.deps.db
      .select()
      .from(ticketLookupCodes)
      .where(eq(ticketLookupCodes.conversationId, ticket.conversationId));
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(code);

    const verified = await post('/api/v1/tickets/lookup/verify', {
      number: ticket.number,
      email: ticket.email,
      code,
    });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    const session = verified.body as unknown as TTicketLookupSession;
    const lifetime = new Date(session.expiresAt).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(50 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(60 * 60_000);
    expect(session.ticket).toMatchObject({
      id: ticket.conversationId,
      number: ticket.number,
      status: 'open',
      subject: 'My BTC withdrawal is stuck since yesterday',
    });
    const texts = session.ticket.messages.map((m) => m.text);
    expect(texts).toEqual([
      'My BTC withdrawal is stuck since yesterday',
      'We are checking the withdrawal with our wallet team.',
    ]);
    expect(JSON.stringify(session.ticket)).not.toContain('hot wallet');
    expect(session.ticket.messages.map((m) => m.senderType)).toEqual(['contact', 'agent']);

    // The token reads the same ticket…
    const view = await fetch(`${url}/api/v1/tickets/${ticket.number}`, {
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(view.status).toBe(200);
    expect(((await view.json()) as TTicketView).messages.map((m) => m.text)).toEqual(texts);

    // …and answers it in the same conversation.
    const answer = await post(
      '/api/v1/customer/messages',
      {
        conversationId: session.ticket.id,
        clientMessageId: `c-${randomUUID()}`,
        text: 'The TxID is not shown in my history yet',
      },
      session.token,
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body.conversationNumber).toBe(ticket.number);
    expect((answer.body.message as { conversationId: string }).conversationId).toBe(
      ticket.conversationId,
    );
    const forAgent = await agentApi(
      'GET',
      `/api/v1/conversations/${ticket.conversationId}/messages`,
    );
    expect((forAgent.body.messages as { text: string }[]).map((m) => m.text)).toContain(
      'The TxID is not shown in my history yet',
    );

    // A code works once.
    const again = await post('/api/v1/tickets/lookup/verify', {
      number: ticket.number,
      email: ticket.email,
      code,
    });
    expect(again.status).toBe(401);
    expect((again.body.error as { code: string }).code).toBe('ticket.code_invalid');

    const audit = await kefu.deps.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.targetId, ticket.conversationId));
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['ticket.lookup_code_sent', 'ticket.lookup_verified']),
    );
  });

  it('mails the code in the language asked for', async () => {
    const ticket = await customerWithTicket('我的充值还没有到账', 'zh-CN');
    const started = await post('/api/v1/tickets/lookup/start', {
      number: ticket.number,
      email: ticket.email,
    });
    expect(started.status).toBe(202);
    const mail = await nextMailTo(ticket.email, 0);
    // The ticket is in Chinese, so is the mail.
    expect(mail.headers['content-language']).toBe('zh-CN');
    expect(decodeHeader(mail.headers.subject ?? '')).toBe(
      translate('zh-CN', 'mail.ticketCodeSubject', { number: ticket.number }),
    );
    expect(mail.text).toContain('验证码');
    expect(codeOf(mail)).toMatch(/^\d{6}$/);

    await post('/api/v1/tickets/lookup/start', {
      number: ticket.number,
      email: ticket.email,
      locale: 'en',
    });
    const english = await nextMailTo(ticket.email, 1);
    expect(english.headers['content-language']).toBe('en');
    expect(english.text).toContain(`view ticket #${ticket.number}`);
  });

  it('answers the same 202 for a wrong email or an unknown number, and mails nothing', async () => {
    const ticket = await customerWithTicket('Account frozen after password change');
    await settle();
    const before = mails.length;
    const wrongEmail = await post('/api/v1/tickets/lookup/start', {
      number: ticket.number,
      email: 'someone-else@mail-test.example',
    });
    const unknownNumber = await post('/api/v1/tickets/lookup/start', {
      number: 987654321,
      email: ticket.email,
    });
    expect(wrongEmail).toEqual({ status: 202, body: { sent: true } });
    expect(unknownNumber).toEqual(wrongEmail);
    await settle();
    expect(mails.length).toBe(before);
    const stored = await kefu.deps.db
      .select()
      .from(ticketLookupCodes)
      .where(eq(ticketLookupCodes.conversationId, ticket.conversationId));
    expect(stored).toHaveLength(0);

    // Verifying against them fails like a wrong code: nothing tells them apart.
    const guess = await post('/api/v1/tickets/lookup/verify', {
      number: 987654321,
      email: ticket.email,
      code: '123456',
    });
    expect(guess.status).toBe(401);
    expect((guess.body.error as { code: string }).code).toBe('ticket.code_invalid');
  });

  it('refuses a wrong code with 401 and burns the code after five wrong ones', async () => {
    const ticket = await customerWithTicket('Deposit on TRC20 not credited');
    await post('/api/v1/tickets/lookup/start', { number: ticket.number, email: ticket.email });
    const code = codeOf(await nextMailTo(ticket.email, 0));
    const wrong = { number: ticket.number, email: ticket.email, code: otherCode(code) };

    const first = await post('/api/v1/tickets/lookup/verify', wrong);
    expect(first.status).toBe(401);
    const error = first.body.error as { code: string; message: string };
    expect(error.code).toBe('ticket.code_invalid');
    expect(error.message).toBe(translate('en', 'errors.ticket.code_invalid'));

    for (let attempt = 2; attempt <= 5; attempt++)
      expect((await post('/api/v1/tickets/lookup/verify', wrong)).status).toBe(401);
    // Burnt: even the right code no longer works.
    const right = await post('/api/v1/tickets/lookup/verify', { ...wrong, code });
    expect(right.status).toBe(401);
    expect(right.body.token).toBeUndefined();

    // A new code works again.
    await post('/api/v1/tickets/lookup/start', { number: ticket.number, email: ticket.email });
    const fresh = codeOf(await nextMailTo(ticket.email, 1));
    const ok = await post('/api/v1/tickets/lookup/verify', { ...wrong, code: fresh });
    expect(ok.status).toBe(200);
  });

  it('sends at most five codes per ticket per hour', async () => {
    const ticket = await customerWithTicket('KYC review is taking too long');
    for (let i = 0; i < 6; i++) {
      const started = await post('/api/v1/tickets/lookup/start', {
        number: ticket.number,
        email: ticket.email,
      });
      expect(started.status).toBe(202);
    }
    await nextMailTo(ticket.email, 4);
    await settle();
    expect(mails.filter((m) => m.to.includes(ticket.email))).toHaveLength(5);
  });

  it('keeps a lookup token to its own ticket', async () => {
    const mine = await customerWithTicket('Where is my USDT?');
    const other = await customerWithTicket('Cannot log in');
    await post('/api/v1/tickets/lookup/start', { number: mine.number, email: mine.email });
    const code = codeOf(await nextMailTo(mine.email, 0));
    const verified = await post('/api/v1/tickets/lookup/verify', {
      number: mine.number,
      email: mine.email,
      code,
    });
    const token = (verified.body as unknown as TTicketLookupSession).token;

    const foreign = await fetch(`${url}/api/v1/tickets/${other.number}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(foreign.status).toBe(404);
    const anonymous = await fetch(`${url}/api/v1/tickets/${mine.number}`);
    expect(anonymous.status).toBe(401);
    // The customer's own widget token reads it too.
    const own = await fetch(`${url}/api/v1/tickets/${mine.number}`, {
      headers: { authorization: `Bearer ${mine.token}` },
    });
    expect(own.status).toBe(200);
  });

  it('explains bad input', async () => {
    const bad = await post('/api/v1/tickets/lookup/verify', {
      number: 'abc',
      email: 'not-an-email',
      code: '12',
    });
    expect(bad.status).toBe(400);
    const message = (bad.body.error as { message: string }).message;
    expect(message).toMatch(/number/);
    expect(message).toMatch(/email/);
    expect(message).toMatch(/6 digits/);
  });
});
