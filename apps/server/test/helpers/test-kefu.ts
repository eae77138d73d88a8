import { randomUUID } from 'node:crypto';
import type { TRole } from '@kefu/shared';
import pg from 'pg';
import { saveAssistantSettings } from '../../src/assistant/settings.ts';
import { createAgent } from '../../src/auth/agents.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { type Deps, systemActor } from '../../src/deps.ts';
import type { App } from '../../src/http/types.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createLogger, type Logger } from '../../src/lib/logger.ts';
import { createKefuNode, type KefuNode } from '../../src/node.ts';

/** Postgres when KEFU_TEST_DATABASE_URL is set (CI's second pass), else an in-memory PGlite. */
export const TEST_DATABASE_URL = process.env.KEFU_TEST_DATABASE_URL;
export const TEST_REDIS_URL = process.env.KEFU_TEST_REDIS_URL;

export type TestDatabase = {
  database: Database;
  drop: () => Promise<void> /** Postgres only: to open it again from a second node. */;
  url?: string;
};

/**
 * A fresh database of the kind under test, with no data; callers migrate it. On PGlite it comes
 * from the install-time template, migrations already in (`blank`: from initdb, none); on
 * Postgres it is a new database per call.
 */
export async function createTestDatabase(options: { blank?: boolean } = {}): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) {
    const database = await openDatabase({
      kind: 'pglite',
      inMemory: true,
      ...(options.blank ? { blank: true } : {}),
    });
    return { database, drop: () => database.close() };
  }
  const name = `kefu_test_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 5 });
  return {
    database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      const cleanup = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    KEFU_SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
    LOG_LEVEL: 'silent',
    KEFU_DEMO: 'false',
    KEFU_DATA_DIR: '/tmp/kefu-test-unused',
    KEFU_RATE_LIMIT_LOGIN: '10000',
    KEFU_RATE_LIMIT_NEW_CONVERSATIONS: '100000',
    ...env,
  });
}

/** A clock tests can move. */
export function testClock(
  start = new Date(),
): Clock & { advance: (ms: number) => void; set: (d: Date) => void } {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms) => {
      now += ms;
    },
    set: (d) => {
      now = d.getTime();
    },
  };
}

export type TestKefu = {
  app: App;
  deps: Deps;
  database: Database;
  node: KefuNode;
  close: () => Promise<void>;
};

/** A real Kefu app on a real, migrated database, driven with app.inject. */
export async function createTestKefu(
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    database?: TestDatabase;
    startJobs?: boolean;
    assistant?: boolean;
    logger?: Logger;
  } = {},
): Promise<TestKefu> {
  const { database, drop } = options.database ?? (await createTestDatabase());
  await database.migrate();
  // Conversations go straight to the human queue unless a test is about the assistant.
  await saveAssistantSettings(database.db, {
    enabled: options.assistant ?? false,
    humanForVipFrom: null,
  });
  const config = testConfig(options.env);
  const node = await createKefuNode({
    config,
    database,
    // KEFU_TEST_LOG=debug shows the server's logs while debugging a test.
    logger: options.logger ?? createLogger(process.env.KEFU_TEST_LOG ?? 'silent'),
    clock: options.clock ?? { now: () => new Date() },
    jobPollMs: 50,
    startJobs: options.startJobs ?? true,
  });
  await node.app.ready();
  return {
    app: node.app,
    deps: node.deps,
    database,
    node,
    close: async () => {
      await node.close();
      await drop();
    },
  };
}

export function uniqueEmail(prefix = 'agent'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@kefu-test.example`;
}

export type TestAgent = {
  id: string;
  email: string;
  password: string;
  role: TRole;
  cookie: string;
};

/** Inserts an agent with a unique email and signs it in. */
export async function seedAgent(
  kefu: TestKefu,
  role: TRole = 'agent',
  extra: { teamIds?: string[]; languages?: ('zh-CN' | 'en')[] } = {},
): Promise<TestAgent> {
  const email = uniqueEmail(role);
  const password = `pw-${randomUUID()}`;
  const agent = await createAgent(kefu.deps, systemActor, {
    email,
    name: `Test ${role}`,
    role,
    password,
    languages: extra.languages ?? ['en'],
    skills: [],
    capacity: 5,
    teamIds: extra.teamIds ?? [],
  });
  const cookie = await loginCookie(kefu, email, password);
  return { id: agent.id, email, password, role, cookie };
}

export async function loginCookie(
  kefu: TestKefu,
  email: string,
  password: string,
  extra: Record<string, string> = {},
): Promise<string> {
  const response = await kefu.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password, ...extra },
  });
  if (response.statusCode !== 200)
    throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'kefu_session');
  if (!cookie) throw new Error('no session cookie');
  return `kefu_session=${cookie.value}`;
}

export function errorOf(response: { json: () => unknown }): {
  code: string;
  message: string;
  details?: unknown;
} {
  return (response.json() as { error: { code: string; message: string; details?: unknown } }).error;
}
