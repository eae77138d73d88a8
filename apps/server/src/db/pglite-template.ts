import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { serverPath } from '../paths.ts';

/**
 * A new embedded database starts from a cluster that `npm install` prepared (the server's build
 * step, `scripts/build.mjs`): PGlite's initdb and every migration shipped at that time already
 * run, which is most of what a first start would otherwise spend. The file names the PGlite
 * version that wrote it and a manifest lists the migrations in it. Another PGlite version, no
 * file, or migrations that are not the start of the current ones (one was edited since) means
 * initdb and every migration, as without a template; migrations added since are applied on top.
 */
export const PGLITE_TEMPLATE_DIR = serverPath('dist');
export const MIGRATIONS_FOLDER = serverPath('drizzle');

export type TemplateManifest = { pglite: string; migrations: string[] };

export function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const manifest = new URL('../package.json', `file://${entry}`);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

export function pgliteTemplatePaths(version = pgliteVersion()): { data: string; manifest: string } {
  const base = path.join(PGLITE_TEMPLATE_DIR, `pglite-template-${version}`);
  return { data: `${base}.tar.gz`, manifest: `${base}.json` };
}

/** The migrations shipped in `drizzle/`, in order, by content hash (as drizzle reads them). */
export function shippedMigrationHashes(): string[] {
  return readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).map((m) => m.hash);
}

/** A template serves when the same PGlite wrote it and its migrations begin the shipped ones. */
export function isTemplateUsable(
  manifest: TemplateManifest,
  current: { pglite: string; migrations: string[] },
): boolean {
  return (
    manifest.pglite === current.pglite &&
    manifest.migrations.every((hash, i) => current.migrations[i] === hash)
  );
}

let cached: Blob | null | undefined;

/** The prepared cluster, or null when there is none this PGlite and these migrations can use. */
export function pgliteTemplate(): Blob | null {
  if (cached === undefined) {
    cached = null;
    const files = pgliteTemplatePaths();
    try {
      if (existsSync(files.data) && existsSync(files.manifest)) {
        const manifest = JSON.parse(readFileSync(files.manifest, 'utf8')) as TemplateManifest;
        const current = { pglite: pgliteVersion(), migrations: shippedMigrationHashes() };
        if (isTemplateUsable(manifest, current)) cached = new Blob([readFileSync(files.data)]);
      }
    } catch {
      // An unreadable template is no template: initdb and the migrations, as without one.
      cached = null;
    }
  }
  return cached;
}
