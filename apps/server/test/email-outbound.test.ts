import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { and, eq, sql } from 'drizzle-orm';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAssistantSettings } from '../src/assistant/settings.ts';
import type { DNSResolver } from '../src/channels/email/authenticate.ts';
import { EMAIL_AUTO_REPLIES_PER_HOUR } from '../src/channels/email/receive-email.ts';
import { contacts } from '../src/contacts/schema.ts';
import { conversations, messages, outbox } from '../src/conversations/schema.ts';
import { jobs } from '../src/jobs/schema.ts';
import { createLogger } from '../src/lib/logger.ts';
import { createKefuNode, type KefuNode } from '../src/node.ts';
import { refuseWrites } from './helpers/faults.ts';
import { expectEventually } from './helpers/realtime.ts';
import {
  createTestDatabase,
  errorOf,
  seedAgent,
  type TestAgent,
  type TestKefu,
  testConfig,
} from './helpers/test-kefu.ts';

const SUPPORT = `help-${randomUUID().slice(0, 6)}@demo-exchange.example`;
const SMTP_USER = 'kefu-out';
const SMTP_PASSWORD = 'smtp-secret-Pa55';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** Inbound mail authentication answers nothing: no DNS leaves the machine. */
const noDns: DNSResolver = async (domain) => {
  throw Object.assign(new Error(`no record for ${domain}`), { code: 'ENOTFOUND' });
};

type Received = { to: string[]; raw: Buffer; user: string | undefined };
const received: Received[] = [];
let relay: SMTPServer;
let relayPort: number;
let kefu: TestKefu;
let node: KefuNode;
let admin: TestAgent;
let channelId: string;

async function sendToKefu(from: string, subject: string): Promise<void> {
  if (!node.smtp) throw new Error('no SMTP listener');
  await createTransport({
    host: '127.0.0.1',
    port: node.smtp.port,
    secure: false,
    ignoreTLS: true,
  }).sendMail({
    from,
    to: SUPPORT,
    subject,
    text: 'My withdrawal is pending since this morning.',
    messageId: `<${randomUUID()}@mail-customer.example>`,
  });
}

const customer = (prefix = 'customer') =>
  `${prefix}-${randomUUID().slice(0, 8)}@mail-customer.example`;

beforeAll(async () => {
  // The exchange's outbound relay: requires a login, refuses mail for `gone-…` for good.
  relay = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD)
        return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('gone-'))
        return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          user: session.user as string | undefined,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  relayPort = (relay.server.address() as AddressInfo).port;

  const { database, drop } = await createTestDatabase();
  await database.migrate();
  await saveAssistantSettings(database.db, { enabled: false, humanForVipFrom: null });
  node = await createKefuNode({
    // No SMTP_URL: mail can only leave through the mailbox's own server.
    config: testConfig({ KEFU_SMTP_LISTEN_PORT: '0', KEFU_SMTP_LISTEN_HOST: '127.0.0.1' }),
    database,
    logger: createLogger(process.env.KEFU_TEST_LOG ?? 'silent'),
    clock: { now: () => new Date() },
    jobPollMs: 50,
    emailDnsResolver: noDns,
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
  admin = await seedAgent(kefu, 'admin');
});

afterAll(async () => {
  await kefu?.close();
  await new Promise<void>((resolve) => relay?.close(() => resolve()));
});

type Channel = {
  id: string;
  smtpOutbound: { host: string; user: string | null; hasPassword: boolean } | null;
  dkim: { selector: string; domain: string; dnsName: string; dnsRecord: string } | null;
  outboundStatus: { state: string; error: string | null } | null;
};

