import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import { MIGRATIONS_FOLDER, pgliteTemplate } from './pglite-template.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Use cases that may run inside a caller's transaction take this. */
export type DbOrTx = Db | Tx;

export type Database = {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Answers true when the database answers a query. */
  ping: () => Promise<boolean>;
  /** Applies pending migrations; safe to call on every start and from several nodes at once. */
  migrate: () => Promise<void>;
  /** True when every migration shipped with this build has been applied. */
  migrationsApplied: () => Promise<boolean>;
  close: () => Promise<void>;
  /** Present in server mode: the pool, for metrics. */
  pool?: pg.Pool;
};

export type OpenDatabaseOptions =
  | {
      kind: 'pglite';
      dataDir?: string;
      inMemory?: boolean;
      /** Start a new database from PGlite's initdb, without the prepared template. */
      blank?: boolean;
    }
  | { kind: 'postgres'; url: string; poolSize?: number };

// Any fixed number: every Kefu node takes the same advisory lock while migrating.
const MIGRATION_LOCK_ID = 7_164_002;

async function countShippedMigrations(): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const journal = JSON.parse(
    await readFile(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'),
  ) as { entries: unknown[] };
  return journal.entries.length;
}

async function appliedMigrationCount(db: Db): Promise<number> {
  try {
    const rows = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    return Number((rows as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0);
  } catch {
    return 0;
  }
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.kind === 'pglite') {
    let lock: DataDirLock | undefined;
    let client: PGlite;
    // Read only for a database that does not exist yet.
    const fromTemplate = () => {
      const template = options.blank ? null : pgliteTemplate();
      return template ? { loadDataDir: template } : {};
    };
    if (options.inMemory || !options.dataDir) {
      client = new PGlite(fromTemplate());
    } else {
      mkdirSync(options.dataDir, { recursive: true });
      lock = acquireDataDirLock(options.dataDir);
      try {
        const dir = path.join(options.dataDir, 'pg');
        client = new PGlite(dir, existsSync(dir) ? {} : fromTemplate());
      } catch (error) {
        lock.release();
        throw error;
      }
    }
    await client.waitReady;
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    return {
      kind: 'pglite',
      db,
      ping: async () => {
        try {
          await client.query('select 1');
          return true;
        } catch {
          return false;
        }
      },
      migrate: async () => {
        await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
      },
      migrationsApplied: async () =>
        (await appliedMigrationCount(db)) >= (await countShippedMigrations()),
      close: async () => {
        await client.close();
        lock?.release();
      },
    };
  }

  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
  });
  // A dropped connection (database restart) must not crash the process; queries fail and recover.
  // The pool only listens on idle clients: a client checked out (mid-transaction, or between two
  // queries of a request) emits its own 'error', which would otherwise be an unhandled event.
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    kind: 'postgres',
    db,
    pool,
    ping: async () => {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    migrate: async () => {
      // One connection holds the advisory lock and runs the migrations, so nodes starting
      // together apply them once.
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        try {
          await migratePg(drizzlePg(client, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
        }
      } finally {
        client.release();
      }
    },
    migrationsApplied: async () =>
      (await appliedMigrationCount(db)) >= (await countShippedMigrations()),
    close: async () => {
      await pool.end();
    },
  };
}

/**
 * Runs a statement as a named prepared statement: on PostgreSQL each pooled connection parses
 * and plans it once instead of on every call (PGlite, in process, ignores the name). For the
 * largest statements of the hot paths; the statement's text must be the same on every call
 * (values as parameters), and the name unique to it.
 */
export async function executePrepared(
  db: Db,
  name: string,
  query: SQL,
): Promise<{ rows: Record<string, unknown>[] }> {
  // Drizzle's own path for `db.execute`, with the name it takes for its prepared queries.
  const internal = db as unknown as {
    dialect: { sqlToQuery: (q: SQL) => { sql: string; params: unknown[] } };
    session: {
      prepareQuery: (
        query: { sql: string; params: unknown[] },
        fields: undefined,
        name: string,
        arrayMode: boolean,
      ) => { execute: () => Promise<{ rows: Record<string, unknown>[] }> };
    };
  };
  return internal.session
    .prepareQuery(internal.dialect.sqlToQuery(query), undefined, name, false)
    .execute();
}
