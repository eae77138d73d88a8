import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DomainEvent } from '../lib/events.ts';
import type { Logger } from '../lib/logger.ts';

export const EVENT_RELAY_CHANNEL = 'kefu:domain-events';
/** How long a starting node waits for its subscription before serving without it. */
const SUBSCRIBE_WAIT_MS = 3000;

export type EventRelay = {
  /** Queues an event for the other nodes; it leaves with the others sent before it runs. */
  send: (event: DomainEvent) => void;
  /** Sends what is queued, then stops listening. */
  close: () => Promise<void>;
};

/**
 * Domain events to the other nodes of a server-mode deployment over Redis pub/sub. Each node
 * delivers an event to its own sockets; this carries the event to the nodes that did not
 * publish it. Events published together (a committed batch of customer lines publishes one
 * per line) leave as one Redis message, where the Socket.IO adapter would publish
 * once per emit: at a few thousand lines a second those publishes were a quarter of the
 * node's CPU. The batch leaves in a microtask queued at its first event, so it is written to
 * Redis before the acknowledgements of the lines that caused it (those come later in the same
 * chain of microtasks): a node killed right after acking a line has already sent its event to
 * the others. Delivery is otherwise best effort, as with the adapter: a client that missed an
 * event while Redis was away catches up when it resyncs.
 */
export async function startEventRelay(options: {
  pub: Redis;
  sub: Redis;
  logger: Logger;
  onEvent: (event: DomainEvent) => void;
}): Promise<EventRelay> {
  const { pub, sub, logger } = options;
  const nodeId = randomUUID();
  const prefix = `${nodeId} `;
  let pending: DomainEvent[] = [];
  let scheduled = false;

  const flush = async () => {
    scheduled = false;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    await pub
      .publish(EVENT_RELAY_CHANNEL, prefix + JSON.stringify(batch))
      .catch((err: unknown) =>
        logger.warn({ err, events: batch.length }, 'domain events not relayed to other nodes'),
      );
  };

  const onMessage = (channel: string, message: string) => {
    if (channel !== EVENT_RELAY_CHANNEL || message.startsWith(prefix)) return;
    let events: DomainEvent[];
    try {
      events = JSON.parse(message.slice(message.indexOf(' ') + 1)) as DomainEvent[];
    } catch (err) {
      logger.warn({ err }, 'unreadable domain events from another node');
      return;
    }
    if (!Array.isArray(events)) return;
    for (const event of events) {
      try {
        options.onEvent(event);
      } catch (err) {
        logger.warn({ err, type: event?.type }, 'domain event from another node not delivered');
      }
    }
  };
  sub.on('message', onMessage);
  const subscribed = sub.subscribe(EVENT_RELAY_CHANNEL);
  subscribed.catch((err: unknown) => logger.warn({ err }, 'domain event relay not subscribed'));
  let waited: NodeJS.Timeout | undefined;
  const ready = await Promise.race([
    subscribed.then(
      () => true,
      () => false,
    ),
    new Promise<false>((resolve) => {
      waited = setTimeout(() => resolve(false), SUBSCRIBE_WAIT_MS);
    }),
  ]);
  clearTimeout(waited);
  if (!ready) logger.warn('domain event relay: Redis did not answer; events from other nodes wait');

  return {
    send: (event) => {
      pending.push(event);
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(() => void flush());
    },
    close: async () => {
      await flush();
      sub.off('message', onMessage);
      await sub.unsubscribe(EVENT_RELAY_CHANNEL).catch(() => {});
    },
  };
}
