import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { and, asc, eq } from 'drizzle-orm';
import { type ParsedMail, simpleParser } from 'mailparser';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAssistantSettings } from '../src/assistant/settings.ts';
import type { DNSResolver } from '../src/channels/email/authenticate.ts';
import { findOrCreateContact, updateContact } from '../src/contacts/contacts.ts';
import { conversations, messages, outbox } from '../src/conversations/schema.ts';
import { systemActor } from '../src/deps.ts';
import { createLogger } from '../src/lib/logger.ts';
import { createKefuNode, type KefuNode } from '../src/node.ts';
import { refuseWrites } from './helpers/faults.ts';
import { customerSession, expectEventually, listen, seedSupportDesk } from './helpers/realtime.ts';
import {
  createTestDatabase,
  seedAgent,
  type TestAgent,
  type TestKefu,
  testConfig,
} from './helpers/test-kefu.ts';

const SUPPORT = 'support@demo-exchange.example';

/** DNS for mail authentication from a fixed table: nothing leaves the machine. */
const DNS: Record<string, string[][]> = {
  'TXT demo-exchange.example': [['v=spf1 ip4:203.0.113.5 -all']],
  'TXT _dmarc.demo-exchange.example': [['v=DMARC1; p=reject']],
};
const resolver: DNSResolver = async (domain, rrtype) => {
  const answer = DNS[`${rrtype} ${domain.toLowerCase()}`];
  if (answer) return answer;
  throw Object.assign(new Error(`no ${rrtype} for ${domain}`), { code: 'ENOTFOUND' });
};

type Received = { to: string[]; mail: ParsedMail };
const outgoing: Received[] = [];
let collector: SMTPServer;
let kefu: TestKefu;
let node: KefuNode;
let admin: TestAgent;
let smtpPort: number;

/** A customer's mail client talking to Kefu's SMTP listener. */
const client = () =>
  createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });

async function sendToKefu(mail: {
  from: string;
  subject: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  headers?: Record<string, string>;
}): Promise<string> {
  const messageId = mail.messageId ?? `<${randomUUID()}@mail-customer.example>`;
  await client().sendMail({ to: SUPPORT, ...mail, messageId });
  return messageId.replace(/[<>]/g, '');
}

const mailsTo = (address: string) =>
  outgoing.filter((m) => m.to.includes(address)).map((m) => m.mail);

async function conversationOfEmail(emailMessageId: string) {
  const [row] = await kefu.deps.db
    .select({ message: messages, conversation: conversations })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(eq(messages.idempotencyKey, `email:${emailMessageId}`));
  if (!row) throw new Error(`no message for ${emailMessageId}`);
  return row;
}

async function messagesOf(conversationId: string) {
  return kefu.deps.db
    .select()
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(asc(messages.seq));
}

async function firstMailTo(address: string, index = 0): Promise<ParsedMail> {
  return expectEventually(() => {
    const mail = mailsTo(address)[index];
    if (!mail) throw new Error(`no mail ${index} to ${address} yet`);
    return mail;
  });
}

const customer = () => `customer-${randomUUID().slice(0, 8)}@mail-customer.example`;
const settle = () => new Promise((r) => setTimeout(r, 400));

