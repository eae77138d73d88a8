import type { TMessage } from '@kefu/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The chat client without a browser: a fake socket, a fake API and an in-memory localStorage.

const NO_ACK = Symbol('no ack');
type Responder = (event: string, payload: Record<string, unknown>) => unknown;

class FakeSocket {
  connected = false;
  active = true;
  sent: { event: string; payload: Record<string, unknown> }[] = [];
  respond: Responder = () => ({ ok: true });
  private handlers = new Map<string, ((...args: unknown[]) => void)[]>();

  on(event: string, fn: (...args: unknown[]) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
    return this;
  }
  emit(event: string, payload: Record<string, unknown>) {
    this.sent.push({ event, payload });
    return this;
  }
  timeout(ms: number) {
    return {
      emit: (
        event: string,
        payload: Record<string, unknown>,
        ack: (error: Error | null, response?: unknown) => void,
      ) => {
        this.sent.push({ event, payload });
        const response = this.respond(event, payload);
        if (response === NO_ACK) setTimeout(() => ack(new Error('operation has timed out')), ms);
        else queueMicrotask(() => ack(null, response));
      },
    };
  }
  fire(event: string, ...args: unknown[]) {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
  up() {
    this.connected = true;
    this.fire('connect');
  }
  down() {
    this.connected = false;
    this.fire('disconnect', 'transport close');
  }
  connect() {}
  disconnect() {
    this.connected = false;
  }
  sends() {
    return this.sent.filter((s) => s.event === 'message:send').map((s) => s.payload);
  }
}

let socket: FakeSocket;
vi.mock('socket.io-client', () => ({ io: () => socket }));
const { ChatClient } = await import('./client.ts');

const CONVERSATION = '11111111-1111-4111-8111-111111111111';
const storage = new Map<string, string>();
let conversations: unknown[] = [];

function message(seq: number, patch: Partial<TMessage> = {}): TMessage {
  return {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    conversationId: CONVERSATION,
    seq,
    senderType: 'contact',
    senderId: null,
    senderName: null,
    private: false,
    text: `message ${seq}`,
    redactions: [],
    attachments: [],
    clientMessageId: null,
    kind: null,
    deliveryStatus: null,
    createdAt: new Date(0).toISOString(),
    ...patch,
  };
}

function sendAck(payload: Record<string, unknown>, seq: number) {
  return {
    ok: true,
    message: message(seq, {
      text: String(payload.text),
      clientMessageId: String(payload.clientMessageId),
    }),
    conversationNumber: 100001,
    duplicate: false,
    redactions: [],
    warning: null,
  };
}

function newClient() {
  return new ChatClient({
    base: 'http://kefu.test',
    siteToken: 'demo-exchange-site',
    locale: 'en',
    localeChosen: false,
  });
}

/** Lets the client's promise chains run (fake timers do not drive microtasks by themselves). */
const settle = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  socket = new FakeSocket();
  storage.clear();
  conversations = [];
  vi.stubGlobal('window', {
    localStorage: {
      getItem: (k: string) => storage.get(k) ?? null,
      setItem: (k: string, v: string) => storage.set(k, v),
      removeItem: (k: string) => storage.delete(k),
    },
  });
  vi.stubGlobal('document', {
    hidden: false,
    addEventListener: () => {},
    removeEventListener: () => {},
  });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      const body = url.endsWith('/api/v1/widget/session')
        ? {
            contactToken: 'customer-token',
            contactId: '22222222-2222-4222-8222-222222222222',
            verified: false,
            expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
          }
        : { conversations };
      return new Response(JSON.stringify(body), { status: 200 });
    }),
  );
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the outbox', () => {
  it('re-sends with the same clientMessageId after an ack timeout, until acknowledged', async () => {
    let attempts = 0;
    socket.respond = (event, payload) => {
      if (event !== 'message:send') return { ok: true };
      attempts += 1;
      return attempts === 1 ? NO_ACK : sendAck(payload, 1);
    };
    const client = newClient();
    client.send('hello');
    expect(client.getState().outbox).toHaveLength(1);
    expect(JSON.parse(storage.get('kefu:demo-exchange-site') ?? '{}').outbox).toHaveLength(1);
    await settle();
    socket.up();
    await settle();
    expect(socket.sends()).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(10_000 + 2_000);
    const sends = socket.sends();
    expect(sends).toHaveLength(2);
    expect(sends[1]?.clientMessageId).toBe(sends[0]?.clientMessageId);
    const state = client.getState();
    expect(state.outbox).toEqual([]);
    expect(state.messages.map((m) => m.text)).toEqual(['hello']);
    expect(state.conversationId).toBe(CONVERSATION);
    expect(state.number).toBe(100001);
    expect(JSON.parse(storage.get('kefu:demo-exchange-site') ?? '{}').outbox).toEqual([]);
    client.destroy();
  });

  it('sends in order: the second message waits for the first to open the conversation', async () => {
    let seq = 0;
    socket.respond = (event, payload) =>
      event === 'message:send' ? sendAck(payload, ++seq) : { ok: true };
    const client = newClient();
    client.send('first');
    client.send('second');
    await settle();
    socket.up();
    await settle();
    const sends = socket.sends();
    expect(sends.map((s) => s.text)).toEqual(['first', 'second']);
    expect(sends[0]?.conversationId).toBeUndefined();
    expect(sends[1]?.conversationId).toBe(CONVERSATION);
    expect(client.getState().messages.map((m) => m.seq)).toEqual([1, 2]);
    client.destroy();
  });

  it('keeps a message written while disconnected and sends it on connect', async () => {
    socket.respond = (event, payload) =>
      event === 'message:send' ? sendAck(payload, 1) : { ok: true };
    const client = newClient();
    await client.start();
    client.send('offline words');
    await settle();
    expect(socket.sends()).toHaveLength(0);
    expect(client.getState().outbox).toHaveLength(1);
    socket.up();
    await settle();
    expect(socket.sends()).toHaveLength(1);
    expect(client.getState().outbox).toEqual([]);
    client.destroy();
  });

  it('shows a refusal with its message and sends again only when asked', async () => {
    let refuse = true;
    socket.respond = (event, payload) => {
      if (event !== 'message:send') return { ok: true };
      return refuse
        ? { ok: false, error: { code: 'request.invalid', message: 'Too long' } }
        : sendAck(payload, 1);
    };
    const client = newClient();
    client.send('x'.repeat(20));
    await settle();
    socket.up();
    await vi.advanceTimersByTimeAsync(30_000);
    const [item] = client.getState().outbox;
    expect(item).toMatchObject({ failed: 'rejected', error: 'Too long' });
    expect(socket.sends()).toHaveLength(1);

    refuse = false;
    client.retry(item?.clientMessageId ?? '');
    await settle();
    expect(socket.sends()).toHaveLength(2);
    expect(socket.sends()[1]?.clientMessageId).toBe(item?.clientMessageId);
    expect(client.getState().outbox).toEqual([]);
    client.destroy();
  });
});

