#!/usr/bin/env node
// `npm run test:reliability [-- --cycles N] [vitest args…]`: the reliability suite. The short form
// (CI) runs 10 crash cycles; `--cycles 100` (or KEFU_RELIABILITY_CYCLES=100) is the long form.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const rest = [];
const env = { ...process.env };
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--cycles' || arg.startsWith('--cycles=')) {
    const value = arg.includes('=') ? arg.split('=')[1] : args[++i];
    if (!/^\d+$/.test(value ?? '') || Number(value) < 1) {
      console.error('--cycles needs a positive whole number, e.g. --cycles 100');
      process.exit(2);
    }
    env.KEFU_RELIABILITY_CYCLES = value;
  } else rest.push(arg);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = spawn(
  process.execPath,
  [
    fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url)),
    'run',
    '--config',
    'vitest.reliability.config.ts',
    ...rest,
  ],
  { cwd: root, env, stdio: 'inherit' },
);
vitest.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
