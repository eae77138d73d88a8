import type { Server as HttpServer } from 'node:http';
import { fastifyCookie } from '@fastify/cookie';
import {
  type AgentClientToServer,
  type AgentServerToClient,
  type CustomerClientToServer,
  type CustomerServerToClient,
  type TAckError,
  ZAgentSend,
  ZCsatSubmitEvent,
  ZCustomerSend,
  ZJoin,
  ZRead,
  ZResync,
  ZTyping,
} from '@kefu/shared';
import { pickLocale, translate } from '@kefu/shared/i18n';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { type Namespace, Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import { findCurrentAnnouncements, toPublicAnnouncement } from '../announcements/announcements.ts';
import { reloadCustomIntents } from '../assistant/custom-intents.ts';
import { requestHuman } from '../assistant/request-human.ts';
import { type AgentRow, authenticateSession, findValidSessions } from '../auth/sessions.ts';
import { preChatFields } from '../channels/widget/widget-settings.ts';
import {
  canAgentSee,
  findMessages,
  getConversationRow,
  getVisibleConversation,
} from '../conversations/queries.ts';
import { submitCsat } from '../csat/submit-csat.ts';
import type { Deps } from '../deps.ts';
import { SESSION_COOKIE } from '../http/auth-guard.ts';
import { refreshIndexedArticle } from '../knowledge/articles.ts';
import { AppError, orNullIfAppError } from '../lib/app-error.ts';
import { isDatabaseConflict, isDatabaseUnavailable } from '../lib/database-unavailable.ts';
import type { DomainEvent } from '../lib/events.ts';
import { admitNewConversationFrom } from '../lib/ip-throttle.ts';
import { acceptInbound } from '../pipeline/accept-inbound.ts';
import { sendAgentMessage } from '../pipeline/send-outbound.ts';
import { getSecuritySettings } from '../settings/settings.ts';
import { findTeamIdsByAgent } from '../teams/teams.ts';
import { type CustomerClaims, verifyCustomerToken } from './customer-token.ts';
import { startEventRelay } from './event-relay.ts';

type CustomerSocket = Socket<
  CustomerClientToServer,
  CustomerServerToClient,
  Record<string, never>,
  { customer: CustomerClaims; locale: 'zh-CN' | 'en' }
>;
type AgentSocket = Socket<
  AgentClientToServer,
  AgentServerToClient,
  Record<string, never>,
  {
    agent: Pick<AgentRow, 'id' | 'role' | 'name'>;
    /** The session the socket signed in with: the socket lasts as long as it does. */
    sessionId: string;
    teamIds: string[];
    typing: Record<string, boolean>;
    locale: 'zh-CN' | 'en';
  }
>;

/** How often each node checks its console sockets' sessions (expiry; changes it missed). */
const AGENT_SOCKET_RECHECK_MS = 60_000;

export type Realtime = {
  io: Server;
  customers: Namespace<CustomerClientToServer, CustomerServerToClient>;
  agents: Namespace<AgentClientToServer, AgentServerToClient>;
  /** Sends a committed outbound message to the customer's open widgets; true when one confirmed it. */
  deliverToCustomer: (
    contactId: string,
    message: Parameters<CustomerServerToClient['message:new']>[0],
  ) => Promise<boolean>;
  /** Checks this node's console sockets against their sessions now (done every minute anyway). */
  recheckAgentSockets: () => Promise<void>;
  close: () => Promise<void>;
};

const room = {
  conversation: (id: string) => `conversation:${id}`,
  contact: (id: string) => `contact:${id}`,
  agent: (id: string) => `agent:${id}`,
  team: (id: string) => `team:${id}`,
  agents: 'agents',
  supervisors: 'supervisors',
};

function ackError(error: unknown, locale: 'zh-CN' | 'en', requestId = ''): TAckError {
  if (error instanceof AppError) {
    return {
      ok: false,
      error: {
        code: error.code,
        message: translate(locale, `errors.${error.code}`, { ...error.vars, requestId }),
      },
    };
  }
  // The database is restarting or unreachable: the client keeps the message and retries.
  const code = isDatabaseUnavailable(error)
    ? 'service.unavailable'
    : isDatabaseConflict(error)
      ? 'service.busy'
      : 'internal';
  return {
    ok: false,
    error: { code, message: translate(locale, `errors.${code}`, { requestId }) },
  };
}

/** The client's address, as the HTTP side sees it (X-Forwarded-For only behind a trusted proxy). */
function addressOf(socket: { handshake: Socket['handshake'] }, trustProxy: boolean): string {
  const forwarded = socket.handshake.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string' && forwarded.trim())
    return forwarded.split(',')[0]?.trim() ?? socket.handshake.address;
  return socket.handshake.address;
}

function parsePayload<T extends z.ZodType>(schema: T, payload: unknown): z.output<T> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    const fields = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
      .join('; ');
    throw new AppError('request.invalid', { vars: { fields } });
  }
  return parsed.data;
}

