import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import type { Clock } from './lib/clock.ts';
import type { Logger } from './lib/logger.ts';

/** What every use case may be given. Passed in, never imported, so tests hand in real parts. */
export type Deps = {
  db: Db;
  logger: Logger;
  clock: Clock;
  config: Config;
};

/** Who acts, and from where: written to the audit log. */
export type Actor = {
  type: 'agent' | 'contact' | 'system' | 'anonymous';
  id: string | null;
  ip?: string | null;
  userAgent?: string | null;
};

export const systemActor: Actor = { type: 'system', id: null };
