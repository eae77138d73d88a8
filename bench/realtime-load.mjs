// One load-generating process of the realtime benchmark (started by realtime.bench.ts with a
// raised file-descriptor limit). It speaks the widget's and the console's Socket.IO protocol:
// customers emit `message:send` and wait for the ack, agents receive `message:new`. Commands
// arrive over IPC; results go back the same way.
import { io } from 'socket.io-client';

const sockets = [];
/** clientMessageId → { sentAt, ackAt, seenAt, ok } of messages in flight. */
const inflight = new Map();
let customers = [];
let idle = [];

const now = () => performance.now();
const reply = (msg) => process.send?.(msg);

function connect(url, namespace, auth, options = {}) {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/${namespace}`, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      timeout: 60_000,
      auth,
      ...options,
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

function settle(id) {
  const m = inflight.get(id);
  if (m && m.ackAt !== undefined && m.seenAt !== undefined) m.done = true;
}

function onAgentMessage(message) {
  const id = message?.clientMessageId;
  const m = id ? inflight.get(id) : undefined;
  if (!m || m.seenAt !== undefined) return;
  m.seenAt = now();
  settle(id);
}

async function setup({ url, agents, customerList, localAddress }) {
  // Agent sockets: the console's, with the session cookie; each joins its conversations' rooms.
  for (const agent of agents) {
    const socket = await connect(
      url,
      'agent',
      {},
      { extraHeaders: { cookie: agent.cookie, origin: url }, localAddress },
    );
    socket.on('message:new', onAgentMessage);
    for (const conversationId of agent.conversations) {
      const ack = await socket.timeout(10_000).emitWithAck('conversation:join', { conversationId });
      if (!ack?.ok) throw new Error(`join failed: ${JSON.stringify(ack)}`);
    }
    sockets.push(socket);
  }
  customers = [];
  for (const c of customerList) {
    const socket = await connect(
      url,
      'customer',
      { token: c.token, locale: 'en' },
      { localAddress },
    );
    sockets.push(socket);
    customers.push({ socket, conversationId: c.conversationId });
  }
  return { agents: agents.length, customers: customers.length };
}

const texts = [
  'Hi, my USDT deposit on TRC20 has not arrived after an hour',
  'withdrawal still under review, when will it be sent?',
  'I lost my phone and cannot get my Google Authenticator code',
  'the transfer shows completed on the explorer but not in my balance',
  'what are the maker and taker fees for VIP 1?',
  'ok thanks, I will wait a few more minutes',
  '充值 USDT 一直没到账',
  '提币审核要多久',
];

let counter = 0;
let prefix = '';

function sendOne(customer) {
  counter++;
  const clientMessageId = `${prefix}-${counter}`;
  const m = { sentAt: now() };
  inflight.set(clientMessageId, m);
  customer.socket
    .timeout(30_000)
    .emitWithAck('message:send', {
      clientMessageId,
      conversationId: customer.conversationId,
      text: texts[counter % texts.length],
      locale: 'en',
    })
    .then(
      (ack) => {
        m.ackAt = now();
        m.ok = ack?.ok === true;
        if (!m.ok) m.error = ack?.error?.code ?? 'no ack';
        settle(clientMessageId);
      },
      () => {
        m.ackAt = now();
        m.ok = false;
        m.error = 'ack timeout';
      },
    );
}

/** Sends at `rate` messages/s (open loop, round-robin over the customers) for `durationMs`. */
async function step({ rate, durationMs, graceMs, id }) {
  inflight.clear();
  prefix = `${process.pid}-${id}`;
  const started = now();
  let sent = 0;
  let next = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const elapsed = now() - started;
      const due = Math.min(
        Math.floor((elapsed / 1000) * rate),
        Math.floor((durationMs / 1000) * rate),
      );
      while (sent < due) {
        sendOne(customers[next]);
        next = (next + 1) % customers.length;
        sent++;
      }
      if (elapsed >= durationMs) resolve();
      else setTimeout(tick, 2);
    };
    tick();
  });
  const sendEnded = now();
  while (now() - sendEnded < graceMs && [...inflight.values()].some((m) => !m.done && !m.error))
    await new Promise((r) => setTimeout(r, 20));
  const latencies = [];
  let failed = 0;
  let lastDoneAt = started;
  for (const m of inflight.values()) {
    if (m.done && m.ok) {
      latencies.push(Math.max(m.ackAt, m.seenAt) - m.sentAt);
      lastDoneAt = Math.max(lastDoneAt, m.ackAt, m.seenAt);
    } else failed++;
  }
  const errors = [...new Set([...inflight.values()].map((m) => m.error).filter(Boolean))];
  inflight.clear();
  return { sent, latencies, failed, errors, elapsedMs: lastDoneAt - started };
}

/** Opens `count` idle customer sockets, `parallel` at a time, spread over the source addresses. */
async function openIdle({ url, tokens, count, parallel, localAddresses }) {
  let opened = 0;
  let failed = 0;
  const errors = new Set();
  let i = 0;
  const worker = async () => {
    while (i < count) {
      const n = i++;
      // A refused connection is tried again twice, as the widget's reconnection would.
      for (let attempt = 0; ; attempt++) {
        try {
          const socket = await connect(
            url,
            'customer',
            { token: tokens[n % tokens.length], locale: 'en' },
            { localAddress: localAddresses[(n + attempt) % localAddresses.length] },
          );
          idle.push(socket);
          opened++;
          break;
        } catch (error) {
          if (attempt < 2) {
            await new Promise((r) => setTimeout(r, 200));
            continue;
          }
          failed++;
          errors.add(String(error?.message ?? error));
          break;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { opened, failed, errors: [...errors].slice(0, 3) };
}

process.on('message', async (msg) => {
  try {
    if (msg.type === 'setup') reply({ type: 'ready', ...(await setup(msg)) });
    else if (msg.type === 'step') reply({ type: 'step', ...(await step(msg)) });
    else if (msg.type === 'idle') reply({ type: 'idle', ...(await openIdle(msg)) });
    else if (msg.type === 'count')
      reply({ type: 'count', connected: idle.filter((s) => s.connected).length });
    else if (msg.type === 'close') {
      for (const s of [...sockets, ...idle]) s.close();
      idle = [];
      reply({ type: 'closed' });
      setTimeout(() => process.exit(0), 50);
    }
  } catch (error) {
    reply({ type: 'error', message: String(error?.stack ?? error) });
  }
});
reply({ type: 'hello' });
