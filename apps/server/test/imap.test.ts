import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { ImapFlow } from 'imapflow';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAssistantSettings } from '../src/assistant/settings.ts';
import { emailSettingsOf } from '../src/channels/email/settings.ts';
import { messages } from '../src/conversations/schema.ts';
import { openDatabase } from '../src/db/client.ts';
import { getInboxRow } from '../src/inboxes/inboxes.ts';
import { createKefuNode, type KefuNode } from '../src/node.ts';
import { expectEventually } from './helpers/realtime.ts';
import {
  createTestDatabase,
  createTestKefu,
  seedAgent,
  type TestDatabase,
  type TestKefu,
  testConfig,
} from './helpers/test-kefu.ts';

const isRoot = process.getuid?.() === 0;
const userExists = (name: string) => spawnSync('id', [name]).status === 0;
/** Dovecot refuses to run its login and mail processes as root: as root, its own users do. */
const dovecotAvailable =
  spawnSync('dovecot', ['--version']).status === 0 &&
  (!isRoot || (userExists('dovecot') && userExists('dovenull')));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

type Dovecot = {
  port: number;
  /** IMAP over TLS, with the certificate asked for (see test/fixtures/tls). */
  tlsPort: number;
  user: string;
  password: string;
  stop: () => Promise<void>;
};

/**
 * A throwaway Dovecot on loopback ports: one passwd-file user, Maildir in a temp dir. With a
 * certificate it offers STARTTLS and TLS; with none, plain IMAP only.
 */