describe('outbound mail of a mailbox', () => {
  it('refuses a DKIM key that is not a key, and a login without a password, with a message', async () => {
    const badKey = await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/channels/email',
      headers: { cookie: admin.cookie },
      payload: {
        name: 'Bad key',
        address: `bad-${randomUUID().slice(0, 6)}@demo-exchange.example`,
        dkim: { selector: 'kefu', privateKey: 'not a key' },
      },
    });
    expect(badKey.statusCode).toBe(400);
    expect(errorOf(badKey).code).toBe('email.dkim_key_invalid');
    expect(errorOf(badKey).message).toMatch(/PEM/);

    const noPassword = await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/channels/email',
      headers: { cookie: admin.cookie },
      payload: {
        name: 'No password',
        address: `nopass-${randomUUID().slice(0, 6)}@demo-exchange.example`,
        smtpOutbound: { host: 'smtp.demo-exchange.example', user: 'someone' },
      },
    });
    expect(noPassword.statusCode).toBe(400);
    expect(errorOf(noPassword).code).toBe('email.password_required');
  });

  it('creates a mailbox with its own SMTP server and DKIM key, and never returns the secrets', async () => {
    const created = await kefu.app.inject({
      method: 'POST',
      url: '/api/v1/channels/email',
      headers: { cookie: admin.cookie },
      payload: {
        name: 'Help desk',
        address: SUPPORT,
        smtpOutbound: {
          host: '127.0.0.1',
          port: relayPort,
          security: 'none',
          user: SMTP_USER,
          password: SMTP_PASSWORD,
        },
        dkim: { selector: 'kefu2026', privateKey: PRIVATE_PEM },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const channel = created.json() as Channel;
    channelId = channel.id;
    expect(channel.smtpOutbound).toMatchObject({ user: SMTP_USER, hasPassword: true });
    expect(channel.dkim).toMatchObject({
      selector: 'kefu2026',
      domain: 'demo-exchange.example',
      dnsName: 'kefu2026._domainkey.demo-exchange.example',
    });
    expect(channel.dkim?.dnsRecord).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]+$/);

    for (const url of [
      '/api/v1/channels/email',
      `/api/v1/channels/email/${channelId}`,
      '/api/v1/inboxes',
    ]) {
      const body = (await kefu.app.inject({ url, headers: { cookie: admin.cookie } })).body;
      expect(body).not.toContain(SMTP_PASSWORD);
      expect(body).not.toContain('PRIVATE KEY');
      expect(body).not.toContain(PRIVATE_PEM.split('\n')[1]);
      expect(body).not.toMatch(/Sealed|botToken/);
    }
  });

  it("sends the acknowledgement through the mailbox's server, logged in and DKIM-signed so it verifies", async () => {
    const from = customer();
    await sendToKefu(from, 'Withdrawal pending');
    const mail = await expectEventually(() => {
      const found = received.find((r) => r.to.includes(from));
      if (!found) throw new Error('no mail yet');
      return found;
    }, 10_000);
    expect(mail.user).toBe(SMTP_USER);
    const text = mail.raw.toString();
    const signature = text.match(/^DKIM-Signature:(.*(?:\r?\n[ \t].*)*)/im)?.[1] ?? '';
    expect(signature.replace(/\s+/g, '')).toContain('d=demo-exchange.example;');
    expect(signature.replace(/\s+/g, '')).toContain('s=kefu2026;');
    expect(text).toMatch(new RegExp(`^From:.*<${SUPPORT}>`, 'im'));

    const record = (
      await kefu.app.inject({
        url: `/api/v1/channels/email/${channelId}`,
        headers: { cookie: admin.cookie },
      })
    ).json() as Channel;
    const dns: DNSResolver = async (name, rrtype) => {
      if (rrtype === 'TXT' && name === record.dkim?.dnsName) return [[record.dkim.dnsRecord]];
      throw Object.assign(new Error(`no ${rrtype} for ${name}`), { code: 'ENOTFOUND' });
    };
    const verified = await dkimVerify(mail.raw, { resolver: dns });
    expect(verified.results[0]?.status.result).toBe('pass');
    expect(verified.results[0]?.signingDomain).toBe('demo-exchange.example');
    // A key that does not match the published record fails: the check above means something.
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'der' })
      .toString('base64');
    const wrong: DNSResolver = async () => [[`v=DKIM1; k=rsa; p=${other}`]];
    const forged = await dkimVerify(mail.raw, { resolver: wrong });
    expect(forged.results[0]?.status.result).toBe('fail');
    // The mailbox records the send just after the server accepted it.
    await expectEventually(async () => {
      const latest = (
        await kefu.app.inject({
          url: `/api/v1/channels/email/${channelId}`,
          headers: { cookie: admin.cookie },
        })
      ).json() as Channel;
      expect(latest.outboundStatus).toMatchObject({ state: 'ok', error: null });
    }, 10_000);
  });

  it('a mail the server refuses for good marks the message failed and tells the agent', async () => {
    const from = customer('gone');
    await sendToKefu(from, 'Account locked');
    const failed = await expectEventually(async () => {
      const [row] = await kefu.deps.db
        .select({ status: outbox.status, conversationId: outbox.conversationId })
        .from(outbox)
        .innerJoin(conversations, eq(conversations.id, outbox.conversationId))
        .innerJoin(contacts, eq(contacts.id, conversations.contactId))
        .where(eq(contacts.email, from));
      if (row?.status !== 'failed') throw new Error('not failed yet');
      return row;
    }, 10_000);
    expect(failed.status).toBe('failed');
    const note = await expectEventually(async () => {
      const rows = await kefu.deps.db
        .select()
        .from(messages)
        .where(eq(messages.conversationId, failed.conversationId));
      const found = rows.find((m) => m.meta.kind === 'email_send_failed');
      if (!found) throw new Error('no note yet');
      return found;
    });
    expect(note.private).toBe(true);
    expect(note.text).toContain(from);
    expect(note.text).toContain('No such user');
    expect(received.some((r) => r.to.includes(from))).toBe(false);
    const channel = (
      await kefu.app.inject({
        url: `/api/v1/channels/email/${channelId}`,
        headers: { cookie: admin.cookie },
      })
    ).json() as Channel;
    expect(channel.outboundStatus?.state).toBe('error');
    expect(channel.outboundStatus?.error).toContain('No such user');
  });

  it('a node that dies right after handing a mail over does not mail it again when the job runs again', async () => {
    // The outbox job fails right after the handover, at its own bookkeeping (as a crash there
    // would): an injected fault on the update that counts the attempt.
    const restore = await refuseWrites(kefu.deps.db, {
      table: 'outbox',
      on: 'update',
      when: 'new.attempts > old.attempts',
      message: 'the node died',
    });
    const from = customer('once');
    try {
      await sendToKefu(from, 'Deposit not credited');
      // The acknowledgement's outbox job ran, failed after the handover, and ran again.
      await expectEventually(async () => {
        const rows = await kefu.deps.db
          .select({ status: jobs.status, attempts: jobs.attempts })
          .from(jobs)
          .innerJoin(outbox, sql`${outbox.id}::text = ${jobs.payload}->>'outboxId'`)
          .innerJoin(conversations, eq(conversations.id, outbox.conversationId))
          .innerJoin(contacts, eq(contacts.id, conversations.contactId))
          .where(and(eq(jobs.queue, 'outbox.deliver'), eq(contacts.email, from)));
        expect(rows).toEqual([{ status: 'done', attempts: 2 }]);
      }, 15_000);
      await expectEventually(() =>
        expect(received.filter((r) => r.to.includes(from))).toHaveLength(1),
      );
      await new Promise((r) => setTimeout(r, 500));
      expect(received.filter((r) => r.to.includes(from))).toHaveLength(1);
    } finally {
      await restore();
    }
  });

  it('a sender flooding the mailbox is stored but answered only up to the hourly limit', async () => {
    const from = customer('flood');
    for (let i = 0; i <= EMAIL_AUTO_REPLIES_PER_HOUR; i++) await sendToKefu(from, `Help ${i}`);
    const conversationsOfSender = await expectEventually(async () => {
      const rows = await kefu.deps.db
        .select({ id: conversations.id })
        .from(conversations)
        .innerJoin(contacts, eq(contacts.id, conversations.contactId))
        .where(eq(contacts.email, from));
      expect(rows).toHaveLength(EMAIL_AUTO_REPLIES_PER_HOUR + 1);
      return rows;
    }, 20_000);
    await expectEventually(
      () =>
        expect(received.filter((r) => r.to.includes(from))).toHaveLength(
          EMAIL_AUTO_REPLIES_PER_HOUR,
        ),
      20_000,
    );
    // Give the worker time to send an acknowledgement that should not exist.
    await new Promise((r) => setTimeout(r, 1000));
    expect(received.filter((r) => r.to.includes(from))).toHaveLength(EMAIL_AUTO_REPLIES_PER_HOUR);
    const inbound = await kefu.deps.db
      .select({ meta: messages.meta, conversationId: messages.conversationId })
      .from(messages)
      .where(eq(messages.senderType, 'contact'));
    const flagged = inbound.filter(
      (m) =>
        conversationsOfSender.some((c) => c.id === m.conversationId) &&
        (m.meta.email as { rateLimited?: boolean } | undefined)?.rateLimited === true,
    );
    expect(flagged).toHaveLength(1);
  }, 60_000);

  it('an edit that leaves the password out keeps it; a wrong one shows as the last error', async () => {
    const renamed = await kefu.app.inject({
      method: 'PATCH',
      url: `/api/v1/channels/email/${channelId}`,
      headers: { cookie: admin.cookie },
      payload: {
        name: 'Help desk (EU)',
        smtpOutbound: { host: '127.0.0.1', port: relayPort, security: 'none', user: SMTP_USER },
      },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((renamed.json() as Channel).smtpOutbound?.hasPassword).toBe(true);
    const kept = customer();
    await sendToKefu(kept, 'Still signed in?');
    await expectEventually(() => {
      if (!received.some((r) => r.to.includes(kept))) throw new Error('no mail yet');
    }, 10_000);

    const wrong = await kefu.app.inject({
      method: 'PATCH',
      url: `/api/v1/channels/email/${channelId}`,
      headers: { cookie: admin.cookie },
      payload: {
        smtpOutbound: {
          host: '127.0.0.1',
          port: relayPort,
          security: 'none',
          user: SMTP_USER,
          password: 'not-the-password',
        },
      },
    });
    expect(wrong.statusCode).toBe(200);
    const lost = customer();
    await sendToKefu(lost, 'Anyone there?');
    const status = await expectEventually(async () => {
      const channel = (
        await kefu.app.inject({
          url: `/api/v1/channels/email/${channelId}`,
          headers: { cookie: admin.cookie },
        })
      ).json() as Channel;
      if (!channel.outboundStatus?.error?.includes('Invalid username'))
        throw new Error('no error yet');
      return channel.outboundStatus;
    }, 10_000);
    expect(status.state).toBe('error');
    expect(received.some((r) => r.to.includes(lost))).toBe(false);
  });
});

