import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import { systemActor } from '../../src/deps.ts';
import { createInbox } from '../../src/inboxes/inboxes.ts';
import { createTeam } from '../../src/teams/teams.ts';
import type { TestKefu } from './test-kefu.ts';

/** Listens on a free loopback port (sockets need a real server). */
export async function listen(kefu: TestKefu): Promise<string> {
  await kefu.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = kefu.app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function expectEventually<T>(fn: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started < timeoutMs) {
    try {
      return await fn();
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw lastError;
}

export type Recorded = {
  events: { name: string; payload: unknown }[];
  of: <T>(name: string) => T[];
};

function record(socket: Socket): Recorded {
  const events: { name: string; payload: unknown }[] = [];
  socket.onAny((name: string, payload: unknown, ack?: unknown) => {
    events.push({ name, payload });
    // The widget acknowledges each delivered message.
    if (typeof ack === 'function') (ack as (v: unknown) => void)({ ok: true });
  });
  return {
    events,
    of: <T>(name: string) => events.filter((e) => e.name === name).map((e) => e.payload as T),
  };
}

export async function connect(
  url: string,
  namespace: '/customer' | '/agent',
  options: { token?: string; cookie?: string },
) {
  const socket = io(`${url}${namespace}`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(options.token ? { auth: { token: options.token } } : {}),
    ...(options.cookie ? { extraHeaders: { cookie: options.cookie } } : {}),
  });
  const recorded = record(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return { socket, ...recorded };
}

export type SetupIds = {
  inboxId: string;
  siteToken: string;
  identitySecret: string;
  teamEn: string;
  teamZh: string;
  teamL2: string;
};

/** A widget inbox and the three demo-like teams. */
export async function seedSupportDesk(
  kefu: TestKefu,
  suffix = Math.random().toString(36).slice(2, 8),
): Promise<SetupIds> {
  const inbox = await createInbox(kefu.deps, systemActor, {
    channel: 'widget',
    name: `Site ${suffix}`,
  });
  const teamZh = await createTeam(kefu.deps, systemActor, {
    name: `L1 中文 ${suffix}`,
    description: '',
    languages: ['zh-CN'],
    tier: 'L1',
    timezone: 'Asia/Shanghai',
  });
  const teamEn = await createTeam(kefu.deps, systemActor, {
    name: `L1 English ${suffix}`,
    description: '',
    languages: ['en'],
    tier: 'L1',
    timezone: 'UTC',
  });
  const teamL2 = await createTeam(kefu.deps, systemActor, {
    name: `L2 ${suffix}`,
    description: '',
    languages: ['zh-CN', 'en'],
    tier: 'L2',
    timezone: 'UTC',
  });
  return {
    inboxId: inbox.id,
    siteToken: inbox.publicToken,
    identitySecret: inbox.identitySecret,
    teamEn: teamEn.id,
    teamZh: teamZh.id,
    teamL2: teamL2.id,
  };
}

export async function customerSession(
  url: string,
  siteToken: string,
  extra: Record<string, unknown> = {},
) {
  const response = await fetch(`${url}/api/v1/widget/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ siteToken, ...extra }),
  });
  if (response.status !== 201)
    throw new Error(`session ${response.status} ${await response.text()}`);
  return (await response.json()) as { contactToken: string; contactId: string; verified: boolean };
}

export function emitAck<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return socket.timeout(10_000).emitWithAck(event, payload) as Promise<T>;
}
