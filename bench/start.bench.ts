import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Row } from './lib.ts';

const bin = fileURLToPath(new URL('../apps/server/bin/kefu.js', import.meta.url));

async function timeToReady(dataDir: string, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'start'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      KEFU_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (performance.now() - started > 120_000)
        throw new Error('kefu start did not become ready in 120 s');
      try {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (r.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/** `kefu start` on the embedded database until /readyz answers: first start (demo seeded) and restart. */
export async function* run(): AsyncGenerator<Row> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-bench-start-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  try {
    const first = await timeToReady(dir, port);
    const again = await timeToReady(dir, port);
    yield {
      metric: 'start.ready_ms',
      value: Math.round(again),
      unit: 'ms',
      mode: 'embedded',
      data: 'existing',
    };
    yield {
      metric: 'start.first_ready_ms',
      value: Math.round(first),
      unit: 'ms',
      mode: 'embedded',
      data: 'new, demo seeded',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
