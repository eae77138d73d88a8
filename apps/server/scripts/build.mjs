// The server's install-time build (`npm run build`, which `npm install` runs through prepare):
// 1. dist/kefu.mjs: the server's TypeScript and @kefu/shared's in one ES module, npm packages
//    left as imports. bin/kefu.js runs it while it is newer than every source file: loading one
//    bundle is faster than compiling some 200 files through tsx at each start.
// 2. The embedded database template (src/db/pglite-template.ts): PGlite's initdb and the
//    shipped migrations run once here instead of at every first start.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { register } from 'tsx/esm/api';
import { bundleServer } from './bundle.mjs';

const only = process.argv[2];

if (!only || only === 'bundle') {
  const started = performance.now();
  await bundleServer();
  console.log(`server bundle written in ${Math.round(performance.now() - started)} ms`);
}

if (!only || only === 'template') {
  register();
  const {
    MIGRATIONS_FOLDER,
    PGLITE_TEMPLATE_DIR,
    pgliteTemplatePaths,
    pgliteVersion,
    shippedMigrationHashes,
  } = await import('../src/db/pglite-template.ts');
  const started = performance.now();
  const pg = new PGlite();
  await pg.waitReady;
  await migrate(drizzle(pg), { migrationsFolder: MIGRATIONS_FOLDER });
  const dump = await pg.dumpDataDir('gzip');
  await pg.close();
  mkdirSync(PGLITE_TEMPLATE_DIR, { recursive: true });
  const files = pgliteTemplatePaths();
  // The manifest last: without it the data is not used, so a build cut short leaves no half template.
  rmSync(files.manifest, { force: true });
  writeFileSync(`${files.data}.tmp`, Buffer.from(await dump.arrayBuffer()));
  renameSync(`${files.data}.tmp`, files.data);
  const manifest = { pglite: pgliteVersion(), migrations: shippedMigrationHashes() };
  writeFileSync(`${files.manifest}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${files.manifest}.tmp`, files.manifest);
  console.log(
    `embedded database template (${manifest.migrations.length} migrations) written in ${Math.round(performance.now() - started)} ms`,
  );
}
