import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runKefu } from './helpers/kefu-process.ts';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './helpers/test-kefu.ts';

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'kefu-cli-'));

async function startAndLogin(env: Record<string, string>) {
  const kefu = runKefu(['start'], { PORT: '0', HOST: '127.0.0.1', ...env });
  const [, url] = await kefu.waitFor(/Agent console:\s+(http:\/\/\S+?)\/\s*$/m, 90_000);
  return { kefu, url: url as string };
}

async function login(url: string, email: string, password: string) {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return {
    status: response.status,
    cookie: response.headers.get('set-cookie')?.split(';')[0] ?? '',
  };
}

describe('kefu start (embedded)', { timeout: 120_000 }, () => {
  it('serves, prints the demo logins, and keeps data across a restart', async () => {
    const dir = dataDir();
    const first = await startAndLogin({ KEFU_DATA_DIR: dir });
    try {
      const [, role, email, password] = await first.kefu.waitFor(
        /^demo login: (admin) (\S+) (\S+)$/m,
      );
      expect(role).toBe('admin');
      await first.kefu.waitFor(/^demo login: supervisor \S+ \S+$/m);
      await first.kefu.waitFor(/^demo login: agent \S+ \S+$/m);
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
      expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${first.url}/api/docs/json`)).status).toBe(200);
      const metrics = await (await fetch(`${first.url}/metrics`)).text();
      expect(metrics).toMatch(/kefu_http_request_duration_seconds_bucket/);
      expect(metrics).toMatch(/nodejs_eventloop_lag_seconds/);

      const { status, cookie } = await login(first.url, email as string, password as string);
      expect(status).toBe(200);
      const teamName = `Restart ${randomUUID().slice(0, 6)}`;
      const created = await fetch(`${first.url}/api/v1/teams`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify({ name: teamName }),
      });
      expect(created.status).toBe(201);

      // A second process on the same data directory is refused with a clear message.
      const intruder = runKefu(['start'], { PORT: '0', HOST: '127.0.0.1', KEFU_DATA_DIR: dir });
      expect(await intruder.exited).not.toBe(0);
      expect(intruder.output()).toMatch(/in use by another Kefu process/);
    } finally {
      expect(await first.kefu.stop()).toBe(0);
    }

    const second = await startAndLogin({ KEFU_DATA_DIR: dir });
    try {
      const [, email, password] = await second.kefu.waitFor(/^demo login: admin (\S+) (\S+)$/m);
      const { status, cookie } = await login(second.url, email as string, password as string);
      expect(status).toBe(200);
      const teams = (await (
        await fetch(`${second.url}/api/v1/teams`, { headers: { cookie } })
      ).json()) as {
        teams: { name: string }[];
      };
      expect(teams.teams.map((t) => t.name)).toEqual(
        expect.arrayContaining(['L1 中文', 'L1 English', 'L2 Technical']),
      );
      expect(teams.teams.some((t) => t.name.startsWith('Restart '))).toBe(true);
    } finally {
      await second.kefu.stop();
    }
  });

  it('stops with a non-zero exit and names the variable when the configuration is bad', async () => {
    const bad = runKefu(['start'], { PORT: 'eighty', KEFU_DATA_DIR: dataDir() });
    expect(await bad.exited).toBe(78);
    expect(bad.output()).toMatch(/PORT must be a whole number/);
    const server = runKefu(['start'], { DATABASE_URL: 'postgres://127.0.0.1:1/none' });
    expect(await server.exited).toBe(78);
    expect(server.output()).toMatch(/KEFU_SECRET_KEY is required/);
  });

  it('config check validates without starting', async () => {
    const ok = runKefu(['config', 'check'], { KEFU_DATA_DIR: dataDir(), DATABASE_URL: '' });
    expect(await ok.exited).toBe(0);
    expect(ok.output()).toMatch(/configuration is valid \(embedded mode\)/);
    const bad = runKefu(['config', 'check'], { LOG_LEVEL: 'chatty' });
    expect(await bad.exited).toBe(78);
    expect(bad.output()).toMatch(/LOG_LEVEL/);
  });

  it('admin create takes the password on stdin; migrate and seed --demo work on a fresh directory', async () => {
    const dir = dataDir();
    const migrate = runKefu(['migrate'], { KEFU_DATA_DIR: dir });
    expect(await migrate.exited).toBe(0);
    const create = runKefu(
      [
        'admin',
        'create',
        '--email',
        'Owner@Exchange.example',
        '--name',
        'Owner',
        '--password-stdin',
      ],
      { KEFU_DATA_DIR: dir },
      'owner-password-123\n',
    );
    expect(await create.exited).toBe(0);
    expect(create.output()).toMatch(/admin created: owner@exchange\.example/);
    const weak = runKefu(
      ['admin', 'create', '--email', 'weak@exchange.example', '--password-stdin'],
      { KEFU_DATA_DIR: dir },
      'short\n',
    );
    expect(await weak.exited).toBe(1);
    expect(weak.output()).toMatch(/at least 10 characters/);
    const seed = runKefu(['seed', '--demo'], { KEFU_DATA_DIR: dir });
    expect(await seed.exited).toBe(1);
    expect(seed.output()).toMatch(/already has agents/);

    const running = await startAndLogin({ KEFU_DATA_DIR: dir, KEFU_DEMO: 'false' });
    try {
      expect(
        (await login(running.url, 'owner@exchange.example', 'owner-password-123')).status,
      ).toBe(200);
      expect(running.kefu.output()).not.toMatch(/demo login:/);
    } finally {
      await running.kefu.stop();
    }
  });
});

describe.runIf(TEST_DATABASE_URL)('kefu start (server mode)', { timeout: 120_000 }, () => {
  it('runs on PostgreSQL and Redis with the demo seeded on request', async () => {
    const name = `kefu_cli_${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(TEST_DATABASE_URL as string);
    url.pathname = `/${name}`;
    try {
      const running = await startAndLogin({
        DATABASE_URL: url.toString(),
        ...(TEST_REDIS_URL ? { REDIS_URL: TEST_REDIS_URL } : {}),
        KEFU_SECRET_KEY: 'server-mode-secret-key-0123456789abcdef',
        KEFU_DEMO: 'true',
      });
      try {
        expect(running.kefu.output()).toMatch(/server mode/);
        expect((await fetch(`${running.url}/readyz`)).status).toBe(200);
        expect(
          (await login(running.url, 'admin@demo-exchange.example', 'kefu-demo-admin')).status,
        ).toBe(200);
      } finally {
        expect(await running.kefu.stop()).toBe(0);
      }
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
