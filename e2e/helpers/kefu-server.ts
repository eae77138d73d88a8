import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CONSOLE_INDEX = path.join(REPO_ROOT, 'apps/console/dist/index.html');

export type DemoLogin = { role: string; email: string; password: string };

export type KefuServer = {
  url: string;
  port: number;
  dataDir: string;
  /** The `demo login: <role> <email> <password>` lines the server printed. */
  logins: DemoLogin[];
  /** The first demo login with this role; throws when there is none. */
  login: (role: string, email?: string) => DemoLogin;
  /** Everything the server wrote so far (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
};

// What the console's build is made from; a change here makes the build stale.
const CONSOLE_SOURCES = [
  'apps/console/src',
  'apps/console/public',
  'apps/console/index.html',
  'apps/console/vite.config.ts',
  'packages/shared/src/i18n/console',
].map((p) => path.join(REPO_ROOT, p));

function newestChange(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    newest = Math.max(newest, newestChange(path.join(target, entry)));
  }
  return newest;
}

/**
 * Builds the console when there is no build yet, or when its sources changed since the last
 * build (so a test never checks yesterday's console). The server serves apps/console/dist.
 */
export function ensureConsoleBuilt(): void {
  if (existsSync(CONSOLE_INDEX)) {
    const built = statSync(CONSOLE_INDEX).mtimeMs;
    if (CONSOLE_SOURCES.every((source) => newestChange(source) <= built)) return;
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build', '-w', '@kefu/console'], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0 || !existsSync(CONSOLE_INDEX)) {
    throw new Error(`building the console failed (exit ${result.status ?? result.signal})`);
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || !address) {
        server.close();
        reject(new Error('no port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Starts `kefu start` on a free port with a fresh embedded database (demo data seeded), waits
 * for /healthz and the demo logins, and returns a handle whose stop() sends SIGTERM.
 */
export async function startKefuServer(
  options: {
    env?: Record<string, string>;
    timeoutMs?: number;
    /** false: serve whatever console build there is (tests that never open the console). */
    buildConsole?: boolean;
  } = {},
): Promise<KefuServer> {
  if (options.buildConsole !== false) ensureConsoleBuilt();
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'kefu-e2e-'));
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const logins: DemoLogin[] = [];

  const child = spawn(process.execPath, ['apps/server/bin/kefu.js', 'start'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      KEFU_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      // The tests sign in many times from one address.
      KEFU_RATE_LIMIT_LOGIN: '1000',
      KEFU_RATE_LIMIT_NEW_CONVERSATIONS: '1000',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let pending = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    output += chunk;
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^demo login: (\S+) (\S+) (\S+)\s*$/.exec(line.trim());
      if (match?.[1] && match[2] && match[3]) {
        logins.push({ role: match[1], email: match[2], password: match[3] });
      }
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    output += chunk;
  });

  const stop = async () => {
    if (!exited(child)) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = sleep(15_000).then(() => {
        if (!exited(child)) child.kill('SIGKILL');
      });
      await Promise.race([gone, timer]);
      await gone;
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.timeoutMs ?? 90_000);
  try {
    for (;;) {
      if (exited(child)) throw new Error(`kefu exited early (${child.exitCode})`);
      if (Date.now() > deadline) throw new Error('kefu did not become healthy in time');
      try {
        const response = await fetch(`${url}/healthz`);
        // The demo logins are printed right after listening; wait for them too.
        if (response.ok && logins.length > 0) break;
      } catch {
        // Not listening yet.
      }
      await sleep(200);
    }
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- server output ---\n${output}`);
  }

  return {
    url,
    port,
    dataDir,
    logins,
    login: (role, email) => {
      const found = logins.find((l) => l.role === role && (!email || l.email === email));
      if (!found) throw new Error(`no demo login for ${role} ${email ?? ''}`);
      return found;
    },
    output: () => output,
    stop,
  };
}
