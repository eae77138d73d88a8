import type { Assistant } from './assistant/assistant.ts';
import type { Config } from './config.ts';
import type { Db } from './db/client.ts';
import type { KnowledgeIndex } from './knowledge/search-index.ts';
import type { Clock } from './lib/clock.ts';
import type { Publish } from './lib/events.ts';
import type { IpThrottle } from './lib/ip-throttle.ts';
import type { Logger } from './lib/logger.ts';
import type { MailTransport } from './mail/transport.ts';

/** What every use case may be given. Passed in, never imported, so tests hand in real parts. */
export type Deps = {
  db: Db;
  logger: Logger;
  clock: Clock;
  config: Config;
  /** Called after commit with what changed; never inside a transaction. */
  publish: Publish;
  /** Wakes the job worker after a commit that enqueued a job. */
  kickJobs: () => void;
  /** This node's knowledge-base search index. */
  kb: KnowledgeIndex;
  /** The node's assistant (absent in one-off commands). */
  assistant?: Assistant;
  /** Outgoing mail; used only by the `mail.send` job (others enqueue with queueMail). */
  mail?: MailTransport;
  /** New widget conversations per address (KEFU_RATE_LIMIT_NEW_CONVERSATIONS); absent in commands. */
  newConversationThrottle?: IpThrottle;
};

/** Who acts, and from where: written to the audit log. */
export type Actor = {
  type: 'agent' | 'contact' | 'system' | 'anonymous';
  id: string | null;
  ip?: string | null;
  userAgent?: string | null;
};

export const systemActor: Actor = { type: 'system', id: null };
