#!/usr/bin/env node
// `npm run bench [-- name…]`: runs the benchmarks and prints one JSON object per line:
// {"metric", "value", "unit", "mode", …context}.
import { register } from 'tsx/esm/api';

register();
const all = ['kb', 'assistant', 'widget', 'start'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : all;
for (const name of names) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}"; known: ${all.join(', ')}`);
    process.exit(2);
  }
  const mod = await import(`./${name}.bench.ts`);
  for await (const row of mod.run()) process.stdout.write(`${JSON.stringify(row)}\n`);
}
