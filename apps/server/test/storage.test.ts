import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createAgent, findAgents } from '../src/auth/agents.ts';
import { openDatabase } from '../src/db/client.ts';
import { DataDirLockedError } from '../src/db/data-dir-lock.ts';
import { systemActor } from '../src/deps.ts';
import { buildApp } from '../src/http/app.ts';
import { KnowledgeIndex } from '../src/knowledge/search-index.ts';
import { createLogger } from '../src/lib/logger.ts';
import { createTestDatabase, testConfig } from './helpers/test-kefu.ts';

async function tableNames(db: Awaited<ReturnType<typeof openDatabase>>['db']): Promise<string[]> {
  const result = (await db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  )) as unknown as { rows: { table_name: string }[] };
  return result.rows.map((r) => r.table_name);
}

describe('migrations', () => {
  it('apply on an empty database, and again without change', async () => {
    const { database, drop } = await createTestDatabase({ blank: true });
    try {
      expect(await database.migrationsApplied()).toBe(false);
      await database.migrate();
      const tables = await tableNames(database.db);
      expect(tables).toEqual(
        expect.arrayContaining(['agents', 'agent_sessions', 'audit_events', 'teams', 'settings']),
      );
      expect(await database.migrationsApplied()).toBe(true);
      await database.migrate();
      await database.migrate();
      expect(await tableNames(database.db)).toEqual(tables);
      const count = (await database.db.execute(
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      )) as unknown as {
        rows: { n: number }[];
      };
      expect(count.rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await drop();
    }
  });

  it('readyz answers 503 until migrations are applied', async () => {
    const { database, drop } = await createTestDatabase({ blank: true });
    try {
      const deps = {
        db: database.db,
        logger: createLogger('silent'),
        clock: { now: () => new Date() },
        config: testConfig(),
        publish: () => {},
        kickJobs: () => {},
        kb: new KnowledgeIndex(),
      };
      const app = await buildApp({ deps, database });
      const before = await app.inject({ method: 'GET', url: '/readyz' });
      expect(before.statusCode).toBe(503);
      expect(before.json()).toEqual({ status: 'unavailable', reason: 'migrations' });
      await database.migrate();
      expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      await app.close();
    } finally {
      await drop();
    }
  });
});

describe('embedded data directory', () => {
  it('keeps data across a close and reopen', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kefu-data-'));
    const first = await openDatabase({ kind: 'pglite', dataDir: dir });
    await first.migrate();
    await createAgent({ db: first.db }, systemActor, {
      email: 'kept@kefu-test.example',
      name: 'Kept',
      role: 'agent',
      password: 'long-enough-password',
      languages: ['en'],
      skills: [],
      capacity: 3,
      teamIds: [],
    });
    await first.close();
    const second = await openDatabase({ kind: 'pglite', dataDir: dir });
    await second.migrate();
    expect((await findAgents({ db: second.db })).map((a) => a.email)).toContain(
      'kept@kefu-test.example',
    );
    await second.close();
  });

  it('refuses a second opener while the first holds it, and takes over a stale lock', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kefu-lock-'));
    const first = await openDatabase({ kind: 'pglite', dataDir: dir });
    await expect(openDatabase({ kind: 'pglite', dataDir: dir })).rejects.toBeInstanceOf(
      DataDirLockedError,
    );
    await expect(openDatabase({ kind: 'pglite', dataDir: dir })).rejects.toThrow(
      /in use by another Kefu process/,
    );
    await first.close();

    // A lock left by a process that no longer exists does not keep Kefu from starting.
    const stale = mkdtempSync(path.join(tmpdir(), 'kefu-stale-'));
    writeFileSync(path.join(stale, 'kefu.lock'), '999999999');
    const taken = await openDatabase({ kind: 'pglite', dataDir: stale });
    expect(await taken.ping()).toBe(true);
    await taken.close();
  });
});
