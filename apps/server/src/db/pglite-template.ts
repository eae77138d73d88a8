import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A new embedded database starts from an empty cluster that `npm install` prepared (the build
 * step runs `scripts/build-pglite-template.mjs`): loading it takes about a second where
 * PGlite's own initdb takes three or four, which is most of Kefu's first start. The file names
 * the PGlite version that wrote it; another version, or no file, means initdb as before.
 */
export const PGLITE_TEMPLATE_DIR = fileURLToPath(new URL('../../dist/', import.meta.url));

export function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const manifest = new URL('../package.json', `file://${entry}`);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

export function pgliteTemplatePath(version = pgliteVersion()): string {
  return `${PGLITE_TEMPLATE_DIR}pglite-template-${version}.tar.gz`;
}

let cached: Blob | null | undefined;

/** The prepared empty cluster, or null when there is none for this PGlite. */
export function pgliteTemplate(): Blob | null {
  if (cached === undefined) {
    const file = pgliteTemplatePath();
    cached = existsSync(file) ? new Blob([readFileSync(file)]) : null;
  }
  return cached;
}
