import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { TMessage, TSendAck } from '@kefu/shared';
import { generateMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as chinese } from '@scure/bip39/wordlists/simplified-chinese.js';
import { sql } from 'drizzle-orm';
import pino from 'pino';
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
import { createTestKefu, seedAgent, type TestKefu } from './helpers/test-kefu.ts';

let kefu: TestKefu;
let url: string;
let desk: SetupIds;
const logLines: string[] = [];

beforeAll(async () => {
  // Every log line at every level, to prove the secret never reaches the logs.
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  kefu = await createTestKefu({ logger: pino({ level: 'trace' }, sink) });
  url = await listen(kefu);
  desk = await seedSupportDesk(kefu);
});
afterAll(() => kefu.close());

/** Everything the database holds, as text. */
async function databaseDump(): Promise<string> {
  const tables = ['messages', 'conversations', 'audit_events', 'jobs', 'outbox', 'contacts'];
  const parts: string[] = [];
  for (const table of tables) {
    const rows = (await kefu.deps.db.execute(
      sql.raw(`select row_to_json(t)::text as j from ${table} t`),
    )) as unknown as { rows: { j: string }[] };
    parts.push(...rows.rows.map((r) => r.j));
  }
  return parts.join('\n');
}

describe('secrets sent through the socket', () => {
  it('an English seed phrase is masked before storage, never logged, and the customer is warned', async () => {
    const phrase = generateMnemonic(english, 128);
    const agent = await seedAgent(kefu, 'agent', { teamIds: [desk.teamEn] });
    const agentSocket = await connect(url, '/agent', { cookie: agent.cookie });
    const session = await customerSession(url, desk.siteToken);
    const customer = await connect(url, '/customer', { token: session.contactToken });
    try {
      const tx = `0x${'ab12'.repeat(16)}`;
      const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
        clientMessageId: `c-${randomUUID()}`,
        text: `My deposit ${tx} is missing. Here is my wallet seed so you can check: ${phrase}`,
      });
      if (!ack.ok) throw new Error(ack.error.message);
      expect(ack.redactions.map((r) => r.kind)).toEqual(['seed_phrase']);
      expect(ack.message.text).toContain('[REDACTED:seed_phrase]');
      expect(ack.message.text).toContain(tx);
      expect(ack.message.text).not.toContain(phrase);
      expect(ack.warning).toMatch(/seed phrase/);
      expect(ack.warning).toMatch(/never ask/);

      // The warning is also in the conversation, for the customer's other tabs and for the agent.
      await expectEventually(() => {
        const warning = customer.of<TMessage>('message:new').find((m) => m.senderType === 'system');
        expect(warning?.text).toBe(ack.warning);
      });
      const seenByAgent = await fetch(
        `${url}/api/v1/conversations/${ack.message.conversationId}/messages`,
        { headers: { cookie: agent.cookie } },
      );
      const texts = ((await seenByAgent.json()) as { messages: TMessage[] }).messages
        .map((m) => m.text)
        .join('\n');
      expect(texts).not.toContain(phrase);

      const dump = await databaseDump();
      expect(dump).toContain(tx);
      expect(dump).not.toContain(phrase.split(' ').slice(4, 8).join(' '));
      expect(dump).not.toContain(phrase);
      const logs = logLines.join('');
      expect(logs.length).toBeGreaterThan(0);
      expect(logs).not.toContain(phrase);
      expect(logs).not.toContain(phrase.split(' ').slice(0, 3).join(' '));
    } finally {
      customer.socket.disconnect();
      agentSocket.socket.disconnect();
    }
  });

  it('a Chinese seed phrase and a password are masked, and the warning is in Chinese', async () => {
    const phrase = generateMnemonic(chinese, 128);
    const session = await customerSession(url, desk.siteToken);
    const customer = await connect(url, '/customer', { token: session.contactToken });
    try {
      const ack = await emitAck<TSendAck>(customer.socket, 'message:send', {
        clientMessageId: `c-${randomUUID()}`,
        text: `我的助记词是 ${phrase}，登录密码是 Abc!2345678，账户被锁了`,
      });
      if (!ack.ok) throw new Error(ack.error.message);
      expect(new Set(ack.redactions.map((r) => r.kind))).toEqual(
        new Set(['seed_phrase', 'password']),
      );
      expect(ack.warning).toMatch(/助记词/);
      expect(ack.warning).toMatch(/密码/);
      const dump = await databaseDump();
      expect(dump).not.toContain(phrase);
      expect(dump).not.toContain('Abc!2345678');
      expect(logLines.join('')).not.toContain('Abc!2345678');
    } finally {
      customer.socket.disconnect();
    }
  });
});
