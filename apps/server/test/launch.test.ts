import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { isBundleCurrent } from '../bin/current-bundle.js';
import {
  isTemplateUsable,
  pgliteTemplate,
  pgliteVersion,
  shippedMigrationHashes,
} from '../src/db/pglite-template.ts';
import { serverPath } from '../src/paths.ts';
import { runKefu } from './helpers/kefu-process.ts';
import { createTestDatabase, TEST_DATABASE_URL } from './helpers/test-kefu.ts';

const cleanup: string[] = [];
afterAll(() => {
  for (const file of cleanup) rmSync(file, { recursive: true, force: true });
});

describe('the launcher', () => {
  it('runs the bundle only while no TypeScript source is newer than it', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'kefu-launch-'));
    cleanup.push(root);
    const src = path.join(root, 'src');
    mkdirSync(path.join(src, 'deep'), { recursive: true });
    const bundle = path.join(root, 'kefu.mjs');
    const at = (file: string, seconds: number) => {
      writeFileSync(file, '');
      utimesSync(file, seconds, seconds);
    };
    const current = () => isBundleCurrent(pathToFileURL(bundle), [pathToFileURL(`${src}/`)]);
    at(path.join(src, 'a.ts'), 1_000);
    at(path.join(src, 'deep', 'b.ts'), 2_000);
    expect(current()).toBe(false); // no bundle yet
    at(bundle, 3_000);
    expect(current()).toBe(true);
    at(path.join(src, 'notes.md'), 4_000); // not a source file
    expect(current()).toBe(true);
    at(path.join(src, 'deep', 'b.ts'), 4_000); // edited after the build
    expect(current()).toBe(false);
  });

  it('a bundle built from the sources serves the console, the help center, the demo and the API', async () => {
    // Inside the server package, like dist/kefu.mjs, so its packages and files resolve the same way.
    const outfile = serverPath('dist', `test-bundle-${randomUUID()}.mjs`);
    cleanup.push(outfile);
    const { bundleServer } = await import('../scripts/bundle.mjs');
    await bundleServer(outfile);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'kefu-bundle-'));
    cleanup.push(dataDir);
    const kefu = runKefu(
      ['start'],
      { PORT: '0', HOST: '127.0.0.1', KEFU_DATA_DIR: dataDir },
      undefined,
      outfile,
    );
    try {
      const [, url] = await kefu.waitFor(/Agent console:\s+(http:\/\/\S+?)\/\s*$/m, 90_000);
      await kefu.waitFor(/^demo login: admin \S+ \S+$/m);
      expect((await fetch(`${url}/readyz`)).status).toBe(200);
      const console = await fetch(`${url}/`);
      expect(console.status).toBe(200);
      expect(await console.text()).toMatch(/<div id="root">/);
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@demo-exchange.example', password: 'kefu-demo-admin' }),
      });
      expect(login.status).toBe(200);
      // The demo help center, read from the sources' folder, is searchable and its page renders.
      const search = await fetch(
        `${url}/api/v1/kb/search?locale=zh-CN&q=${encodeURIComponent('提现')}`,
      );
      expect(search.status).toBe(200);
      expect(((await search.json()) as { hits: unknown[] }).hits.length).toBeGreaterThan(0);
      const help = await fetch(`${url}/help/en/search?q=withdrawal`);
      expect(help.status).toBe(200);
      expect(await help.text()).toMatch(/<link[^>]+stylesheet/);
    } finally {
      expect(await kefu.stop()).toBe(0);
    }
  }, 120_000);
});

describe('the embedded database template', () => {
  it('serves the same PGlite when its migrations begin the shipped ones', () => {
    const current = { pglite: '1.0.0', migrations: ['a', 'b', 'c'] };
    expect(isTemplateUsable({ pglite: '1.0.0', migrations: ['a', 'b', 'c'] }, current)).toBe(true);
    // A migration added since the install is applied on top.
    expect(isTemplateUsable({ pglite: '1.0.0', migrations: ['a', 'b'] }, current)).toBe(true);
    // One edited since, another PGlite, or more migrations than shipped: not used.
    expect(isTemplateUsable({ pglite: '1.0.0', migrations: ['a', 'x'] }, current)).toBe(false);
    expect(isTemplateUsable({ pglite: '0.9.0', migrations: ['a', 'b', 'c'] }, current)).toBe(false);
    expect(isTemplateUsable({ pglite: '1.0.0', migrations: ['a', 'b', 'c', 'd'] }, current)).toBe(
      false,
    );
  });

  it.skipIf(Boolean(TEST_DATABASE_URL))(
    'the install wrote one for this PGlite; a new database from it has every migration',
    async () => {
      expect(pgliteTemplate()).not.toBeNull();
      expect(pgliteVersion()).toMatch(/^\d+\.\d+\.\d+/);
      const { database, drop } = await createTestDatabase();
      try {
        expect(await database.migrationsApplied()).toBe(true);
        const rows = (await database.db.execute(
          sql`select hash from drizzle.__drizzle_migrations order by created_at`,
        )) as unknown as { rows: { hash: string }[] };
        expect(rows.rows.map((r) => r.hash)).toEqual(shippedMigrationHashes());
      } finally {
        await drop();
      }
    },
  );
});
