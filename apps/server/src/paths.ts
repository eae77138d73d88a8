import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding the package.json of `@kefu/server`, found upward from `from`. */
export function findServerRoot(from: string): string {
  for (let dir = path.dirname(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === '@kefu/server') return dir;
    }
    if (path.dirname(dir) === dir) throw new Error(`no @kefu/server package above ${from}`);
  }
}

/**
 * The server package's folder. Files Kefu reads at run time (migrations, the demo help center,
 * the built console) are named from here, so the same code works from the sources (`src/…`,
 * run by tsx) and from the bundle the install step builds (`dist/kefu.mjs`).
 */
export const SERVER_ROOT = findServerRoot(fileURLToPath(import.meta.url));

export const serverPath = (...parts: string[]): string => path.join(SERVER_ROOT, ...parts);