async function startDovecot(
  certificate: 'server' | 'untrusted' | null = 'server',
): Promise<Dovecot> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-dovecot-'));
  const port = await freePort();
  const tlsPort = await freePort();
  const fixture = (name: string) =>
    fileURLToPath(new URL(`./fixtures/tls/${name}`, import.meta.url));
  const user = 'support';
  const password = `pw-${randomUUID()}`;
  const uid = process.getuid?.() ?? 1000;
  const gid = process.getgid?.() ?? 1000;
  const me = spawnSync('id', ['-un']).stdout.toString().trim();
  const group = spawnSync('id', ['-gn']).stdout.toString().trim();
  mkdirSync(path.join(dir, 'mail'));
  // Dovecot's own users must reach the passwd file and the mail directory.
  chmodSync(dir, 0o755);
  if (isRoot) {
    const dovecotUid = Number(spawnSync('id', ['-u', 'dovecot']).stdout.toString());
    const dovecotGid = Number(spawnSync('id', ['-g', 'dovecot']).stdout.toString());
    chownSync(path.join(dir, 'mail'), dovecotUid, dovecotGid);
  }
  writeFileSync(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`);
  writeFileSync(
    path.join(dir, 'dovecot.conf'),
    [
      'protocols = imap',
      'listen = 127.0.0.1',
      `base_dir = ${dir}/run`,
      `state_dir = ${dir}/state`,
      `log_path = ${dir}/dovecot.log`,
      ...(certificate
        ? [
            'ssl = yes',
            `ssl_cert = <${fixture(`${certificate}.pem`)}`,
            `ssl_key = <${fixture(`${certificate}.key`)}`,
          ]
        : ['ssl = no']),
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      `default_login_user = ${isRoot ? 'dovenull' : me}`,
      `default_internal_user = ${isRoot ? 'dovecot' : me}`,
      ...(isRoot ? [] : [`default_internal_group = ${group}`]),
      'first_valid_uid = 1',
      'passdb {',
      '  driver = passwd-file',
      `  args = scheme=PLAIN username_format=%u ${dir}/passwd`,
      '}',
      'userdb {',
      '  driver = static',
      `  args = uid=${isRoot ? 'dovecot' : uid} gid=${isRoot ? 'dovecot' : gid} home=${dir}/mail/%u`,
      '}',
      'mail_location = maildir:~/Maildir',
      'service imap-login {',
      '  inet_listener imap {',
      '    address = 127.0.0.1',
      `    port = ${port}`,
      '  }',
      '  inet_listener imaps {',
      '    address = 127.0.0.1',
      `    port = ${certificate ? tlsPort : 0}`,
      ...(certificate ? ['    ssl = yes'] : []),
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('dovecot', ['-F', '-c', path.join(dir, 'dovecot.conf')], {
    stdio: 'ignore',
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await expectEventually(async () => {
      const probe = imapClient({ port, user, password });
      await probe.connect();
      await probe.logout();
    }, 10_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, tlsPort, user, password, stop };
}

function imapClient(input: { port: number; user: string; password: string }) {
  return new ImapFlow({
    host: '127.0.0.1',
    port: input.port,
    secure: false,
    // The test's own client drops mail in plain text, whatever certificate the server has.
    doSTARTTLS: false,
    auth: { user: input.user, pass: input.password },
    logger: false,
  });
}

/** What the node logged about IMAP mail: uid and what the pipeline did with it. */
type Fetch = { uid: number; status: string };

describe.runIf(dovecotAvailable)('email channel over IMAP (Dovecot on loopback)', () => {
  let dovecot: Dovecot;
  let db: TestDatabase;
  let mailbox: ImapFlow;

  async function deliver(subject: string): Promise<string> {
    const id = `${randomUUID()}@mail-customer.example`;
    await mailbox.append(
      'INBOX',
      [
        `From: Li Wei <li.wei-${id.slice(0, 6)}@mail-customer.example>`,
        'To: support@demo-exchange.example',
        `Subject: ${subject}`,
        `Message-ID: <${id}>`,
        `Date: ${new Date().toUTCString()}`,
        '',
        `${subject}: please help.`,
        '',
      ].join('\r\n'),
    );
    return id;
  }

  async function startNode(fetches: Fetch[]): Promise<TestKefu> {
    const logs = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          const entry = JSON.parse(line) as { msg?: string; uid?: number; status?: string };
          if (entry.msg === 'imap: mail received' && entry.uid !== undefined)
            fetches.push({ uid: entry.uid, status: entry.status ?? '' });
        }
        callback();
      },
    });
    const node: KefuNode = await createKefuNode({
      config: testConfig({ KEFU_IMAP_POLL_SECONDS: '1' }),
      database: db.database,
      logger: pino({ level: 'info' }, logs),
      clock: { now: () => new Date() },
      jobPollMs: 50,
    });
    await node.app.ready();
    return {
      app: node.app,
      deps: node.deps,
      database: db.database,
      node,
      close: () => node.close(),
    };
  }

  const storedCount = async (kefu: TestKefu, id: string) =>
    (
      await kefu.deps.db
        .select({ id: messages.id })
        .from(messages)
        .where(eq(messages.idempotencyKey, `email:${id}`))
    ).length;

  beforeAll(async () => {
    dovecot = await startDovecot();
    mailbox = imapClient(dovecot);
    await mailbox.connect();
    db = await createTestDatabase();
    await db.database.migrate();
    await saveAssistantSettings(db.database.db, { enabled: false, humanForVipFrom: null });
  }, 60_000);

  afterAll(async () => {
    await mailbox?.logout().catch(() => {});
    await db?.drop();
    await dovecot?.stop();
  });

  it('fetches new mail once; after a restart nothing is refetched and mail that came meanwhile is', async () => {
    const before = await deliver('Waiting before Kefu started');
    const firstFetches: Fetch[] = [];
    const first = await startNode(firstFetches);
    let inboxId: string;
    try {
      const admin = await seedAgent(first, 'admin');
      const created = await first.app.inject({
        method: 'POST',
        url: '/api/v1/channels/email',
        headers: { cookie: admin.cookie },
        payload: {
          name: 'Support (IMAP)',
          address: 'support@demo-exchange.example',
          smtpInbound: false,
          imap: {
            host: '127.0.0.1',
            port: dovecot.port,
            secure: false,
            user: dovecot.user,
            password: dovecot.password,
            mailbox: 'INBOX',
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.body).not.toContain(dovecot.password);
      inboxId = (created.json() as { id: string }).id;
      // The password is stored encrypted.
      expect(JSON.stringify((await getInboxRow(first.deps.db, inboxId)).settings)).not.toContain(
        dovecot.password,
      );

      await expectEventually(async () => expect(await storedCount(first, before)).toBe(1), 15_000);
      // Mail arriving while Kefu watches (IDLE, or the poll).
      const live = await deliver('Arrived while watching');
      await expectEventually(async () => {
        expect(await storedCount(first, live)).toBe(1);
        expect(firstFetches.map((f) => f.uid)).toEqual([1, 2]);
      }, 15_000);
      expect(firstFetches.every((f) => f.status === 'accepted')).toBe(true);
      const state = emailSettingsOf(await getInboxRow(first.deps.db, inboxId)).imapState;
      expect(state?.lastUid).toBe(2);
    } finally {
      await first.close();
    }

    // While Kefu is down: one new mail, and the old ones marked unread again by a person.
    const meanwhile = await deliver('Arrived while Kefu was down');
    await mailbox.mailboxOpen('INBOX');
    await mailbox.messageFlagsRemove('1:2', ['\\Seen'], { uid: true });

    const secondFetches: Fetch[] = [];
    const second = await startNode(secondFetches);
    try {
      await expectEventually(
        async () => expect(await storedCount(second, meanwhile)).toBe(1),
        15_000,
      );
      // Another poll round: still nothing old comes back.
      await new Promise((r) => setTimeout(r, 1500));
      expect(secondFetches).toEqual([{ uid: 3, status: 'accepted' }]);
      const state = emailSettingsOf(await getInboxRow(second.deps.db, inboxId)).imapState;
      expect(state?.lastUid).toBe(3);
    } finally {
      await second.close();
    }
  }, 90_000);
});

describe.runIf(dovecotAvailable)('IMAP with two nodes: one reader per mailbox', () => {
  it('only one node reads the mailbox; when it stops, the other takes over', async () => {
    const dovecot = await startDovecot();
    const mailbox = imapClient(dovecot);
    await mailbox.connect();
    const db = await createTestDatabase();
    await db.database.migrate();
    await saveAssistantSettings(db.database.db, { enabled: false, humanForVipFrom: null });
    const deliver = async (subject: string) => {
      const id = `${randomUUID()}@mail-customer.example`;
      await mailbox.append(
        'INBOX',
        [
          `From: Zhang Min <zhang.min-${id.slice(0, 6)}@mail-customer.example>`,
          'To: help@demo-exchange.example',
          `Subject: ${subject}`,
          `Message-ID: <${id}>`,
          `Date: ${new Date().toUTCString()}`,
          '',
          `${subject}.`,
          '',
        ].join('\r\n'),
      );
      return id;
    };
    const fetchesA: Fetch[] = [];
    const fetchesB: Fetch[] = [];
    const nodes: KefuNode[] = [];
    // On PostgreSQL each node has its own pool, as two processes would.
    const second = db.url
      ? await openDatabase({ kind: 'postgres', url: db.url, poolSize: 5 })
      : db.database;
    const start = async (fetches: Fetch[], database = db.database) => {
      const logs = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          for (const line of chunk.toString().split('\n').filter(Boolean)) {
            const entry = JSON.parse(line) as { msg?: string; uid?: number; status?: string };
            if (entry.msg === 'imap: mail received' && entry.uid !== undefined)
              fetches.push({ uid: entry.uid, status: entry.status ?? '' });
          }
          callback();
        },
      });
      const node = await createKefuNode({
        config: testConfig({ KEFU_IMAP_POLL_SECONDS: '1' }),
        database,
        logger: pino({ level: 'info' }, logs),
        clock: { now: () => new Date() },
        jobPollMs: 50,
      });
      await node.app.ready();
      nodes.push(node);
      return node;
    };
    try {
      const a = await start(fetchesA);
      const b = await start(fetchesB, second);
      const kefuA: TestKefu = {
        app: a.app,
        deps: a.deps,
        database: db.database,
        node: a,
        close: () => a.close(),
      };
      const admin = await seedAgent(kefuA, 'admin');
      const created = await a.app.inject({
        method: 'POST',
        url: '/api/v1/channels/email',
        headers: { cookie: admin.cookie },
        payload: {
          name: 'Help (IMAP, two nodes)',
          address: 'help@demo-exchange.example',
          smtpInbound: false,
          imap: {
            host: '127.0.0.1',
            port: dovecot.port,
            secure: false,
            user: dovecot.user,
            password: dovecot.password,
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      // Both nodes pick the new mailbox up at their next refresh.
      await Promise.all([a.imap.refresh(), b.imap.refresh()]);
      await deliver('First mail');
      await deliver('Second mail');
      await expectEventually(
        () => expect([...fetchesA, ...fetchesB].map((f) => f.uid).sort()).toEqual([1, 2]),
        15_000,
      );
      // A few more polls by both nodes: nobody reads the mail a second time.
      await new Promise((r) => setTimeout(r, 2500));
      const all = [...fetchesA, ...fetchesB];
      expect(all).toHaveLength(2);
      expect(all.every((f) => f.status === 'accepted')).toBe(true);
      // One node did all the reading.
      expect([fetchesA.length, fetchesB.length].sort()).toEqual([0, 2]);

      const [holder, survivor, survivorFetches] =
        fetchesA.length > 0 ? [a, b, fetchesB] : [b, a, fetchesA];
      await holder.close();
      const later = await deliver('After the reader stopped');
      await expectEventually(() => expect(survivorFetches.map((f) => f.uid)).toEqual([3]), 20_000);
      const stored = await survivor.deps.db
        .select({ id: messages.id })
        .from(messages)
        .where(eq(messages.idempotencyKey, `email:${later}`));
      expect(stored).toHaveLength(1);
    } finally {
      for (const node of nodes) await node.close().catch(() => undefined);
      if (second !== db.database) await second.close();
      await mailbox.logout().catch(() => {});
      await db.drop();
      await dovecot.stop();
    }
  }, 120_000);
});

describe.runIf(dovecotAvailable)('IMAP over TLS', () => {
  const servers: Dovecot[] = [];
  let kefu: TestKefu;
  afterAll(async () => {
    await kefu?.close();
    for (const server of servers) await server.stop();
  });

  it('reads a mailbox over TLS with a verified certificate; refuses one nobody vouches for, and a server without STARTTLS', async () => {
    const trusted = await startDovecot('server');
    servers.push(trusted);
    const untrusted = await startDovecot('untrusted');
    servers.push(untrusted);
    const plain = await startDovecot(null);
    servers.push(plain);
    const subject = `Over TLS ${randomUUID().slice(0, 6)}`;
    const client = imapClient(trusted);
    await client.connect();
    await client.append(
      'INBOX',
      [
        'From: Li Wei <li.wei@mail-customer.example>',
        'To: support@demo-exchange.example',
        `Subject: ${subject}`,
        `Message-ID: <${randomUUID()}@mail-customer.example>`,
        `Date: ${new Date().toUTCString()}`,
        '',
        'My deposit has not arrived.',
        '',
      ].join('\r\n'),
    );
    await client.logout();

    kefu = await createTestKefu({ env: { KEFU_IMAP_POLL_SECONDS: '1' } });
    const admin = await seedAgent(kefu, 'admin');
    const channel = async (server: Dovecot, address: string, secure = true) => {
      const created = await kefu.app.inject({
        method: 'POST',
        url: '/api/v1/channels/email',
        headers: { cookie: admin.cookie },
        payload: {
          name: address,
          address,
          smtpInbound: false,
          // The certificates name localhost: that is the name Kefu must check them against.
          imap: {
            host: 'localhost',
            port: secure ? server.tlsPort : server.port,
            secure,
            user: server.user,
            password: server.password,
            mailbox: 'INBOX',
          },
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      return (created.json() as { id: string }).id;
    };
    await channel(trusted, `tls-${randomUUID().slice(0, 6)}@demo-exchange.example`);
    const refused = await channel(
      untrusted,
      `bad-${randomUUID().slice(0, 6)}@demo-exchange.example`,
    );
    // Not TLS from the start: the upgrade is required, so a plain server gets no password.
    const cleartext = await channel(
      plain,
      `plain-${randomUUID().slice(0, 6)}@demo-exchange.example`,
      false,
    );

    await expectEventually(async () => {
      const stored = await kefu.deps.db
        .select({ text: messages.text })
        .from(messages)
        .where(eq(messages.text, 'My deposit has not arrived.'));
      expect(stored).toHaveLength(1);
    }, 20_000);
    const imapError = (id: string) =>
      expectEventually(async () => {
        const body = (
          await kefu.app.inject({
            url: `/api/v1/channels/email/${id}`,
            headers: { cookie: admin.cookie },
          })
        ).json() as { imap: { status: { state: string; error: string | null } | null } };
        if (!body.imap.status?.error) throw new Error('no error yet');
        return body.imap.status;
      }, 20_000);
    const refusedStatus = await imapError(refused);
    expect(refusedStatus.state).toBe('error');
    expect(refusedStatus.error).toMatch(/certificate/i);
    const cleartextStatus = await imapError(cleartext);
    expect(cleartextStatus.state).toBe('error');
    expect(cleartextStatus.error).toMatch(/STARTTLS/);
  }, 90_000);
});
