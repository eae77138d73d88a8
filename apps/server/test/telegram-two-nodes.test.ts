import { randomUUID } from 'node:crypto';
import type { TTelegramChannel } from '@kefu/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { contacts } from '../src/contacts/schema.ts';
import { conversations, messages } from '../src/conversations/schema.ts';
import { openDatabase } from '../src/db/client.ts';
import { leases } from '../src/jobs/schema.ts';
import { startFakeBotApi, type Update } from './helpers/fake-telegram.ts';
import { expectEventually, seedSupportDesk } from './helpers/realtime.ts';
import {
  createTestDatabase,
  createTestKefu,
  seedAgent,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  type TestKefu,
} from './helpers/test-kefu.ts';

/** What to close after the test, last opened first. */
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function textUpdate(updateId: number, userId: number, text: string): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: 'private', first_name: 'Li' },
      from: { id: userId, is_bot: false, first_name: 'Li', language_code: 'en' },
      text,
    },
  };
}

describe.runIf(TEST_DATABASE_URL && TEST_REDIS_URL)('a polling Telegram bot on two nodes', () => {
  it('only the lease holder polls; when it stops, the other node takes over and nothing is lost or doubled', async () => {
    const fake = await startFakeBotApi();
    cleanups.push(fake.close);
    const shared = await createTestDatabase();
    const env = { REDIS_URL: TEST_REDIS_URL as string };
    const a = await createTestKefu({ env, database: shared });
    let closeA = a.close;
    cleanups.push(() => closeA());
    await seedSupportDesk(a);
    const admin = await seedAgent(a, 'admin');
    const token = `${Math.floor(Math.random() * 1e9)}:AAH${randomUUID().replaceAll('-', '')}`;
    const connected = await a.app.inject({
      method: 'POST',
      url: '/api/v1/channels/telegram',
      headers: { cookie: admin.cookie },
      payload: { name: 'Support bot', botToken: token, mode: 'polling', apiRoot: fake.apiRoot },
    });
    expect(connected.statusCode, connected.body).toBe(201);
    const { inboxId } = connected.json() as TTelegramChannel;
    const userId = 700_000 + Math.floor(Math.random() * 100_000);
    const leaseHolder = async () => {
      const [row] = await shared.database.db
        .select()
        .from(leases)
        .where(eq(leases.name, `telegram:${inboxId}`));
      return row?.holder ?? null;
    };
    const customerLines = async (db: TestKefu['deps']['db']) => {
      const rows = await db
        .select({ text: messages.text })
        .from(messages)
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .innerJoin(contacts, eq(contacts.id, conversations.contactId))
        .where(and(eq(contacts.telegramId, String(userId)), eq(messages.senderType, 'contact')))
        .orderBy(messages.createdAt);
      return rows.map((r) => r.text);
    };

    // Node A alone: it takes the bot's lease and polls.
    fake.push(token, textUpdate(1, userId, 'My deposit has not arrived'));
    await expectEventually(
      async () => expect(await customerLines(a.deps.db)).toEqual(['My deposit has not arrived']),
      15_000,
    );
    const holderA = await leaseHolder();
    expect(holderA).toBeTruthy();

    // Node B joins and runs its own loop for the bot, but does not poll while A holds the lease:
    // Telegram never sees two getUpdates at once.
    const second = await openDatabase({ kind: 'postgres', url: shared.url as string, poolSize: 5 });
    const b = await createTestKefu({
      env,
      database: { database: second, drop: () => second.close() },
    });
    cleanups.push(b.close);
    await sleep(2_000);
    expect(fake.conflicts).toEqual([]);
    expect(await leaseHolder()).toBe(holderA);

    // A stops cleanly and hands the bot over: B polls, and the next update is stored once.
    // Node A stops; the shared database stays for B (dropped at the end).
    closeA = shared.drop;
    await a.node?.close();
    fake.push(token, textUpdate(2, userId, 'Still nothing after an hour'));
    await expectEventually(
      async () =>
        expect(await customerLines(b.deps.db)).toEqual([
          'My deposit has not arrived',
          'Still nothing after an hour',
        ]),
      15_000,
    );
    const holderB = await leaseHolder();
    expect(holderB).toBeTruthy();
    expect(holderB).not.toBe(holderA);
    expect(fake.conflicts).toEqual([]);
  }, 60_000);
});
