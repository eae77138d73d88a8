import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import pg from 'pg';
import { percentile, type Row, round } from './lib.ts';

/**
 * Realtime throughput and capacity of one `kefu start` node, against a bare Socket.IO relay
 * measured with the same load generator in the same run.
 *
 * - Customers (the widget's protocol) send at stepped rates into conversations assigned to
 *   connected agents (real logins, the console's protocol). A message counts when its ack came
 *   back (it is committed) and the assigned agent's socket received it.
 * - Idle customer sockets held by the node and the node's memory per socket.
 *
 * Every part is its own process: the server, the relay and the load generators (which run with a
 * raised file-descriptor limit and spread their sockets over several 127.0.0.x source addresses).
 * Each step also reads the CPU time each part used (Linux /proc): what a message costs the node,
 * PostgreSQL, Redis and the load generators, whatever the machine's speed.
 */

const here = fileURLToPath(new URL('.', import.meta.url));
const kefuBin = path.join(here, '../apps/server/bin/kefu.js');
const loadScript = path.join(here, 'realtime-load.mjs');
const relayScript = path.join(here, 'relay.mjs');

const P99_BUDGET_MS = 50;
const RATES = [
  25, 50, 100, 200, 400, 700, 1000, 1400, 2000, 2400, 2800, 3400, 4000, 5000, 6000, 8000, 10000,
  12000, 16000, 20000, 24000, 32000, 40000,
];
const STEP_MS = 4000;
const GRACE_MS = 2000;
const LOAD_PROCESSES = 2;
const AGENTS = 4;
const CONVERSATIONS = 100;
const ADMIN = { email: 'admin@demo-exchange.example', password: 'kefu-demo-admin' };
const SITE_TOKEN = 'demo-exchange-site';
const LOCAL_ADDRESSES = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];

export type RealtimeOptions = {
  modes?: ('embedded' | 'server')[];
  idleSockets?: number;
  databaseUrl?: string;
  redisUrl?: string;
  /** The stepped rates (msg/s); the default climbs from 25 to 40,000. */
  rates?: number[];
  /** false: skip the relay baseline (`vs_baseline` is then null), for quicker runs while tuning. */
  baseline?: boolean;
  /** Server mode runs once per entry, with that many worker processes (KEFU_WORKERS). */
  workers?: number[];
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `node args…` in a shell that first raises the open-files limit (sockets are files). */
function spawnWithFiles(args: string[], env: NodeJS.ProcessEnv, ipc = false): ChildProcess {
  return spawn(
    'sh',
    [
      '-c',
      'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"',
      process.execPath,
      ...args,
    ],
    { env, stdio: ipc ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'pipe', 'pipe'] },
  );
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
}

/** The open-files limit the node runs with: each socket is a file, so it caps what one node holds. */
function fileLimit(pid: number): number {
  const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  return Number(/Max open files\s+(\d+)/.exec(limits)?.[1] ?? Number.NaN);
}

function rssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
}

/** The node's processes: `kefu start` and, with KEFU_WORKERS above 1, its workers. */
function nodeProcesses(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  return [pid, ...children];
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times. */
const TICKS_PER_S = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system, ms) a process has used; 0 once it is gone. */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name (which may hold spaces) start with the state, field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

/**
 * The machine's processes of a program (PostgreSQL's, Redis's): its command's name is `name`,
 * or its title starts with it (PostgreSQL's backends retitle themselves `postgres: …`).
 */
function processesNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.startsWith(name) || path.basename(cmdline.split('\0')[0] ?? '') === name)
        pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** The processes whose CPU a step accounts for, by part; read at the step's start and end. */
type Parts = () => Record<string, number[]>;

/** CPU time (ms) of each process of each part, by pid. */
function cpuOf(parts: Record<string, number[]>): Record<string, Map<number, number>> {
  return Object.fromEntries(
    Object.entries(parts).map(([part, pids]) => [part, new Map(pids.map((p) => [p, cpuMs(p)]))]),
  );
}

/**
 * CPU time (ms) each part used between two readings. The processes are listed again at the end:
 * one started meanwhile (a database connection, an autovacuum worker) counts whole; one that
 * exited meanwhile is left out, its last reading being gone with it.
 */