/** A local SMTP server with a certificate (see test/fixtures/tls); logins only once encrypted. */
async function tlsRelay(implicitTls: boolean, certificate: 'server' | 'untrusted') {
  const file = (name: string) => readFileSync(new URL(`./fixtures/tls/${name}`, import.meta.url));
  const got: { to: string[]; secure: boolean }[] = [];
  const server = new SMTPServer({
    secure: implicitTls,
    key: file(`${certificate}.key`),
    cert: file(`${certificate}.pem`),
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD)
        return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        got.push({ to: session.envelope.rcptTo.map((r) => r.address), secure: session.secure });
        callback();
      });
    },
  });
  // A client that refuses the certificate aborts the handshake: the server reports it as an error.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, got, port: (server.server.address() as AddressInfo).port };
}

describe('outbound mail over TLS', () => {
  const relays: SMTPServer[] = [];
  afterAll(async () => {
    for (const r of relays) await new Promise<void>((resolve) => r.close(() => resolve()));
  });

  async function pointMailboxAt(host: string, port: number, security: 'tls' | 'starttls') {
    const response = await kefu.app.inject({
      method: 'PATCH',
      url: `/api/v1/channels/email/${channelId}`,
      headers: { cookie: admin.cookie },
      payload: {
        smtpOutbound: { host, port, security, user: SMTP_USER, password: SMTP_PASSWORD },
      },
    });
    expect(response.statusCode, response.body).toBe(200);
  }

  async function outboundError(contains: string) {
    return expectEventually(async () => {
      const channel = (
        await kefu.app.inject({
          url: `/api/v1/channels/email/${channelId}`,
          headers: { cookie: admin.cookie },
        })
      ).json() as Channel;
      if (!channel.outboundStatus?.error?.includes(contains))
        throw new Error(`no "${contains}" error yet: ${channel.outboundStatus?.error}`);
      return channel.outboundStatus;
    }, 15_000);
  }

  for (const [security, implicitTls] of [
    ['tls', true],
    ['starttls', false],
  ] as const) {
    it(`sends through a server with a verified certificate (${security})`, async () => {
      const relay = await tlsRelay(implicitTls, 'server');
      relays.push(relay.server);
      // The certificate names localhost: that is the name Kefu must check it against.
      await pointMailboxAt('localhost', relay.port, security);
      const from = customer();
      await sendToKefu(from, `Over ${security}?`);
      await expectEventually(() => {
        if (!relay.got.some((r) => r.to.includes(from))) throw new Error('no mail yet');
      }, 15_000);
      expect(relay.got.filter((r) => r.to.includes(from))).toEqual([{ to: [from], secure: true }]);
    });
  }

  it('refuses a certificate nobody vouches for, and sends nothing', async () => {
    const relay = await tlsRelay(true, 'untrusted');
    relays.push(relay.server);
    await pointMailboxAt('localhost', relay.port, 'tls');
    const from = customer();
    await sendToKefu(from, 'Is this really you?');
    const status = await outboundError('certificate');
    expect(status.state).toBe('error');
    expect(relay.got).toEqual([]);
  });

  it('never falls back to plain text when STARTTLS is required and the server lacks it', async () => {
    // The main relay offers no STARTTLS.
    await pointMailboxAt('127.0.0.1', relayPort, 'starttls');
    const from = customer();
    await sendToKefu(from, 'Plain text?');
    const status = await outboundError('STARTTLS');
    expect(status.state).toBe('error');
    expect(received.some((r) => r.to.includes(from))).toBe(false);
  });
});