/** Wraps a socket handler: validates, never throws into Socket.IO, always answers the ack if given. */
function handle<T extends z.ZodType, R>(
  deps: Deps,
  socket: { data: { locale: 'zh-CN' | 'en' } },
  schema: T,
  fn: (payload: z.output<T>) => Promise<R>,
) {
  return (payload: unknown, ack?: (response: R | TAckError) => void) => {
    const respond = typeof ack === 'function' ? ack : () => {};
    void (async () => {
      try {
        respond(await fn(parsePayload(schema, payload)));
      } catch (error) {
        if (isDatabaseUnavailable(error) || isDatabaseConflict(error))
          deps.logger.warn({ err: error }, 'socket handler: database unavailable or conflict');
        else if (!(error instanceof AppError))
          deps.logger.error({ err: error }, 'socket handler failed');
        respond(ackError(error, socket.data.locale));
      }
    })();
  };
}

export async function attachRealtime(
  server: HttpServer,
  deps: Deps,
  subscribe: (listener: (event: DomainEvent) => void) => () => void,
): Promise<Realtime> {
  const io = new Server(server, {
    path: '/socket.io',
    // The customer namespace authenticates with a token, so any exchange site may connect; no
    // cookies cross origins (the agent namespace checks the Origin itself).
    cors: { origin: true, credentials: false },
    maxHttpBufferSize: 256 * 1024,
    connectionStateRecovery: undefined,
  });
  let redis: { pub: Redis; sub: Redis; events: Redis } | undefined;
  if (deps.config.redisUrl) {
    const pub = new Redis(deps.config.redisUrl, { maxRetriesPerRequest: null });
    const sub = pub.duplicate();
    io.adapter(createAdapter(pub, sub));
    redis = { pub, sub, events: pub.duplicate() };
  }
  const customers = io.of('/customer') as unknown as Namespace<
    CustomerClientToServer,
    CustomerServerToClient
  >;
  const agentsNs = io.of('/agent') as unknown as Namespace<
    AgentClientToServer,
    AgentServerToClient
  >;

  customers.use((socket, next) => {
    const s = socket as unknown as CustomerSocket;
    const token = typeof s.handshake.auth?.token === 'string' ? s.handshake.auth.token : '';
    s.data.locale = pickLocale(
      String(s.handshake.auth?.locale ?? s.handshake.headers['accept-language'] ?? ''),
    );
    verifyCustomerToken(deps.config.secretKey, token, deps.clock.now())
      .then((claims) => {
        // Ticket-lookup tokens are for that ticket's page over HTTP, not for the chat.
        if (claims.conversationId) return next(new Error('customer.unauthenticated'));
        s.data.customer = claims;
        next();
      })
      .catch(() => next(new Error('customer.unauthenticated')));
  });

  customers.on('connection', (raw) => {
    const socket = raw as unknown as CustomerSocket;
    const { contactId, inboxId } = socket.data.customer;
    void socket.join(room.contact(contactId));

    socket.on(
      'message:send',
      handle(deps, socket, ZCustomerSend, async (payload) => {
        const fields = payload.conversationId
          ? undefined
          : await preChatFields(deps, inboxId, payload.topic);
        const result = await acceptInbound(deps, {
          ...(fields ? { fields } : {}),
          channel: 'widget',
          inboxId,
          idempotencyKey: `${contactId}:${payload.clientMessageId}`,
          contactId,
          ...(payload.conversationId ? { conversationId: payload.conversationId } : {}),
          text: payload.text,
          // A locale the widget states wins; otherwise the text decides (not the browser default).
          locale:
            payload.locale ??
            (typeof socket.handshake.auth?.locale === 'string'
              ? socket.handshake.auth.locale
              : null),
          attachmentIds: payload.attachmentIds,
          clientMessageId: payload.clientMessageId,
          connectionId: socket.id,
          admitNewConversation: admitNewConversationFrom(
            deps.newConversationThrottle,
            addressOf(socket, deps.config.trustProxy),
          ),
        });
        return {
          ok: true as const,
          message: result.message,
          conversationNumber: result.conversation.number,
          duplicate: result.duplicate,
          redactions: result.redactions,
          warning: result.warning,
        };
      }),
    );
    socket.on(
      'handoff:request',
      handle(deps, socket, ZJoin, async ({ conversationId }) => ({
        ok: true as const,
        ...(await requestHuman(deps, contactId, conversationId)),
      })),
    );
    socket.on(
      'conversation:resync',
      handle(deps, socket, ZResync, async (payload) => {
        const conversation = await getConversationRow(deps.db, payload.conversationId).catch(
          orNullIfAppError,
        );
        if (!conversation || conversation.contactId !== contactId)
          throw new AppError('conversation.not_found');
        return {
          ok: true as const,
          messages: await findMessages(deps.db, conversation.id, {
            afterSeq: payload.afterSeq,
            limit: 500,
            includePrivate: false,
          }),
        };
      }),
    );
    socket.on(
      'typing',
      handle(deps, socket, ZTyping, async (payload) => {
        const conversation = await getConversationRow(deps.db, payload.conversationId).catch(
          orNullIfAppError,
        );
        if (!conversation || conversation.contactId !== contactId)
          throw new AppError('conversation.not_found');
        agentsNs.to(room.conversation(conversation.id)).emit('typing', {
          conversationId: conversation.id,
          senderType: 'contact',
          typing: payload.typing,
        });
        return { ok: true as const };
      }),
    );
    socket.on(
      'read',
      handle(deps, socket, ZRead, async (payload) => {
        const conversation = await getConversationRow(deps.db, payload.conversationId).catch(
          orNullIfAppError,
        );
        if (!conversation || conversation.contactId !== contactId)
          throw new AppError('conversation.not_found');
        agentsNs
          .to(room.conversation(conversation.id))
          .emit('read', { conversationId: conversation.id, seq: payload.seq, by: 'contact' });
        return { ok: true as const };
      }),
    );
    socket.on(
      'csat:submit',
      handle(deps, socket, ZCsatSubmitEvent, async ({ conversationId, ...rating }) => ({
        ok: true as const,
        csat: await submitCsat(
          deps,
          { type: 'contact', id: contactId, ip: socket.handshake.address },
          socket.data.customer,
          conversationId,
          rating,
        ),
      })),
    );
  });

  agentsNs.use((socket, next) => {
    const s = socket as unknown as AgentSocket;
    // Agents' sockets ride on the session cookie: refuse pages of other origins.
    const origin = s.handshake.headers.origin;
    const host = s.handshake.headers.host;
    const sameSite =
      !origin ||
      origin === new URL(deps.config.publicUrl).origin ||
      (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`)) ||
      deps.config.widgetOrigins.includes(origin);
    if (!sameSite) return next(new Error('auth.forbidden'));
    const cookies = fastifyCookie.parse(s.handshake.headers.cookie ?? '');
    const token =
      cookies[SESSION_COOKIE] ??
      (typeof s.handshake.auth?.session === 'string' ? s.handshake.auth.session : '');
    s.data.locale = pickLocale(String(s.handshake.headers['accept-language'] ?? ''));
    (async () => {
      const auth = token ? await authenticateSession(deps, token) : null;
      if (!auth) return next(new Error('auth.unauthenticated'));
      if (!auth.agent.totpSecret && (await getSecuritySettings(deps.db)).requireTwoFactor) {
        return next(new Error('auth.two_factor_enrollment_required'));
      }
      s.data.agent = { id: auth.agent.id, role: auth.agent.role, name: auth.agent.name };
      s.data.sessionId = auth.session.id;
      // Looked up before the connection is accepted, so that a connected console is in its
      // teams' rooms and misses none of their events.
      s.data.teamIds =
        (await findTeamIdsByAgent(deps.db, [auth.agent.id])).get(auth.agent.id) ?? [];
      s.data.typing = {};
      next();
    })().catch(() => next(new Error('service.unavailable')));
  });

  async function broadcastPresence(conversationId: string) {
    const sockets = await agentsNs.in(room.conversation(conversationId)).fetchSockets();
    const viewers = new Map<string, { agentId: string; name: string; typing: boolean }>();
    for (const s of sockets) {
      const data = s.data as AgentSocket['data'];
      if (!data.agent) continue;
      const prior = viewers.get(data.agent.id);
      viewers.set(data.agent.id, {
        agentId: data.agent.id,
        name: data.agent.name,
        typing: Boolean(prior?.typing || data.typing?.[conversationId]),
      });
    }
    agentsNs
      .to(room.conversation(conversationId))
      .emit('presence', { conversationId, viewers: [...viewers.values()] });
  }

  /** The rooms an agent's socket is in besides the conversations it has open. */
  const accessRooms = (agent: AgentSocket['data']['agent'], teamIds: string[]) => [
    room.agent(agent.id),
    room.agents,
    ...(agent.role === 'agent' ? [] : [room.supervisors]),
    ...teamIds.map(room.team),
  ];

  /**
   * Checks this node's console sockets (all, or one agent's) against the database: a socket
   * whose session ended (signed out, revoked, expired, password reset, agent disabled) is
   * disconnected; the others follow the agent's role, name and teams, and are told when their
   * access changed so the console reloads it. One check at a time, so that a slower earlier
   * read never undoes a later one.
   */
  let rechecks: Promise<void> = Promise.resolve();
  function recheckAgentSockets(agentId?: string): Promise<void> {
    const run = rechecks.then(() => recheckNow(agentId));
    rechecks = run.catch(() => undefined);
    return run;
  }
  async function recheckNow(agentId?: string): Promise<void> {
    const sockets = [...agentsNs.sockets.values()].filter(
      (s) => s.data.agent && (!agentId || s.data.agent.id === agentId),
    ) as unknown as AgentSocket[];
    if (sockets.length === 0) return;
    const valid = await findValidSessions(deps, [...new Set(sockets.map((s) => s.data.sessionId))]);
    const teams = await findTeamIdsByAgent(deps.db, [
      ...new Set(sockets.map((s) => s.data.agent.id)),
    ]);
    for (const socket of sockets) {
      const fresh = valid.get(socket.data.sessionId);
      if (!fresh) {
        socket.disconnect(true);
        continue;
      }
      const agent = socket.data.agent;
      const teamIds = teams.get(agent.id) ?? [];
      const before = accessRooms(agent, socket.data.teamIds);
      const changed =
        fresh.role !== agent.role ||
        teamIds.length !== socket.data.teamIds.length ||
        teamIds.some((id) => !socket.data.teamIds.includes(id));
      Object.assign(agent, { role: fresh.role, name: fresh.name });
      socket.data.teamIds = teamIds;
      if (!changed) continue;
      const after = accessRooms(agent, teamIds);
      for (const r of before) if (!after.includes(r)) void socket.leave(r);
      void socket.join(after);
      // Conversations open on screen that the agent may no longer see stop streaming.
      for (const r of [...socket.rooms].filter((r) => r.startsWith('conversation:'))) {
        const id = r.slice('conversation:'.length);
        const conversation = await getConversationRow(deps.db, id).catch(orNullIfAppError);
        if (!conversation || !(await canAgentSee(deps.db, agent, conversation))) {
          await socket.leave(r);
          void broadcastPresence(id).catch(() => {});
        }
      }
      socket.emit('access:changed');
    }
  }
  const recheckTimer = setInterval(() => {
    recheckAgentSockets().catch((err: unknown) =>
      deps.logger.warn({ err }, 'console sockets not rechecked'),
    );
  }, AGENT_SOCKET_RECHECK_MS);
  recheckTimer.unref();

  agentsNs.on('connection', (raw) => {
    const socket = raw as unknown as AgentSocket;
    // Changed in place when the agent's role or name changes (recheckAgentSockets).
    const agent = socket.data.agent;
    void socket.join(accessRooms(agent, socket.data.teamIds));

    socket.on(
      'conversation:join',
      handle(deps, socket, ZJoin, async ({ conversationId }) => {
        await getVisibleConversation(deps.db, agent, conversationId);
        await socket.join(room.conversation(conversationId));
        await broadcastPresence(conversationId);
        return { ok: true as const };
      }),
    );
    socket.on(
      'conversation:leave',
      handle(deps, socket, ZJoin, async ({ conversationId }) => {
        await socket.leave(room.conversation(conversationId));
        delete socket.data.typing[conversationId];
        await broadcastPresence(conversationId);
        return { ok: true as const };
      }),
    );
    socket.on(
      'message:send',
      handle(deps, socket, ZAgentSend, async (payload) => {
        const result = await sendAgentMessage(deps, agent, payload.conversationId, {
          text: payload.text,
          private: payload.private,
          attachmentIds: payload.attachmentIds,
          clientMessageId: payload.clientMessageId,
        });
        return {
          ok: true as const,
          message: result.message,
          conversationNumber: result.conversation.number,
          duplicate: result.duplicate,
          redactions: [],
          warning: null,
        };
      }),
    );
    socket.on(
      'conversation:resync',
      handle(deps, socket, ZResync, async (payload) => {
        await getVisibleConversation(deps.db, agent, payload.conversationId);
        return {
          ok: true as const,
          messages: await findMessages(deps.db, payload.conversationId, {
            afterSeq: payload.afterSeq,
            limit: 500,
            includePrivate: true,
          }),
        };
      }),
    );
    socket.on(
      'typing',
      handle(deps, socket, ZTyping, async (payload) => {
        const conversation = await getVisibleConversation(deps.db, agent, payload.conversationId);
        socket.data.typing[conversation.id] = payload.typing;
        customers.to(room.contact(conversation.contactId)).emit('typing', {
          conversationId: conversation.id,
          senderType: 'agent',
          name: agent.name,
          typing: payload.typing,
        });
        await broadcastPresence(conversation.id);
        return { ok: true as const };
      }),
    );
    socket.on(
      'read',
      handle(deps, socket, ZRead, async (payload) => {
        const conversation = await getVisibleConversation(deps.db, agent, payload.conversationId);
        customers
          .to(room.contact(conversation.contactId))
          .emit('read', { conversationId: conversation.id, seq: payload.seq, by: 'agent' });
        return { ok: true as const };
      }),
    );
    socket.on('disconnecting', () => {
      const rooms = [...socket.rooms].filter((r) => r.startsWith('conversation:'));
      setImmediate(() => {
        for (const r of rooms)
          void broadcastPresence(r.slice('conversation:'.length)).catch(() => {});
      });
    });
  });

  const agentRooms = (a: {
    conversationId: string;
    teamId: string | null;
    assigneeId: string | null;
  }) => {
    const rooms = [
      room.conversation(a.conversationId),
      room.supervisors,
      a.teamId ? room.team(a.teamId) : room.agents,
    ];
    if (a.assigneeId) rooms.push(room.agent(a.assigneeId));
    return rooms;
  };

  /**
   * Delivers a domain event to this node's sockets; `peer` events came from another node through
   * the relay (which that node's own sockets already got). Local emits only: the relay, not the
   * Socket.IO adapter, carries these events between nodes, one Redis message per batch.
   */
  const deliver = (event: DomainEvent, from: 'here' | 'peer') => {
    switch (event.type) {
      case 'message.created': {
        agentsNs.local.to(agentRooms(event.audience)).emit('message:new', event.message);
        const m = event.message;
        // Outbound messages reach the customer through the outbox deliverer; these do not have one.
        if (
          !m.private &&
          (m.senderType === 'contact' || (m.senderType === 'system' && m.deliveryStatus === null))
        ) {
          // The customer's other tabs and devices; the sending connection has it in its ack.
          const tabs = customers.local.to(room.contact(event.audience.contactId));
          (event.fromConnection ? tabs.except(event.fromConnection) : tabs).emit('message:new', m);
        }
        return;
      }
      case 'conversation.created':
        agentsNs.local.to(agentRooms(event.audience)).emit('conversation:created', {
          conversationId: event.audience.conversationId,
          number: event.number,
          teamId: event.audience.teamId,
        });
        return;
      case 'conversation.changed': {
        const rooms = agentRooms(event.audience);
        if (event.previousAssigneeId) rooms.push(room.agent(event.previousAssigneeId));
        agentsNs.local.to(rooms).emit('conversation:changed', event.change);
        const { teamId: _team, ...forCustomer } = event.change;
        customers.local
          .to(room.contact(event.audience.contactId))
          .emit('conversation:changed', forCustomer);
        return;
      }
      case 'queue.position':
        customers.local
          .to(room.contact(event.audience.contactId))
          .emit('queue:position', event.position);
        return;
      case 'delivery.changed':
        agentsNs.local.to(agentRooms(event.audience)).emit('delivery:changed', {
          conversationId: event.audience.conversationId,
          messageId: event.messageId,
          status: event.status,
        });
        return;
      case 'agent.notification':
        agentsNs.local.to(room.agent(event.agentId)).emit('notification', {
          kind: event.kind,
          conversationId: event.conversationId,
          number: event.number,
        });
        return;
      case 'assistant.changed':
        // The node that changed the intents has reloaded them.
        if (from === 'peer') void reloadCustomIntents(deps).catch(() => {});
        return;
      case 'announcements.changed':
        // The node that made the change reads the list once and sends it to every open widget
        // of every node through the adapter (a rare event, and all widgets get the same list).
        if (from === 'peer') return;
        void findCurrentAnnouncements(deps)
          .then((list) =>
            customers.emit('announcements:changed', {
              announcements: list.map(toPublicAnnouncement),
            }),
          )
          .catch((err: unknown) => deps.logger.warn({ err }, 'announcements not broadcast'));
        return;
      case 'knowledge.changed':
        // The node that changed the article has indexed it; the others reload it.
        if (from === 'peer') void refreshIndexedArticle(deps, event.articleId).catch(() => {});
        return;
      case 'agent.access_changed':
        recheckAgentSockets(event.agentId).catch((err: unknown) =>
          deps.logger.warn({ err, agentId: event.agentId }, 'console sockets not rechecked'),
        );
        return;
      case 'supervisors.notification':
        agentsNs.local.to(room.supervisors).emit('notification', {
          kind: event.kind,
          conversationId: event.conversationId,
          number: event.number,
        });
        return;
    }
  };
  const relay = redis
    ? await startEventRelay({
        pub: redis.pub,
        sub: redis.events,
        logger: deps.logger,
        onEvent: (event) => deliver(event, 'peer'),
      })
    : undefined;
  const unsubscribe = subscribe((event) => {
    deliver(event, 'here');
    relay?.send(event);
  });

  return {
    io,
    customers,
    agents: agentsNs,
    recheckAgentSockets: () => recheckAgentSockets(),
    deliverToCustomer: async (contactId, message) => {
      try {
        // The widget acknowledges each message:new; an ack from any of the customer's tabs counts.
        const target = customers.to(room.contact(contactId)).timeout(5000) as unknown as {
          emitWithAck: (event: string, payload: unknown) => Promise<unknown[]>;
        };
        const responses = await target.emitWithAck('message:new', message);
        return responses.length > 0;
      } catch {
        // No widget confirmed in time: the message waits for the customer's resync.
        return false;
      }
    },
    close: async () => {
      clearInterval(recheckTimer);
      unsubscribe();
      await relay?.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      redis?.pub.disconnect();
      redis?.sub.disconnect();
      redis?.events.disconnect();
    },
  };
}