function cpuBetween(
  before: Record<string, Map<number, number>>,
  after: Record<string, Map<number, number>>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after).map(([part, pids]) => {
      let ms = 0;
      for (const [pid, now] of pids) if (now > 0) ms += now - (before[part]?.get(pid) ?? 0);
      return [part, ms];
    }),
  );
}

/** The parts of a Kefu node under load: the node, its database and Redis (server mode), the load. */
const kefuParts =
  (node: ChildProcess, loads: Load[], mode: 'embedded' | 'server'): Parts =>
  () => ({
    node: nodeProcesses(node.pid as number),
    ...(mode === 'server'
      ? { database: processesNamed('postgres'), redis: processesNamed('redis-server') }
      : {}),
    load: loads.map((l) => l.pid),
  });

/** A load-generating process, driven over IPC. */
class Load {
  private child: ChildProcess;
  private waiting: ((msg: Record<string, unknown>) => void)[] = [];
  private ready: Promise<void>;
  constructor() {
    this.child = spawnWithFiles([loadScript], process.env, true);
    this.ready = new Promise((resolve) => this.child.once('message', () => resolve()));
    this.child.on('message', (msg: Record<string, unknown>) => {
      if (msg.type === 'hello') return;
      this.waiting.shift()?.(msg);
    });
  }
  async call<T = Record<string, unknown>>(msg: Record<string, unknown>): Promise<T> {
    await this.ready;
    const answer = new Promise<Record<string, unknown>>((resolve) => this.waiting.push(resolve));
    this.child.send(msg);
    const result = await answer;
    if (result.type === 'error') throw new Error(`load process: ${String(result.message)}`);
    return result as T;
  }
  get pid(): number {
    return this.child.pid as number;
  }
  async close() {
    await this.call({ type: 'close' }).catch(() => {});
    await stop(this.child);
  }
}

type StepResult = {
  rate: number;
  sent: number;
  done: number;
  /** Not acknowledged and delivered by the end of the grace period (late, or an error ack). */
  failed: number;
  msgsPerS: number;
  p50: number;
  p99: number;
  errors: string[];
  /** CPU time each part used per message counted in this step (µs), e.g. { node, database, load }. */
  cpuUsPerMsg: Record<string, number>;
};

const describeStep = (s: StepResult) =>
  `${s.rate}:${s.msgsPerS}/s p99 ${s.p99}ms${s.failed ? ` late ${s.failed}` : ''} cpu ${totalCpu(s)}µs/msg`;
const totalCpu = (s: StepResult) =>
  round(
    Object.values(s.cpuUsPerMsg).reduce((sum, us) => sum + us, 0),
    1,
  );

const keptUp = (r: StepResult) => r.failed === 0 && r.done >= (0.95 * (r.rate * STEP_MS)) / 1000;
const held = (r: StepResult) => keptUp(r) && r.p99 <= P99_BUDGET_MS;

async function step(loads: Load[], parts: Parts, id: string, rate: number): Promise<StepResult> {
  const cpuBefore = cpuOf(parts());
  const results = await Promise.all(
    loads.map((l) =>
      l.call<{ sent: number; latencies: number[]; failed: number; errors: string[] }>({
        type: 'step',
        id,
        rate: rate / loads.length,
        durationMs: STEP_MS,
        graceMs: GRACE_MS,
      }),
    ),
  );
  const cpu = cpuBetween(cpuBefore, cpuOf(parts()));
  const latencies = results.flatMap((p) => p.latencies);
  const cpuUsPerMsg = Object.fromEntries(
    Object.entries(cpu).map(([part, ms]) => [
      part,
      latencies.length > 0 ? round((ms * 1000) / latencies.length, 1) : 0,
    ]),
  );
  return {
    rate,
    sent: results.reduce((s, p) => s + p.sent, 0),
    done: latencies.length,
    failed: results.reduce((s, p) => s + p.failed, 0),
    msgsPerS: round(latencies.length / (STEP_MS / 1000), 0),
    p50: round(percentile(latencies, 50), 2),
    p99: round(percentile(latencies, 99), 2),
    errors: [...new Set(results.flatMap((p) => p.errors))],
    cpuUsPerMsg,
  };
}

