#!/usr/bin/env node
// Module boundaries (ARCHITECTURE.md): domain code never imports transport; the console and
// the widget never import server code; the widget imports only @kefu/shared and its own libraries.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const problems = [];

function walk(dir) {
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    if (name === 'node_modules' || name === 'dist') return [];
    const full = path.join(dir, name);
    return statSync(full).isDirectory()
      ? walk(full)
      : /\.(ts|tsx|mjs|js)$/.test(name)
        ? [full]
        : [];
  });
}

function imports(file) {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(
      /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
    ),
  ].map((m) => m[1] ?? m[2]);
}

const TRANSPORT = /^(fastify|@fastify\/|fastify-|socket\.io($|\/)|@socket\.io\/)/;
const serverSrc = path.join(root, 'apps/server/src');
for (const file of walk(serverSrc)) {
  const rel = path.relative(serverSrc, file);
  const top = rel.split(path.sep)[0];
  const isTransport =
    top === 'http' ||
    top === 'realtime' ||
    top === 'channels' ||
    path.basename(file).endsWith('routes.ts') ||
    // The composition roots wire transport and domains together.
    ['server.ts', 'cli.ts', 'node.ts'].includes(rel);
  if (isTransport) continue;
  for (const spec of imports(file)) {
    if (TRANSPORT.test(spec))
      problems.push(`${path.relative(root, file)}: domain code imports transport "${spec}"`);
    if (spec.includes('/http/') || spec.includes('/realtime/') || spec.includes('/channels/'))
      problems.push(`${path.relative(root, file)}: domain code imports "${spec}"`);
  }
}

for (const app of ['console', 'widget']) {
  const dir = path.join(root, 'apps', app, 'src');
  for (const file of walk(dir)) {
    for (const spec of imports(file)) {
      if (
        spec.startsWith('@kefu/server') ||
        spec.includes('apps/server') ||
        /(\.\.\/)+server\//.test(spec)
      )
        problems.push(`${path.relative(root, file)}: ${app} imports server code "${spec}"`);
      if (app === 'widget' && spec.startsWith('@kefu/') && !spec.startsWith('@kefu/shared'))
        problems.push(
          `${path.relative(root, file)}: the widget may import only @kefu/shared, not "${spec}"`,
        );
    }
  }
}

if (problems.length > 0) {
  console.error(`Module boundaries broken:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log('module boundaries ok');
