// Writes the empty embedded database cluster that a new data directory starts from
// (src/db/pglite-template.ts): PGlite's initdb once, at install, instead of at every first start.
import { mkdirSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { register } from 'tsx/esm/api';

register();
const { PGLITE_TEMPLATE_DIR, pgliteTemplatePath } = await import('../src/db/pglite-template.ts');
const started = performance.now();
const pg = new PGlite();
await pg.waitReady;
const dump = await pg.dumpDataDir('gzip');
await pg.close();
mkdirSync(PGLITE_TEMPLATE_DIR, { recursive: true });
const file = pgliteTemplatePath();
writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
console.log(`embedded database template written in ${Math.round(performance.now() - started)} ms`);