/** Raises the rate step by step until p99 passes the budget or messages are lost or fall behind. */
async function stepped(
  loads: Load[],
  parts: Parts,
  label: string,
  rates: number[],
): Promise<{ best: StepResult | null; saturated: StepResult | null; steps: StepResult[] }> {
  const steps: StepResult[] = [];
  // best: the highest rate held within the p99 budget; saturated: the highest rate kept up with.
  // Steps go on while every message is stored and delivered at the offered rate.
  let best: StepResult | null = null;
  let saturated: StepResult | null = null;
  let overBudget = false;
  for (const [i, rate] of rates.entries()) {
    // The machine is shared: a step that misses is tried once more before it counts.
    let result: StepResult | null = null;
    for (let attempt = 0; attempt < 2; attempt++) {
      result = await step(loads, parts, `${label}-${i}-${attempt}`, rate);
      steps.push(result);
      process.stderr.write(`bench realtime ${label}: ${JSON.stringify(result)}\n`);
      if (held(result) || (overBudget && keptUp(result))) break;
      await sleep(1000);
    }
    if (!result || !keptUp(result)) break;
    saturated = result;
    // A step held after an earlier one missed counts: the misses are usually the neighbours' load.
    if (held(result)) best = result;
    else overBudget = true;
    await sleep(500);
  }
  return { best, saturated, steps };
}

