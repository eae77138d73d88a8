/**
 * The customer's side of a conversation, without UI: session, socket, outbox, history.
 *
 * Nothing the customer writes is lost: each message gets a client message id and waits in an
 * outbox (memory + localStorage) until the server acknowledges it; it is re-sent with the same
 * id after an ack timeout, on reconnect and after a reload (the server deduplicates on it).
 * After every (re)connect the conversation is resynced from the last seq known complete.
 */
import type {
  CustomerClientToServer,
  CustomerServerToClient,
  TConversationChanged,
  TCsatAck,
  TCustomerWidgetConfig,
  TLocale,
  TMessage,
  TPublicAnnouncement,
  TQueuePosition,
  TResyncAck,
  TSendAck,
  TStatus,
} from '@kefu/shared';
import { type WidgetMessages, widgetText } from '@kefu/shared/i18n/widget';
import { io, type Socket } from 'socket.io-client';
import type { KefuIdentity } from '../bridge.ts';
import { warn } from '../bridge.ts';
import { type Api, ApiError, createApi } from './api.ts';
import {
  type AttachmentRef,
  clearStored,
  loadStored,
  type OutboxItem,
  type Stored,
  saveStored,
} from './storage.ts';
import { isCsatRequest, lastSeq, mergeMessages, newClientMessageId } from './text.ts';

/** The event catalog's version (REALTIME_PROTOCOL in @kefu/shared, which the bundle must not import). */
const PROTOCOL = 1;
const ACK_TIMEOUT_MS = 10_000;
const TIMEOUTS_BEFORE_FAILED = 3;
const TYPING_IDLE_MS = 3_000;
const AGENT_TYPING_MAX_MS = 8_000;
/** A stored token this close to expiry is exchanged for a fresh one. */
const TOKEN_REFRESH_MS = 3 * 24 * 3600 * 1000;

export type TranscriptState =
  | { step: 'closed' }
  | { step: 'open'; needEmail: boolean; error?: string }
  | { step: 'sending'; needEmail: boolean }
  | { step: 'sent'; email: string };

export type CsatState = { state: 'sending' | 'done' | 'error'; score: number; error?: string };

export type ChatState = {
  phase: 'idle' | 'starting' | 'ready' | 'unavailable';
  error: string | null;
  connected: boolean;
  /** The connection was lost or refused (not merely still opening). */
  offline: boolean;
  locale: TLocale;
  open: boolean;
  conversationId: string | null;
  number: number | null;
  status: TStatus | null;
  assigneeName: string | null;
  humanRequested: boolean;
  queue: Omit<TQueuePosition, 'conversationId'> | null;
  messages: TMessage[];
  outbox: OutboxItem[];
  /** Secret-guard warnings from the send ack, by message id. */
  warnings: Record<string, string>;
  agentTyping: string | null;
  agentReadSeq: number;
  unread: number;
  /** The last message from the team or the assistant that arrived live, for the live region. */
  announcement: { id: string; name: string; text: string } | null;
  csat: Record<string, CsatState>;
  /** Customer uploads (POST /api/v1/customer/attachments); off once the server says it has none. */
  attachments: boolean;
  /** "Email me this conversation": closed, open (asking for an email when needed), sending, sent. */
  transcript: TranscriptState;
  /** The inbox's colour, greeting and pre-chat form, and what the form asks this customer. */
  widget: TCustomerWidgetConfig | null;
  /** The pre-chat form was answered (or had nothing to ask); its topic goes with the first message. */
  preChatDone: boolean;
  preChatTopic: string | null;
  /** The exchange's current announcements and incidents (banner at the top), kept live. */
  banners: TPublicAnnouncement[];
};

type CustomerSocket = Socket<CustomerServerToClient, CustomerClientToServer>;
type Listener = (state: ChatState) => void;

