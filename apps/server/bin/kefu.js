#!/usr/bin/env node
// Runs Kefu. `npm install` builds dist/kefu.mjs from the TypeScript sources (scripts/build.mjs);
// while it is newer than every source file it is what runs. After a change to the sources, and
// until the next `npm run build`, they run directly through tsx: no build step is ever required.
import { isBundleCurrent } from './current-bundle.js';

const bundle = new URL('../dist/kefu.mjs', import.meta.url);
const sources = [
  new URL('../src/', import.meta.url),
  new URL('../../../packages/shared/src/', import.meta.url),
];

if (isBundleCurrent(bundle, sources)) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