beforeAll(async () => {
  collector = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          outgoing.push({ to: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const collectorPort = (collector.server.address() as AddressInfo).port;

  const { database, drop } = await createTestDatabase();
  await database.migrate();
  await saveAssistantSettings(database.db, { enabled: false, humanForVipFrom: null });
  node = await createKefuNode({
    config: testConfig({
      SMTP_URL: `smtp://127.0.0.1:${collectorPort}`,
      KEFU_SMTP_LISTEN_PORT: '0',
      KEFU_SMTP_LISTEN_HOST: '127.0.0.1',
      KEFU_SMTP_MAX_MB: '1',
    }),
    database,
    logger: createLogger(process.env.KEFU_TEST_LOG ?? 'silent'),
    clock: { now: () => new Date() },
    jobPollMs: 50,
    emailDnsResolver: resolver,
  });
  await node.app.ready();
  kefu = {
    app: node.app,
    deps: node.deps,
    database,
    node,
    close: async () => {
      await node.close();
      await drop();
    },
  };
  if (!node.smtp) throw new Error('the SMTP listener did not start');
  smtpPort = node.smtp.port;
  admin = await seedAgent(kefu, 'admin');
  const created = await kefu.app.inject({
    method: 'POST',
    url: '/api/v1/channels/email',
    headers: { cookie: admin.cookie },
    payload: { name: 'Support mailbox', address: SUPPORT, smtpInbound: true },
  });
  expect(created.statusCode, created.body).toBe(201);
});

afterAll(async () => {
  await kefu?.close();
  await new Promise<void>((resolve) => collector?.close(() => resolve()));
});

describe('email channel over SMTP', () => {
  it('lists the email channel for admins and refuses the same address twice', async () => {
    const list = await kefu.app.inject({
      method: 'GET',
      url: '/api/v1/channels/email',
      headers: { cookie: admin.cookie },
    });
    expect(list.statusCode).toBe(200);
    const channels = (list.json() as { channels: { id: string; address: string }[] }).channels;
    expect(channels.map((c) => c.address)).toContain(SUPPORT);
    const one = await kefu.app.inject({
      method: 'GET',
      url: `/api/v1/channels/email/${channels[0]?.id}`,
      headers: { cookie: admin.cookie },
    });
    expect(one.statusCode).toBe(200);
    const again = await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/channels/email',
      headers: { cookie: admin.cookie },
      payload: { name: 'Copy', address: SUPPORT.toUpperCase(), smtpInbound: true },
    });
    expect(again.statusCode).toBe(409);
    expect((again.json() as { error: { code: string } }).error.code).toBe('email.address_taken');
  });

  it('a new email opens a ticket, acknowledged with its number and anti-phishing code; replies, answers and bounces thread', async () => {
    const from = customer();
    const contact = await findOrCreateContact(kefu.deps.db, { email: from });
    await updateContact(kefu.deps, systemActor, contact.id, {
      attributes: { antiPhishingCode: 'BLUE-FALCON-42' },
    });

    const first = await sendToKefu({
      from: `Wang Fang <${from}>`,
      subject: 'Deposit not credited',
      text: 'Hello, my USDT deposit from yesterday has not arrived.\n\n-- \nWang Fang\nSent from my phone',
    });
    const { conversation, message } = await conversationOfEmail(first);
    expect(conversation.channel).toBe('email');
    expect(conversation.subject).toBe('Deposit not credited');
    expect(message.text).toBe('Hello, my USDT deposit from yesterday has not arrived.');
    const meta = message.meta.email as {
      auth: { spf: string };
      fullText: string;
      spoofed: boolean;
    };
    expect(meta.fullText).toContain('Sent from my phone');
    expect(meta.spoofed).toBe(false);
    expect(meta.auth.spf).toBeTypeOf('string');

    const ack = await firstMailTo(from);
    expect(ack.subject).toContain(`[#${conversation.number}]`);
    expect(ack.subject).toContain('Deposit not credited');
    expect(ack.text).toContain(`#${conversation.number}`);
    expect(ack.text).toContain('BLUE-FALCON-42');
    expect(ack.inReplyTo).toBe(`<${first}>`);
    expect(ack.replyTo?.text).toContain(SUPPORT);
    expect(ack.headers.get('auto-submitted')).toBe('auto-replied');
    expect(ack.messageId).toMatch(/^<kefu\.[0-9a-f-]{36}@demo-exchange\.example>$/);

    // The customer's mail client answers the acknowledgement: In-Reply-To threads it.
    const reply = await sendToKefu({
      from,
      subject: 'Re: about my deposit',
      text: `It was 250 USDT on TRC20.\n\nOn Mon, 1 Jan 2024 at 10:00, Support <${SUPPORT}> wrote:\n> Hello,\n> We received your email`,
      inReplyTo: ack.messageId ?? '',
      references: `<${first}> ${ack.messageId}`,
    });
    const replied = await conversationOfEmail(reply);
    expect(replied.conversation.id).toBe(conversation.id);
    expect(replied.message.text).toBe('It was 250 USDT on TRC20.');

    // Only the ticket number in the subject, no threading headers: threads too.
    const byNumber = await sendToKefu({
      from,
      subject: `Still waiting [#${conversation.number}]`,
      text: 'Any news?',
    });
    expect((await conversationOfEmail(byNumber)).conversation.id).toBe(conversation.id);
    // Replies are not acknowledged again.
    await settle();
    expect(mailsTo(from)).toHaveLength(1);

    // An agent's answer goes out by email, threaded, with the ticket number and the code.
    const answered = await kefu.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversation.id}/messages`,
      headers: { cookie: admin.cookie },
      payload: { text: 'Your deposit is confirmed and credited.', private: false },
    });
    expect(answered.statusCode, answered.body).toBe(201);
    const answer = await firstMailTo(from, 1);
    expect(answer.subject).toContain(`[#${conversation.number}]`);
    expect(answer.text).toContain('Your deposit is confirmed and credited.');
    expect(answer.text).toContain('BLUE-FALCON-42');
    expect(answer.inReplyTo).toBe(`<${byNumber}>`);
    expect(answer.references).toContain(`<${first}>`);
    expect(answer.headers.get('auto-submitted')).toBeUndefined();
    const answerId = (answered.json() as { id: string }).id;
    await expectEventually(async () => {
      const [row] = await kefu.deps.db.select().from(outbox).where(eq(outbox.messageId, answerId));
      expect(row?.status).toBe('sent');
    });

    // The answer bounces: its delivery is marked failed and the agent gets a private note.
    await client().sendMail({
      envelope: { from: '', to: SUPPORT },
      raw: [
        'From: Mail Delivery System <mailer-daemon@mail-customer.example>',
        `To: ${SUPPORT}`,
        'Subject: Undelivered Mail Returned to Sender',
        `Message-ID: <${randomUUID()}@mail-customer.example>`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        '--b1',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.mail-customer.example',
        '',
        `Final-Recipient: rfc822; ${from}`,
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 mailbox unavailable',
        '--b1',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${answer.messageId}`,
        `Subject: ${answer.subject}`,
        '--b1--',
        '',
      ].join('\r\n'),
    });
    await expectEventually(async () => {
      const [row] = await kefu.deps.db.select().from(outbox).where(eq(outbox.messageId, answerId));
      expect(row?.status).toBe('failed');
      const notes = (await messagesOf(conversation.id)).filter(
        (m) => m.meta.kind === 'email_bounce',
      );
      expect(notes).toHaveLength(1);
      expect(notes[0]?.private).toBe(true);
      expect(notes[0]?.text).toContain('550 5.1.1');
    });
  });

  it('stores the same Message-ID once and acknowledges it once', async () => {
    const from = customer();
    const messageId = `<${randomUUID()}@mail-customer.example>`;
    await sendToKefu({ from, subject: 'Twice', text: 'Sent twice', messageId });
    await sendToKefu({ from, subject: 'Twice', text: 'Sent twice', messageId });
    const rows = await kefu.deps.db
      .select()
      .from(messages)
      .where(eq(messages.idempotencyKey, `email:${messageId.replace(/[<>]/g, '')}`));
    expect(rows).toHaveLength(1);
    await firstMailTo(from);
    await settle();
    expect(mailsTo(from)).toHaveLength(1);
  });

  it('masks a seed phrase before storage, in the text and in the kept original', async () => {
    const from = customer();
    const phrase = generateMnemonic(english, 128);
    const id = await sendToKefu({
      from,
      subject: 'Wallet help',
      text: `My wallet seed is ${phrase} please check`,
      html: `<p>My wallet seed is ${phrase} please check</p><script>alert(1)</script>`,
    });
    const { message } = await conversationOfEmail(id);
    expect(message.text).toContain('[REDACTED:seed_phrase]');
    const stored = JSON.stringify(message);
    const words = phrase.split(' ');
    for (let i = 0; i + 3 <= words.length; i++)
      expect(stored).not.toContain(words.slice(i, i + 3).join(' '));
    const html = (message.meta.email as { html: string }).html;
    expect(html).toContain('<p>');
    expect(html).not.toContain('<script');
  });

  it('does not answer auto-responders or bulk mail, but keeps them', async () => {
    const auto = customer();
    const id = await sendToKefu({
      from: auto,
      subject: 'Out of office',
      text: 'I am away until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    const bulk = customer();
    const bulkId = await sendToKefu({
      from: bulk,
      subject: 'Newsletter',
      text: 'Our news',
      headers: { Precedence: 'bulk' },
    });
    const { message } = await conversationOfEmail(id);
    expect((message.meta.email as { automated: string }).automated).toMatch(/auto-replied/);
    await conversationOfEmail(bulkId);
    // A person's mail sent after them is answered; by then theirs would have been too.
    const person = customer();
    await sendToKefu({ from: person, subject: 'Help', text: 'Please help' });
    await firstMailTo(person);
    await settle();
    expect(mailsTo(auto)).toHaveLength(0);
    expect(mailsTo(bulk)).toHaveLength(0);
  });

  it('flags mail that claims to come from the exchange but fails SPF and DMARC', async () => {
    const id = await sendToKefu({
      from: 'Security Team <security@demo-exchange.example>',
      subject: 'Verify your account',
      text: 'Send us your 2FA code.',
    });
    const { message, conversation } = await conversationOfEmail(id);
    const meta = message.meta.email as { spoofed: boolean; auth: { spf: string; dmarc: string } };
    expect(meta.auth.spf).toBe('fail');
    expect(meta.auth.dmarc).toBe('fail');
    expect(meta.spoofed).toBe(true);
    await expectEventually(async () => {
      const note = (await messagesOf(conversation.id)).find(
        (m) => m.meta.kind === 'email_spoofing_warning',
      );
      expect(note?.private).toBe(true);
      expect(note?.text).toMatch(/spoofing/);
    });
    await settle();
    expect(mailsTo('security@demo-exchange.example')).toHaveLength(0);
  });

  it('a warning that could not be written is written when the same mail comes again, once', async () => {
    // The database refuses the warning note for a while (a fault injected in the real database).
    const restore = await refuseWrites(kefu.deps.db, {
      table: 'messages',
      on: 'insert',
      when: "new.meta->>'kind' = 'email_spoofing_warning'",
      message: 'no room',
    });
    const messageId = `<${randomUUID()}@demo-exchange.example>`;
    const spoofed = {
      from: 'Security Team <security@demo-exchange.example>',
      subject: 'Confirm your withdrawal address',
      text: 'Reply with your seed phrase to confirm.',
      messageId,
    };
    let conversationId: string;
    try {
      const id = await sendToKefu(spoofed);
      conversationId = (await conversationOfEmail(id)).conversation.id;
      const warnings = (await messagesOf(conversationId)).filter(
        (m) => m.meta.kind === 'email_spoofing_warning',
      );
      expect(warnings).toHaveLength(0);
    } finally {
      await restore();
    }
    // The sending server tries again (or the mailbox is read again): the mail is stored once,
    // and the agent now gets the warning, once however often it comes.
    await sendToKefu(spoofed);
    await sendToKefu(spoofed);
    const all = await messagesOf(conversationId);
    expect(all.filter((m) => m.senderType === 'contact')).toHaveLength(1);
    const warnings = all.filter((m) => m.meta.kind === 'email_spoofing_warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.private).toBe(true);
  });

  it('refuses mail for an unknown address with 550 and oversized mail with 552', async () => {
    await expect(
      client().sendMail({
        from: customer(),
        to: 'nobody@demo-exchange.example',
        subject: 'Hello',
        text: 'Anyone?',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    await expect(
      client().sendMail({
        from: customer(),
        to: SUPPORT,
        subject: 'Huge',
        text: 'x'.repeat(1_200_000),
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
  });

  it('accepts a mail whose text is only control characters (250) and keeps it', async () => {
    const from = customer();
    const messageId = `<${randomUUID()}@mail-customer.example>`;
    const info = await client().sendMail({
      envelope: { from, to: [SUPPORT] },
      raw: Buffer.from(
        `From: ${from}\r\nMessage-ID: ${messageId}\r\n\r\n\u0001\u0000\u0007`,
        'latin1',
      ),
    });
    expect(info.response).toMatch(/^250/);
    const { message } = await conversationOfEmail(messageId.replace(/[<>]/g, ''));
    expect(message.text).toBe('—');
  });

  it('mails an agent reply on a widget conversation whose customer left; the email reply comes back', async () => {
    const desk = await seedSupportDesk(kefu);
    const url = await listen(kefu);
    const uid = `uid-${randomUUID()}`;
    const email = customer();
    const session = await customerSession(url, desk.siteToken, {
      identity: {
        exchangeUid: uid,
        email,
        signature: createHmac('sha256', desk.identitySecret).update(uid).digest('hex'),
      },
      locale: 'en',
    });
    const sent = await fetch(`${url}/api/v1/customer/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${session.contactToken}`,
      },
      body: JSON.stringify({
        clientMessageId: `c-${randomUUID()}`,
        text: 'My withdrawal is stuck',
      }),
    });
    expect(sent.status).toBe(201);
    const body = (await sent.json()) as {
      message: { conversationId: string };
      conversationNumber: number;
    };
    const conversationId = body.message.conversationId;
    const answered = await kefu.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      headers: { cookie: admin.cookie },
      payload: { text: 'Your withdrawal has been sent.', private: false },
    });
    expect(answered.statusCode, answered.body).toBe(201);
    const mail = await firstMailTo(email);
    expect(mail.subject).toContain(`[#${body.conversationNumber}]`);
    expect(mail.text).toContain('Your withdrawal has been sent.');

    const back = await sendToKefu({
      from: email,
      subject: `Re: ${mail.subject}`,
      text: 'Thank you!',
    });
    const { conversation } = await conversationOfEmail(back);
    expect(conversation.id).toBe(conversationId);
    const rows = await kefu.deps.db
      .select()
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId), eq(messages.text, 'Thank you!')));
    expect(rows).toHaveLength(1);
  });
});
