import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The latest modification time of a TypeScript file under `dir`, 0 when there is none. */
function newestTypeScript(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

/** True when the bundle exists and no TypeScript file in `sources` changed after it was built. */
export function isBundleCurrent(bundle, sources) {
  let built;
  try {
    built = statSync(bundle).mtimeMs;
  } catch {
    return false;
  }
  return sources.every((dir) => newestTypeScript(fileURLToPath(dir)) <= built);
}
