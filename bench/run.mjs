#!/usr/bin/env node
// `npm run bench [-- name…] [--only name,…] [--mode embedded|server] [--idle-sockets N]
// [--rates 25,50,… (realtime steps)] [--no-baseline (realtime without the relay)]
// [--workers 1,2 (server mode: one realtime run per count of worker processes)]`: runs the benchmarks and prints one JSON object per line: {"metric", "value", "unit", "mode", …context}.
import { register } from 'tsx/esm/api';

register();
const all = ['kb', 'assistant', 'widget', 'start', 'realtime'];
const args = process.argv.slice(2);
const names = [];
const options = {};
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  const [flag, inline] = arg.split('=', 2);
  const value = () => inline ?? args[++i] ?? '';
  if (flag === '--only') names.push(...value().split(','));
  else if (flag === '--mode') options.modes = value().split(',');
  else if (flag === '--idle-sockets') options.idleSockets = Number(value());
  else if (flag === '--rates') options.rates = value().split(',').map(Number);
  else if (flag === '--no-baseline') options.baseline = false;
  else if (flag === '--workers') options.workers = value().split(',').map(Number);
  else if (!arg.startsWith('-')) names.push(arg);
  else {
    console.error(`unknown option "${arg}"`);
    process.exit(2);
  }
}
for (const mode of options.modes ?? []) {
  if (mode !== 'embedded' && mode !== 'server') {
    console.error(`unknown mode "${mode}"; known: embedded, server`);
    process.exit(2);
  }
}
for (const name of names) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}"; known: ${all.join(', ')}`);
    process.exit(2);
  }
}
for (const name of names.length > 0 ? names : all) {
  const mod = await import(`./${name}.bench.ts`);
  for await (const row of mod.run(options)) process.stdout.write(`${JSON.stringify(row)}\n`);
}