describe('history', () => {
  it('resyncs after a reconnect from the last complete seq and merges without duplicates', async () => {
    conversations = [
      {
        id: CONVERSATION,
        number: 100001,
        status: 'open',
        channel: 'widget',
        subject: null,
        assigneeName: 'Sam Taylor',
        createdAt: new Date(0).toISOString(),
        lastMessageAt: null,
      },
    ];
    const history = [message(1), message(2, { senderType: 'assistant' }), message(3)];
    socket.respond = (event, payload) => {
      if (event !== 'conversation:resync') return { ok: true };
      const after = Number(payload.afterSeq);
      return { ok: true, messages: history.filter((m) => m.seq > after) };
    };
    const client = newClient();
    await client.start();
    socket.up();
    await settle();
    expect(client.getState().messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(client.getState().assigneeName).toBe('Sam Taylor');
    // Live while connected, then missed while away.
    const ack = vi.fn();
    socket.fire('message:new', message(4, { senderType: 'agent', senderName: 'Sam Taylor' }), ack);
    expect(ack).toHaveBeenCalledOnce();
    expect(client.getState().unread).toBe(1);
    socket.down();
    history.push(message(4, { senderType: 'agent' }), message(5, { senderType: 'agent' }));
    socket.up();
    await settle();
    const resyncs = socket.sent.filter((s) => s.event === 'conversation:resync');
    expect(resyncs.map((r) => r.payload.afterSeq)).toEqual([0, 3]);
    expect(client.getState().messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    client.destroy();
  });

  it('tells the team what was read only while the panel is open', async () => {
    conversations = [
      {
        id: CONVERSATION,
        number: 100001,
        status: 'open',
        channel: 'widget',
        subject: null,
        assigneeName: null,
        createdAt: new Date(0).toISOString(),
        lastMessageAt: null,
      },
    ];
    socket.respond = (event) =>
      event === 'conversation:resync' ? { ok: true, messages: [message(1), message(2)] } : {};
    const client = newClient();
    await client.start();
    socket.up();
    await settle();
    expect(socket.sent.filter((s) => s.event === 'read')).toEqual([]);
    client.setOpen(true);
    await settle();
    expect(socket.sent.filter((s) => s.event === 'read').map((s) => s.payload)).toEqual([
      { conversationId: CONVERSATION, seq: 2 },
    ]);
    client.destroy();
  });
});
