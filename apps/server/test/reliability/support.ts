import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TMessage, TSendAck } from '@kefu/shared';
import type { Socket } from 'socket.io-client';

/** Crash cycles: 10 in CI, `npm run test:reliability -- --cycles 100` by hand. */
export const CYCLES = Math.max(1, Number(process.env.KEFU_RELIABILITY_CYCLES ?? 10) || 10);

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started < timeoutMs) {
    try {
      return await fn();
    } catch (error) {
      lastError = error;
      await sleep(100);
    }
  }
  throw lastError;
}

/**
 * A widget-like client: keeps each message (same clientMessageId) until the server acknowledges
 * it, across disconnects and restarts. Counts the attempts that went unanswered.
 */
export async function sendUntilAcked(
  socket: Socket | (() => Socket),
  payload: Record<string, unknown>,
  deadline: number,
  onUnanswered: () => void = () => {},
): Promise<TSendAck & { ok: true }> {
  while (Date.now() < deadline) {
    try {
      // A getter: the client may have moved to another node since the last attempt.
      const current = typeof socket === 'function' ? socket() : socket;
      const ack = (await current.timeout(2000).emitWithAck('message:send', payload)) as TSendAck;
      if (ack.ok) return ack;
    } catch {
      onUnanswered();
    }
    await sleep(100);
  }
  throw new Error(`message ${String(payload.clientMessageId)} never acknowledged`);
}

export async function adminCookie(url: string): Promise<string> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@demo-exchange.example', password: 'kefu-demo-admin' }),
  });
  if (login.status !== 200) throw new Error(`admin login ${login.status} ${await login.text()}`);
  return (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

export async function api<T = unknown>(
  url: string,
  method: string,
  route: string,
  options: { cookie?: string; token?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.cookie ? { cookie: options.cookie } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: body as T };
}

export type WebhookHit = {
  deliveryId: string;
  event: string;
  messageId: string | null;
  text: string | null;
  answered: number;
};

/** A local receiver for Kefu's outgoing webhooks; `answer` decides each response's status. */
export async function startWebhookReceiver(answer: (hit: WebhookHit) => number = () => 200) {
  const hits: WebhookHit[] = [];
  const server = createHttpServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      let body: { event?: string; data?: { message?: { id?: string; text?: string } } } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        // recorded as an unknown event
      }
      const hit: WebhookHit = {
        deliveryId: String(request.headers['x-kefu-delivery'] ?? ''),
        event: body.event ?? '',
        messageId: body.data?.message?.id ?? null,
        text: body.data?.message?.text ?? null,
        answered: 0,
      };
      hit.answered = answer(hit);
      hits.push(hit);
      response.statusCode = hit.answered;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A throwaway PostgreSQL cluster of our own (initdb + pg_ctl on a free port in a temp dir), so a
 * test can stop and start the database without touching anyone else's server. Runs as the
 * `postgres` system user when the tests run as root (PostgreSQL refuses to run as root).
 */
export type ThrowawayPostgres = {
  url: string;
  port: number;
  stop: () => void;
  start: () => void;
  destroy: () => void;
};

function postgresBin(name: string): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(base, v, 'bin', name);
    if (existsSync(bin)) return bin;
  }
  return null;
}

export function canRunThrowawayPostgres(): boolean {
  return postgresBin('initdb') !== null && postgresBin('pg_ctl') !== null;
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const initdb = postgresBin('initdb');
  const pgCtl = postgresBin('pg_ctl');
  if (!initdb || !pgCtl) throw new Error('PostgreSQL server binaries not found');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-pg-'));
  const data = path.join(dir, 'data');
  const run = (cmd: string, args: string[]) => {
    const result = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' })
      : spawnSync(cmd, args, { encoding: 'utf8' });
    if (result.status !== 0)
      throw new Error(`${path.basename(cmd)} failed: ${result.stderr || result.stdout}`);
  };
  if (asRoot) spawnSync('chown', ['postgres:postgres', dir]);
  run(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const start = () =>
    run(pgCtl, ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start']);
  const stop = () => run(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    destroy: () => {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Kills a child process and waits for it to be gone. */
export async function killHard(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}

/** Every message of a conversation, as an agent reads them (the API returns at most 500 a page). */
export async function allMessages(
  url: string,
  conversationId: string,
  cookie: string,
): Promise<TMessage[]> {
  const all: TMessage[] = [];
  for (;;) {
    const afterSeq = all.at(-1)?.seq ?? 0;
    const page = await api<{ messages: TMessage[] }>(
      url,
      'GET',
      `/api/v1/conversations/${conversationId}/messages?limit=500&afterSeq=${afterSeq}`,
      { cookie },
    );
    if (page.status !== 200)
      throw new Error(`messages: ${page.status} ${JSON.stringify(page.body)}`);
    all.push(...page.body.messages);
    if (page.body.messages.length < 500) return all;
  }
}