export type ChatClientOptions = {
  base: string;
  siteToken: string;
  locale: TLocale;
  /** The locale was chosen (by the exchange or the customer), not guessed from the browser. */
  localeChosen: boolean;
  identity?: KefuIdentity;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ChatClient {
  readonly api: Api;
  private state: ChatState;
  private listeners = new Set<Listener>();
  private socket: CustomerSocket | null = null;
  private token: string | null = null;
  private identity: KefuIdentity | undefined;
  private localeChosen: boolean;
  private starting: Promise<void> | null = null;
  private pumping = false;
  /** Every message up to this seq is known (the last resync returned all after it). */
  private syncedSeq = 0;
  private readSent = 0;
  private typingOn = false;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private lastAuthRefresh = 0;
  private attributes: Record<string, unknown> = {};
  private destroyed = false;

  constructor(private readonly options: ChatClientOptions) {
    this.identity = options.identity;
    this.localeChosen = options.localeChosen;
    const stored = loadStored(options.siteToken);
    const locale = options.localeChosen ? options.locale : (stored.locale ?? options.locale);
    this.localeChosen = options.localeChosen || Boolean(stored.locale);
    this.state = {
      phase: 'idle',
      error: null,
      connected: false,
      offline: false,
      locale,
      open: false,
      conversationId: null,
      number: null,
      status: null,
      assigneeName: null,
      humanRequested: false,
      queue: null,
      messages: [],
      // Messages a previous page view could not send go first (same client message ids).
      outbox: (stored.outbox ?? []).map((item) => ({ ...item, timeouts: 0 })),
      warnings: {},
      agentTyping: null,
      agentReadSeq: 0,
      unread: 0,
      announcement: null,
      csat: {},
      attachments: true,
      transcript: { step: 'closed' },
      widget: null,
      preChatDone: false,
      preChatTopic: null,
      banners: [],
    };
    this.api = createApi({
      base: options.base,
      token: () => this.token,
      locale: () => this.state.locale,
      networkError: () => this.t('networkError'),
    });
    if (typeof document !== 'undefined')
      document.addEventListener('visibilitychange', this.onVisibility);
    // A returning visitor (a token, or messages not yet sent) reconnects at once: replies that
    // came while they were away show as unread, and the outbox drains.
    if (stored.token || (stored.outbox?.length ?? 0) > 0) void this.start();
  }

  get siteToken(): string {
    return this.options.siteToken;
  }

  getState(): ChatState {
    return this.state;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  t(key: keyof WidgetMessages, vars?: Record<string, string | number>): string {
    return widgetText(this.state.locale, key, vars);
  }

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) {
      try {
        listener(this.state);
      } catch (error) {
        warn('render failed', error);
      }
    }
  }

  private persist(patch: Partial<Stored>): void {
    saveStored(this.options.siteToken, patch);
  }

  // Session and connection.

  /** Opens the session and the socket once; later calls wait for the same start. */
  start(): Promise<void> {
    if (this.state.phase === 'ready') return Promise.resolve();
    if (!this.starting) {
      this.starting = this.run().finally(() => {
        this.starting = null;
      });
    }
    return this.starting;
  }

  private async run(): Promise<void> {
    this.set({ phase: 'starting', error: null });
    void this.loadBanners();
    try {
      await this.openSession(false);
      await this.loadWidgetConfig();
      await this.loadConversation();
      this.connect();
      this.set({ phase: 'ready' });
    } catch (error) {
      warn('could not start the chat', error);
      this.set({
        phase: 'unavailable',
        error:
          error instanceof ApiError && error.status !== 0 ? error.message : this.t('unavailable'),
      });
    }
  }

  /** Colour, greeting and pre-chat form; without them the chat still works with its defaults. */
  private async loadWidgetConfig(): Promise<void> {
    try {
      this.set({ widget: await this.api.widgetConfig() });
    } catch (error) {
      warn('widget settings not loaded', error);
    }
  }

  /** The pre-chat form asks something now: before the first message of a conversation. */
  needsPreChat(): boolean {
    const { widget, preChatDone, conversationId, status } = this.state;
    if (!widget || preChatDone || (conversationId && status !== 'closed')) return false;
    const needs = widget.preChat;
    return needs.name || needs.email || needs.topic;
  }

  /** Sends the pre-chat answers; the server checks them and answers in the customer's language. */
  async submitPreChat(values: {
    name: string;
    email: string;
    topic: string;
  }): Promise<string | null> {
    try {
      const result = await this.api.preChat({
        ...(values.name.trim() ? { name: values.name.trim() } : {}),
        ...(values.email.trim() ? { email: values.email.trim() } : {}),
        ...(values.topic ? { topic: values.topic } : {}),
      });
      this.set({ preChatDone: true, preChatTopic: result.topic });
      return null;
    } catch (error) {
      return error instanceof ApiError ? error.message : this.t('networkError');
    }
  }

  /** "Leave your email" outside business hours: replies then also reach the customer by email. */
  async leaveEmail(
    email: string,
  ): Promise<{ ok: true; email: string } | { ok: false; error: string }> {
    try {
      const result = await this.api.leaveEmail(email);
      const widget = this.state.widget;
      if (widget) this.set({ widget: { ...widget, hasEmail: true } });
      return { ok: true, email: result.email };
    } catch (error) {
      return {
        ok: false,
        error: error instanceof ApiError ? error.message : this.t('networkError'),
      };
    }
  }

  /** The current announcements; a failure leaves the banner as it was (the chat still works). */
  private async loadBanners(): Promise<void> {
    try {
      this.set({ banners: (await this.api.announcements()).announcements });
    } catch (error) {
      warn('announcements not loaded', error);
    }
  }

  /** Finds a token to use: the stored one when it still fits, else a new session. */
  private async openSession(force: boolean): Promise<void> {
    const { siteToken } = this.options;
    let stored = loadStored(siteToken);
    const identity = this.identity;
    const fresh = (s: Stored) =>
      !force && Boolean(s.token) && Date.parse(s.expiresAt ?? '') - Date.now() > TOKEN_REFRESH_MS;
    const locale = this.state.locale;

    if (stored.uid && stored.uid !== identity?.exchangeUid) {
      // Another (or no longer a) signed-in customer: never show their chat to this visitor.
      clearStored(siteToken);
      stored = saveStored(siteToken, stored.locale ? { locale: stored.locale } : {});
      this.resetConversation();
      this.set({ outbox: [] });
    }
    if (fresh(stored) && (identity ? stored.uid === identity.exchangeUid : !stored.uid)) {
      this.token = stored.token ?? null;
    } else {
      const session = await this.api.startSession({
        siteToken,
        locale,
        ...(identity ? { identity } : {}),
        ...(!identity && stored.token ? { contactToken: stored.token } : {}),
      });
      if (stored.contactId && stored.contactId !== session.contactId) {
        // A new contact (the old token expired): the old conversation is not theirs to see.
        stored = saveStored(siteToken, { conversationId: null, rated: {} });
        this.resetConversation();
      }
      this.token = session.contactToken;
      const patch: Partial<Stored> = {
        token: session.contactToken,
        expiresAt: session.expiresAt,
        contactId: session.contactId,
      };
      if (identity) patch.uid = identity.exchangeUid;
      saveStored(siteToken, patch);
    }
  }

  /** The conversation to show: the one this browser had, else the customer's latest open one. */
  private async loadConversation(): Promise<void> {
    const stored = loadStored(this.options.siteToken);
    let list: Awaited<ReturnType<Api['conversations']>>['conversations'] = [];
    try {
      list = (await this.api.conversations()).conversations;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'customer.unauthenticated') {
        await this.openSession(true);
        list = (await this.api.conversations()).conversations;
      } else {
        throw error;
      }
    }
    const byTime = [...list].sort((a, b) =>
      (b.lastMessageAt ?? b.createdAt).localeCompare(a.lastMessageAt ?? a.createdAt),
    );
    const chosen =
      byTime.find((c) => c.id === stored.conversationId) ??
      byTime.find((c) => c.status !== 'closed' && c.status !== 'resolved') ??
      byTime[0];
    if (!chosen) return;
    if (chosen.id !== this.state.conversationId) this.resetConversation();
    this.set({
      conversationId: chosen.id,
      number: chosen.number,
      status: chosen.status,
      assigneeName: chosen.assigneeName,
      csat: Object.fromEntries(
        Object.entries(stored.rated ?? {}).map(([id, score]) => [id, { state: 'done', score }]),
      ),
    });
    this.persist({ conversationId: chosen.id });
  }

  private resetConversation(): void {
    this.syncedSeq = 0;
    this.readSent = 0;
    this.set({
      conversationId: null,
      number: null,
      status: null,
      assigneeName: null,
      humanRequested: false,
      queue: null,
      messages: [],
      warnings: {},
      agentTyping: null,
      agentReadSeq: 0,
      unread: 0,
      announcement: null,
      csat: {},
    });
  }

  private connect(): void {
    this.socket?.disconnect();
    const socket: CustomerSocket = io(`${this.options.base}/customer`, {
      path: '/socket.io',
      // A function: each reconnect presents the current token and language.
      auth: (cb) =>
        cb({
          token: this.token ?? '',
          protocol: PROTOCOL,
          ...(this.localeChosen ? { locale: this.state.locale } : {}),
        }),
      reconnectionDelayMax: 10_000,
    });
    this.socket = socket;

    socket.on('connect', () => {
      // Messages that timed out on the old connection go again (same client message ids).
      const outbox = this.state.outbox.map((item) =>
        item.failed === 'timeout' ? { ...item, failed: undefined, timeouts: 0 } : item,
      );
      this.set({ connected: true, offline: false, outbox });
      void this.resync()
        .catch((error: unknown) => warn('resync failed', error))
        .then(() => this.pump());
      this.markRead();
    });
    socket.on('disconnect', () => {
      this.typingOn = false;
      this.set({ connected: false, offline: true, agentTyping: null });
    });
    socket.on('connect_error', (error) => {
      this.set({ connected: false, offline: true });
      // A rejected token is not retried by Socket.IO: get a new one, then connect again.
      if (error.message === 'customer.unauthenticated' && !socket.active) {
        if (Date.now() - this.lastAuthRefresh < 30_000) return;
        this.lastAuthRefresh = Date.now();
        void this.openSession(true)
          .then(() => socket.connect())
          .catch((e: unknown) => warn('could not renew the chat session', e));
      }
    });
    // The server waits for this ack to mark the message delivered.
    (socket as unknown as Socket).on('message:new', (message: TMessage, ack?: () => void) => {
      try {
        this.receive([message], { live: true });
      } finally {
        if (typeof ack === 'function') ack();
      }
    });
    socket.on('conversation:changed', (change) => this.applyChange(change));
    socket.on('announcements:changed', ({ announcements }) => this.set({ banners: announcements }));
    socket.on('queue:position', ({ conversationId, ...position }) => {
      if (conversationId === this.state.conversationId) this.set({ queue: position });
    });
    socket.on('typing', (event) => {
      if (event.conversationId !== this.state.conversationId) return;
      clearTimeout(this.agentTypingTimer);
      this.set({ agentTyping: event.typing ? event.name : null });
      if (event.typing) {
        this.agentTypingTimer = setTimeout(
          () => this.set({ agentTyping: null }),
          AGENT_TYPING_MAX_MS,
        );
      }
    });
    socket.on('read', (event) => {
      if (event.conversationId !== this.state.conversationId) return;
      this.set({ agentReadSeq: Math.max(this.state.agentReadSeq, event.seq) });
    });
  }

  private applyChange(change: TConversationChanged): void {
    if (change.conversationId !== this.state.conversationId) return;
    const patch: Partial<ChatState> = {};
    if (change.status) patch.status = change.status;
    if ('assigneeName' in change) patch.assigneeName = change.assigneeName ?? null;
    else if (change.assigneeId === null) patch.assigneeName = null;
    if (patch.assigneeName || change.status === 'resolved' || change.status === 'closed') {
      patch.queue = null;
    }
    this.set(patch);
  }

  private emitAck<R>(event: keyof CustomerClientToServer, payload: unknown): Promise<R | null> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.resolve(null);
    return new Promise((resolve) => {
      (socket as unknown as Socket)
        .timeout(ACK_TIMEOUT_MS)
        .emit(event, payload, (error: Error | null, response: R) =>
          resolve(error ? null : response),
        );
    });
  }

  /** Everything committed after the last complete point, merged (duplicates drop by id). */
  private async resync(): Promise<void> {
    for (let page = 0; page < 20; page++) {
      const conversationId = this.state.conversationId;
      if (!conversationId) return;
      const quiet = this.state.messages.length === 0;
      const ack = await this.emitAck<TResyncAck>('conversation:resync', {
        conversationId,
        afterSeq: this.syncedSeq,
      });
      if (!ack) return;
      if (!ack.ok) {
        warn('resync refused', ack.error.message);
        return;
      }
      if (conversationId !== this.state.conversationId) return;
      this.syncedSeq = Math.max(this.syncedSeq, lastSeq(ack.messages));
      this.receive(ack.messages, { live: !quiet });
      if (ack.messages.length < 500) return;
    }
  }

  private receive(incoming: TMessage[], { live }: { live: boolean }): void {
    let { conversationId } = this.state;
    const fresh: TMessage[] = [];
    for (const m of incoming) {
      if (m.private) continue;
      if (!conversationId) {
        conversationId = m.conversationId;
        this.set({ conversationId });
        this.persist({ conversationId });
      }
      if (m.conversationId !== conversationId) continue;
      fresh.push(m);
    }
    if (fresh.length === 0) return;
    const known = new Set(this.state.messages.map((m) => m.id));
    const committedIds = new Set(fresh.map((m) => m.clientMessageId).filter(Boolean));
    const outbox = this.state.outbox.filter((item) => !committedIds.has(item.clientMessageId));
    const sentFromOutbox = outbox.length !== this.state.outbox.length;
    const arrived = fresh.filter((m) => !known.has(m.id) && m.senderType !== 'contact');
    const visible = this.state.open && !document.hidden;
    const last = arrived[arrived.length - 1];
    const patch: Partial<ChatState> = {
      messages: mergeMessages(this.state.messages, fresh),
      outbox,
    };
    if (live && last) {
      patch.announcement = {
        id: last.id,
        name: this.senderName(last),
        text: last.text,
      };
      if (!visible) patch.unread = this.state.unread + arrived.length;
    }
    if (arrived.some((m) => m.senderType === 'agent')) patch.agentTyping = null;
    if (arrived.some((m) => isCsatRequest(m))) patch.queue = null;
    this.set(patch);
    if (sentFromOutbox) this.persist({ outbox });
    this.markRead();
  }

  senderName(message: TMessage): string {
    if (message.senderType === 'assistant') return this.t('assistantName');
    if (message.senderType === 'system') return this.t('system');
    if (message.senderType === 'contact') return this.t('you');
    return message.senderName ?? this.t('title');
  }

  // Sending.

  send(text: string, attachments: AttachmentRef[] = [], extra: { handoff?: boolean } = {}): void {
    const item: OutboxItem = {
      clientMessageId: newClientMessageId(),
      text,
      attachments,
      createdAt: new Date().toISOString(),
      ...(extra.handoff ? { handoff: true } : {}),
    };
    const outbox = [...this.state.outbox, item];
    this.set({ outbox });
    this.persist({ outbox });
    this.stopTyping();
    void this.start().then(() => this.pump());
  }

  retry(clientMessageId: string): void {
    const outbox = this.state.outbox.map((item) =>
      item.clientMessageId === clientMessageId
        ? { ...item, failed: undefined, error: undefined, timeouts: 0 }
        : item,
    );
    this.set({ outbox });
    this.persist({ outbox });
    if (this.state.phase !== 'ready') void this.start();
    void this.pump();
  }

  private updateItem(clientMessageId: string, patch: Partial<OutboxItem>): void {
    const outbox = this.state.outbox.map((item) =>
      item.clientMessageId === clientMessageId ? { ...item, ...patch } : item,
    );
    this.set({ outbox });
    this.persist({ outbox });
  }

  /** Sends the outbox in order, one message at a time (the first one may open the conversation). */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.destroyed && this.socket?.connected) {
        const item = this.state.outbox.find((i) => !i.failed);
        if (!item) return;
        const result = await this.sendOne(item);
        if (result === 'timeout') {
          const timeouts = (item.timeouts ?? 0) + 1;
          if (timeouts >= TIMEOUTS_BEFORE_FAILED) {
            this.updateItem(item.clientMessageId, {
              timeouts,
              failed: 'timeout',
              error: this.t('networkError'),
            });
          } else {
            this.updateItem(item.clientMessageId, { timeouts });
            await sleep(Math.min(1000 * 2 ** timeouts, 15_000));
          }
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private async sendOne(item: OutboxItem): Promise<'ok' | 'timeout' | 'retry' | 'rejected'> {
    const { conversationId, status } = this.state;
    // A closed ticket cannot take messages: the next one opens a new conversation.
    const target = conversationId && status !== 'closed' ? conversationId : undefined;
    const ack = await this.emitAck<TSendAck>('message:send', {
      clientMessageId: item.clientMessageId,
      text: item.text,
      ...(target ? { conversationId: target } : {}),
      ...(this.localeChosen ? { locale: this.state.locale } : {}),
      ...(item.attachments.length ? { attachmentIds: item.attachments.map((a) => a.id) } : {}),
      ...(!target && this.state.preChatTopic ? { topic: this.state.preChatTopic } : {}),
    });
    if (!ack) return 'timeout';
    if (!ack.ok) {
      if (target && ['conversation.closed', 'conversation.not_found'].includes(ack.error.code)) {
        this.set({ status: 'closed' });
        return 'retry';
      }
      this.updateItem(item.clientMessageId, { failed: 'rejected', error: ack.error.message });
      return 'rejected';
    }
    const { message } = ack;
    if (message.conversationId !== this.state.conversationId) {
      this.resetConversation();
      this.set({ conversationId: message.conversationId, status: 'open' });
      this.persist({ conversationId: message.conversationId });
    }
    const patch: Partial<ChatState> = { number: ack.conversationNumber };
    if (ack.warning) patch.warnings = { ...this.state.warnings, [message.id]: ack.warning };
    this.set(patch);
    this.receive([message], { live: false });
    if (item.handoff) void this.requestHuman();
    return 'ok';
  }

  /** "Talk to a person": a message first when there is no conversation yet. */
  async requestHuman(): Promise<void> {
    const { conversationId, status } = this.state;
    if (!conversationId || status === 'closed') {
      this.send(this.t('handoffText'), [], { handoff: true });
      return;
    }
    await this.start();
    const ack = await this.emitAck<{ ok: true; queued: boolean } | { ok: false }>(
      'handoff:request',
      { conversationId },
    );
    if (ack?.ok) this.set({ humanRequested: true });
  }

  // Presence.

  /** Called on each keystroke: `typing: true` once, `false` after a pause. */
  noteTyping(hasText: boolean): void {
    const conversationId = this.state.conversationId;
    if (!conversationId || !this.socket?.connected) return;
    if (!hasText) {
      this.stopTyping();
      return;
    }
    if (!this.typingOn) {
      this.typingOn = true;
      this.socket.emit('typing', { conversationId, typing: true });
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    clearTimeout(this.typingTimer);
    if (!this.typingOn) return;
    this.typingOn = false;
    const conversationId = this.state.conversationId;
    if (conversationId && this.socket?.connected)
      this.socket.emit('typing', { conversationId, typing: false });
  }

  /** Tells the team what the customer has seen, when the panel is actually visible. */
  private markRead(): void {
    const { open, conversationId, connected, messages } = this.state;
    if (!open || !connected || !conversationId || document.hidden) return;
    const seq = lastSeq(messages);
    if (seq <= this.readSent) return;
    this.readSent = seq;
    this.socket?.emit('read', { conversationId, seq });
  }

  private onVisibility = () => {
    if (!document.hidden && this.state.open) {
      this.set({ unread: 0 });
      this.markRead();
    }
  };

  setOpen(open: boolean): void {
    if (open === this.state.open) return;
    this.set({ open, ...(open ? { unread: 0 } : {}) });
    if (open) void this.start().then(() => this.markRead());
    else this.stopTyping();
  }

  /** Opens or closes the "email me this conversation" form. */
  toggleTranscript(): void {
    this.set({
      transcript:
        this.state.transcript.step === 'closed'
          ? { step: 'open', needEmail: false }
          : { step: 'closed' },
    });
  }

  /** Asks the server to mail the transcript; a customer without an email is asked for one. */
  async emailTranscript(email?: string): Promise<void> {
    const conversationId = this.state.conversationId;
    if (!conversationId) return;
    const needEmail =
      this.state.transcript.step !== 'sent' && 'needEmail' in this.state.transcript
        ? this.state.transcript.needEmail
        : false;
    this.set({ transcript: { step: 'sending', needEmail } });
    try {
      const result = await this.api.emailTranscript(conversationId, {
        locale: this.state.locale,
        ...(email ? { email } : {}),
      });
      this.set({ transcript: { step: 'sent', email: result.email } });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'transcript.email_required') {
        this.set({ transcript: { step: 'open', needEmail: true } });
        return;
      }
      this.set({
        transcript: {
          step: 'open',
          needEmail,
          error: error instanceof ApiError ? error.message : this.t('networkError'),
        },
      });
    }
  }

  setLocale(locale: TLocale, chosen = true): void {
    if (chosen) {
      this.localeChosen = true;
      this.persist({ locale });
    }
    this.set({ locale });
  }

  /** An upload answered 404: this server takes no customer files, so the button goes. */
  disableAttachments(): void {
    this.set({ attachments: false });
  }

  // CSAT.

  async submitCsat(request: TMessage, score: number, comment: string): Promise<void> {
    const id = request.id;
    this.set({ csat: { ...this.state.csat, [id]: { state: 'sending', score } } });
    const body = { score, ...(comment.trim() ? { comment: comment.trim() } : {}) };
    let result: CsatState;
    const ack = await this.emitAck<TCsatAck>('csat:submit', {
      conversationId: request.conversationId,
      ...body,
    });
    if (ack?.ok) {
      result = { state: 'done', score };
    } else if (ack && !ack.ok) {
      result = { state: 'error', score, error: ack.error.message };
    } else {
      // No socket, or a server without the event: the same through HTTP.
      try {
        await this.api.submitCsat(request.conversationId, body);
        result = { state: 'done', score };
      } catch (error) {
        result = { state: 'error', score, error: (error as Error).message };
      }
    }
    this.set({ csat: { ...this.state.csat, [id]: result } });
    if (result.state === 'done') {
      this.persist({ rated: { ...(loadStored(this.options.siteToken).rated ?? {}), [id]: score } });
    }
  }

  // The host page's commands.

  /** Kefu('identify', …): the visitor signed in on the exchange; their own chat replaces this one. */
  identify(identity: KefuIdentity | undefined): void {
    if (identity?.exchangeUid === this.identity?.exchangeUid) return;
    this.switchCustomer(identity);
  }

  private switchCustomer(identity: KefuIdentity | undefined): void {
    this.identity = identity;
    this.socket?.disconnect();
    this.socket = null;
    this.resetConversation();
    this.set({ phase: 'idle', connected: false, offline: false, outbox: [] });
    if (this.state.open || identity) void this.start();
  }

  /** Kefu('setAttributes', …): kept for the session; the server has no customer endpoint yet. */
  setAttributes(attributes: Record<string, unknown>): void {
    this.attributes = { ...this.attributes, ...attributes };
  }

  /** Kefu('logout'): forget this browser's chat (a shared computer). */
  logout(): void {
    clearStored(this.options.siteToken);
    this.token = null;
    this.switchCustomer(undefined);
  }

  destroy(): void {
    this.destroyed = true;
    this.socket?.disconnect();
    this.socket = null;
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.listeners.clear();
  }
}