async function readLine(child: ChildProcess): Promise<string> {
  let buffer = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const nl = buffer.indexOf('\n');
      if (nl >= 0) resolve(buffer.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
}

/** KEFU_BENCH_PROFILE_DIR: a V8 CPU profile (`--cpu-prof`) of each server and relay, written there. */
function profileArgs(): string[] {
  const dir = process.env.KEFU_BENCH_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

type RelayResult = { best: StepResult | null; steps: StepResult[] };

/** The bare relay under the same load generator: the ceiling this machine gives Socket.IO. */
async function baseline(rates: number[]): Promise<RelayResult> {
  const relay = spawnWithFiles([...profileArgs(), relayScript], process.env);
  const loads: Load[] = [];
  try {
    const { port } = JSON.parse(await readLine(relay)) as { port: number };
    const url = `http://127.0.0.1:${port}`;
    const conversations = Array.from({ length: CONVERSATIONS }, (_, i) => `relay-${i}`);
    for (let p = 0; p < LOAD_PROCESSES; p++) {
      const mine = conversations.filter((_, i) => i % LOAD_PROCESSES === p);
      const load = new Load();
      loads.push(load);
      await load.call({
        type: 'setup',
        url,
        localAddress: LOCAL_ADDRESSES[p % LOCAL_ADDRESSES.length],
        agents: Array.from({ length: AGENTS / LOAD_PROCESSES }, (_, a) => ({
          cookie: '',
          conversations: mine.filter((_, i) => i % (AGENTS / LOAD_PROCESSES) === a),
        })),
        customerList: mine.map((conversationId) => ({ token: 'relay', conversationId })),
      });
    }
    const parts: Parts = () => ({
      node: [relay.pid as number],
      load: loads.map((l) => l.pid),
    });
    return await stepped(loads, parts, 'relay', rates);
  } finally {
    for (const l of loads) await l.close();
    await stop(relay);
  }
}

type Http = { url: string; cookie?: string; bearer?: string };

export async function call<T>(
  { url, cookie, bearer }: Http,
  method: string,
  route: string,
  body?: unknown,
): Promise<{ body: T; headers: Headers }> {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: {
      origin: url,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(cookie ? { cookie } : {}),
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return { body: JSON.parse(text) as T, headers: response.headers };
}

async function login(url: string, email: string, password: string) {
  const { body, headers } = await call<{ agent: { id: string } }>(
    { url },
    'POST',
    '/api/v1/auth/login',
    { email, password },
  );
  const cookie = headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { id: body.agent.id, cookie };
}

async function inParallel<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

type KefuNode = { url: string; child: ChildProcess; cleanup: () => Promise<void> };

export async function startKefu(
  env: NodeJS.ProcessEnv,
  cleanup: () => Promise<void>,
): Promise<KefuNode> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const url = `http://127.0.0.1:${port}`;
  const child = spawnWithFiles([...profileArgs(), kefuBin, 'start'], {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    LOG_LEVEL: 'warn',
    KEFU_DEMO: 'true',
    KEFU_RATE_LIMIT_PUBLIC: '1000000',
    KEFU_RATE_LIMIT_LOGIN: '100000',
    KEFU_RATE_LIMIT_NEW_CONVERSATIONS: '100000',
    ...env,
  });
  let log = '';
  child.stdout?.on('data', () => {});
  child.stderr?.on('data', (c: Buffer) => {
    log = (log + c.toString()).slice(-4000);
    if (process.env.KEFU_BENCH_TRACE) process.stderr.write(c);
  });
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kefu start exited: ${log}`);
    if (performance.now() - started > 180_000) {
      await stop(child);
      throw new Error(`kefu start was not ready in 180 s: ${log}`);
    }
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  return { url, child, cleanup };
}

/** Agents, customers and their assigned conversations, created through the public API. */
export async function populate(url: string) {
  const admin = await login(url, ADMIN.email, ADMIN.password);
  // The conversations go straight to people: the assistant would only answer the opening lines.
  const { body: settings } = await call<Record<string, unknown>>(
    { url, cookie: admin.cookie },
    'GET',
    '/api/v1/assistant/settings',
  );
  await call({ url, cookie: admin.cookie }, 'PUT', '/api/v1/assistant/settings', {
    ...settings,
    enabled: false,
  });
  const tag = randomBytes(3).toString('hex');
  const agents = await inParallel(
    Array.from({ length: AGENTS }, (_, i) => i),
    2,
    async (i) => {
      const email = `bench.agent${i}.${tag}@bench.example`;
      const password = `kefu-bench-${tag}-password`;
      await call({ url, cookie: admin.cookie }, 'POST', '/api/v1/agents', {
        email,
        name: `Bench Agent ${i}`,
        password,
        capacity: 100,
      });
      return login(url, email, password);
    },
  );
  const customers = await inParallel(
    Array.from({ length: CONVERSATIONS }, (_, i) => i),
    8,
    async (i) => {
      const { body: session } = await call<{ contactToken: string }>(
        { url },
        'POST',
        '/api/v1/widget/session',
        { siteToken: SITE_TOKEN, locale: 'en' },
      );
      const { body: sent } = await call<{ message: { conversationId: string } }>(
        { url, bearer: session.contactToken },
        'POST',
        '/api/v1/customer/messages',
        {
          clientMessageId: `bench-open-${tag}-${i}`,
          text: 'Hello, I need help with a deposit',
          locale: 'en',
        },
      );
      const agent = agents[i % AGENTS] as { id: string; cookie: string };
      const conversationId = sent.message.conversationId;
      await call(
        { url, cookie: admin.cookie },
        'POST',
        `/api/v1/conversations/${conversationId}/assign`,
        {
          agentId: agent.id,
        },
      );
      return { token: session.contactToken, conversationId, agent: i % AGENTS };
    },
  );
  return { agents, customers };
}

async function measureNode(
  mode: 'embedded' | 'server',
  node: KefuNode,
  relay: RelayResult | null,
  rates: number[],
): Promise<Row[]> {
  const rows: Row[] = [];
  const { agents, customers } = await populate(node.url);
  // Let the assistant's and router's jobs from the opening messages settle.
  await sleep(2000);
  const loads: Load[] = [];
  try {
    const agentsPerLoad = AGENTS / LOAD_PROCESSES;
    for (let p = 0; p < LOAD_PROCESSES; p++) {
      const load = new Load();
      loads.push(load);
      const myAgents = Array.from({ length: agentsPerLoad }, (_, a) => p * agentsPerLoad + a);
      await load.call({
        type: 'setup',
        url: node.url,
        localAddress: LOCAL_ADDRESSES[p % LOCAL_ADDRESSES.length],
        agents: myAgents.map((a) => ({
          cookie: agents[a]?.cookie,
          conversations: customers.filter((c) => c.agent === a).map((c) => c.conversationId),
        })),
        customerList: customers.filter((c) => myAgents.includes(c.agent)),
      });
    }
    const { best, saturated, steps } = await stepped(
      loads,
      kefuParts(node.child, loads, mode),
      mode,
      rates,
    );
    const context = {
      conversations: CONVERSATIONS,
      agents: AGENTS,
      load_processes: LOAD_PROCESSES,
      step_s: STEP_MS / 1000,
      p99_budget_ms: P99_BUDGET_MS,
      offered_rate: best?.rate ?? null,
      steps: steps.map(describeStep),
    };
    const first = steps[0];
    rows.push(
      {
        metric: 'realtime.persisted_msgs_per_s',
        value: best?.msgsPerS ?? 0,
        unit: 'msg/s',
        mode,
        ...context,
      },
      {
        metric: 'realtime.e2e_p50_ms',
        value: best?.p50 ?? first?.p50 ?? Number.NaN,
        unit: 'ms',
        mode,
        ...context,
      },
      {
        metric: 'realtime.e2e_p99_ms',
        value: best?.p99 ?? first?.p99 ?? Number.NaN,
        unit: 'ms',
        mode,
        ...context,
      },
    );
    rows.push({
      metric: 'realtime.saturation_msgs_per_s',
      value: saturated?.msgsPerS ?? 0,
      unit: 'msg/s',
      mode,
      p50_ms: saturated?.p50 ?? null,
      p99_ms: saturated?.p99 ?? null,
      note: 'highest stepped rate fully persisted and delivered, whatever its p99',
    });
    // What a message cost each process at the held rate (else the first step's).
    const measured = best ?? first;
    if (measured)
      rows.push({
        metric: 'realtime.cpu_us_per_msg',
        value: totalCpu(measured),
        unit: 'µs',
        mode,
        rate: measured.rate,
        parts: measured.cpuUsPerMsg,
        note: 'CPU time of every process of the run (node, database, Redis, load generators) per message counted',
      });
    const relayBest = relay?.best?.msgsPerS;
    if (relay && relayBest) {
      // The relay's step at the same rate: on a machine where CPU is the only limit, the two
      // could hold rates in the inverse ratio of what a message costs all processes together.
      const relayAtRate = measured && relay.steps.find((s) => s.rate === measured.rate && held(s));
      rows.push({
        metric: 'realtime.vs_baseline',
        value: round((best?.msgsPerS ?? 0) / relayBest, 3),
        unit: 'ratio',
        mode,
        baseline_msgs_per_s: relayBest,
        baseline: 'bare Socket.IO relay (bench/relay.mjs), same load generator, same run',
        baseline_steps: relay.steps.map(describeStep),
        // The relay held the highest rate offered: its ceiling (and so the ratio) is not known.
        baseline_at_top_of_range: relayBest >= Math.max(...rates),
        ...(measured && relayAtRate
          ? {
              cpu_rate: measured.rate,
              baseline_cpu_us_per_msg: relayAtRate.cpuUsPerMsg,
              cpu_ratio: round(totalCpu(relayAtRate) / totalCpu(measured), 3),
            }
          : {}),
      });
    }
  } finally {
    for (const l of loads) await l.close();
  }
  return rows;
}

/**
 * Idle sockets on a node of their own, populated but not loaded: on the node that had just
 * carried the load steps the heap shrank while the sockets were held, and the memory per
 * socket came out negative.
 */
async function measureIdle(
  mode: 'embedded' | 'server',
  node: KefuNode,
  idleSockets: number,
): Promise<Row[]> {
  const { customers } = await populate(node.url);
  await sleep(2000);
  return idle(
    mode,
    node,
    customers.map((c) => c.token),
    idleSockets,
  );
}

/** Opens idle customer sockets over several load processes; measures what the node holds. */
async function idle(
  mode: 'embedded' | 'server',
  node: KefuNode,
  tokens: string[],
  count: number,
): Promise<Row[]> {
  const pids = nodeProcesses(node.child.pid as number);
  const rss = () => pids.reduce((sum, pid) => sum + rssKb(pid), 0);
  const processes = 4;
  const loads = Array.from({ length: processes }, () => new Load());
  try {
    await sleep(1000);
    const before = rss();
    const started = performance.now();
    const opened = await Promise.all(
      loads.map((l, p) =>
        l.call<{ opened: number; failed: number; errors: string[] }>({
          type: 'idle',
          url: node.url,
          tokens,
          count: Math.ceil(count / processes),
          parallel: 100,
          localAddresses: LOCAL_ADDRESSES.slice(p % 2 === 0 ? 0 : 2),
        }),
      ),
    );
    const connectS = (performance.now() - started) / 1000;
    // Hold them idle, then count the ones still connected.
    await sleep(5000);
    const counts = await Promise.all(
      loads.map((l) => l.call<{ connected: number }>({ type: 'count' })),
    );
    const held = counts.reduce((s, c) => s + c.connected, 0);
    const after = rss();
    const errors = [...new Set(opened.flatMap((o) => o.errors))];
    const context = {
      attempted: count,
      failed: opened.reduce((s, o) => s + o.failed, 0),
      connect_s: round(connectS, 1),
      // Per process; with workers each holds its own share of the sockets.
      server_open_files_limit: fileLimit(pids.at(-1) as number),
      server_processes: pids.length,
      rss_before_kb: before,
      rss_after_kb: after,
      transport: 'websocket',
      ...(errors.length ? { errors } : {}),
    };
    return [
      { metric: 'realtime.idle_sockets_held', value: held, unit: 'sockets', mode, ...context },
      {
        metric: 'realtime.rss_kb_per_socket',
        value: held > 0 ? round((after - before) / held, 2) : Number.NaN,
        unit: 'KiB',
        mode,
        ...context,
      },
    ];
  } finally {
    for (const l of loads) await l.close();
  }
}

async function reachable(databaseUrl: string, redisUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    return `PostgreSQL at ${new URL(databaseUrl).host} is not reachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => {});
  }
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    return `Redis at ${new URL(redisUrl).host} is not reachable (${(error as Error).message})`;
  } finally {
    redis.disconnect();
  }
  return null;
}

