import type { DbOrTx } from '../db/client.ts';
import { enqueueJob } from '../jobs/queue.ts';

/**
 * The queue of routing runs. A run looks at every waiting conversation and every agent, so one
 * pending run answers any number of changes that asked for one: it has a single key, and a burst
 * of customer lines or agents coming online queues one run, not one each.
 */
export const ROUTING_QUEUE = 'routing.assign';

/** Asks for a routing run once the caller's transaction commits. */
export function scheduleRouting(tx: DbOrTx): Promise<void> {
  return enqueueJob(tx, { queue: ROUTING_QUEUE, singletonKey: ROUTING_QUEUE });
}