export async function serverNode(
  databaseUrl: string,
  redisUrl: string,
  workers = 1,
): Promise<KefuNode> {
  const name = `kefu_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
  try {
    return await startKefu(
      {
        DATABASE_URL: url.toString(),
        REDIS_URL: redisUrl,
        KEFU_SECRET_KEY: randomBytes(32).toString('hex'),
        KEFU_WORKERS: String(workers),
      },
      drop,
    );
  } catch (error) {
    await drop();
    throw error;
  }
}

export function embeddedNode(): Promise<KefuNode> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kefu-bench-realtime-'));
  const cleanup = async () => rmSync(dir, { recursive: true, force: true });
  return startKefu({ KEFU_DATA_DIR: dir }, cleanup).catch(async (error) => {
    await cleanup();
    throw error;
  });
}

export async function* run(options: RealtimeOptions = {}): AsyncGenerator<Row> {
  const modes = options.modes ?? ['embedded', 'server'];
  const idleSockets = options.idleSockets ?? 20_000;
  const databaseUrl = options.databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = options.redisUrl ?? 'redis://127.0.0.1:6379';

  const rates = options.rates ?? RATES;
  const relay = options.baseline === false ? null : await baseline(rates);

  for (const mode of modes) {
    if (mode === 'server') {
      const problem = await reachable(databaseUrl, redisUrl);
      if (problem) {
        yield { skipped: 'realtime (server mode)', reason: problem, mode } as unknown as Row;
        continue;
      }
    }
    for (const workers of mode === 'server' ? (options.workers ?? [1, 2]) : [1]) {
      const start = () =>
        mode === 'server' ? serverNode(databaseUrl, redisUrl, workers) : embeddedNode();
      // Server-mode rows say how many worker processes the node had.
      const tag = (rows: Row[]) =>
        mode === 'server' ? rows.map((row) => ({ ...row, workers })) : rows;
      const loaded = await start();
      try {
        for (const row of tag(await measureNode(mode, loaded, relay, rates))) yield row;
      } finally {
        await stop(loaded.child);
        await loaded.cleanup();
      }
      if (idleSockets <= 0) continue;
      const fresh = await start();
      try {
        for (const row of tag(await measureIdle(mode, fresh, idleSockets))) yield row;
      } finally {
        await stop(fresh.child);
        await fresh.cleanup();
      }
    }
  }
}
