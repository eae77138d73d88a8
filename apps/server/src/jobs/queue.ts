import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { isDatabaseUnavailable } from '../lib/database-unavailable.ts';
import { jobs } from './schema.ts';

/**
 * What a job's failure is recorded as: the database's own message for a failed query (the
 * query wrapper's message repeats the statement and its parameters, customer text included).
 */
function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message.startsWith('Failed query') && error.cause instanceof Error)
    return error.cause.message;
  return error.message;
}

export type JobInput = {
  queue: string;
  payload?: Record<string, unknown>;
  runAt?: Date;
  maxAttempts?: number;
  /** Replaces the pending job with the same key (e.g. rescheduling an SLA timer). */
  singletonKey?: string;
};

/** Adds a job; pass the caller's transaction so the job exists exactly when the change commits. */
export async function enqueueJob(db: DbOrTx, input: JobInput): Promise<void> {
  const values = {
    queue: input.queue,
    payload: input.payload ?? {},
    // No runAt: due at once, whatever clock the worker runs on.
    runAt: input.runAt ?? new Date(0),
    maxAttempts: input.maxAttempts ?? 10,
    singletonKey: input.singletonKey ?? null,
  };
  if (!input.singletonKey) {
    await db.insert(jobs).values(values);
    return;
  }
  await db
    .insert(jobs)
    .values(values)
    .onConflictDoUpdate({
      target: jobs.singletonKey,
      targetWhere: sql`${jobs.singletonKey} is not null and ${jobs.status} = 'pending'`,
      set: { payload: values.payload, runAt: values.runAt, attempts: 0, lastError: null },
    });
}

/** Cancels the pending job with this key, if any. */
export async function cancelJob(db: DbOrTx, singletonKey: string): Promise<void> {
  await db.delete(jobs).where(and(eq(jobs.singletonKey, singletonKey), eq(jobs.status, 'pending')));
}

export type JobRow = typeof jobs.$inferSelect;
export type JobHandler = (job: JobRow) => Promise<void>;

export type JobWorker = {
  /** Look for due jobs now (after a commit that enqueued one) instead of at the next poll. */
  kick: () => void;
  stop: () => Promise<void>;
  /** Runs every due job once; for tests and the CLI. Returns how many ran. */
  drain: () => Promise<number>;
};

/**
 * A claimed job's lease. The worker renews the leases of the jobs it holds every third of it,
 * so a job of a node that died is run elsewhere within this time, while a long job (a slow mail
 * server) is not taken from a live node. A job held longer than MAX_HOLD_MS is no longer renewed.
 */
const LEASE_MS = 15_000;
const MAX_HOLD_MS = 15 * 60_000;

function backoffMs(attempts: number): number {
  return Math.min(2 ** attempts * 1000, 10 * 60_000);
}

/**
 * Polls the jobs table and runs handlers. A job is claimed with FOR UPDATE SKIP LOCKED and a
 * lease; a node that dies mid-job leaves the lease to expire and another node (or the same one
 * after restart) runs it again, so handlers must be idempotent.
 */
export function startJobWorker(
  deps: Pick<Deps, 'db' | 'logger' | 'clock'>,
  handlers: Record<string, JobHandler>,
  options: { pollMs?: number; batch?: number; autoStart?: boolean; leaseMs?: number } = {},
): JobWorker {
  const leaseMs = options.leaseMs ?? LEASE_MS;
  const pollMs = options.pollMs ?? 500;
  const batch = options.batch ?? 20;
  const queues = Object.keys(handlers);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  /** Jobs this worker has claimed and not finished, with when it claimed them. */
  const held = new Map<number, number>();
  let heartbeat: NodeJS.Timeout | undefined;

  async function renewLeases(): Promise<void> {
    const since = Date.now() - MAX_HOLD_MS;
    const ids = [...held].filter(([, at]) => at > since).map(([id]) => id);
    if (ids.length === 0) return;
    const until = new Date(deps.clock.now().getTime() + leaseMs);
    await deps.db
      .update(jobs)
      .set({ lockedUntil: until })
      .where(and(inArray(jobs.id, ids), eq(jobs.status, 'running')));
  }

  async function claim(): Promise<JobRow[]> {
    if (queues.length === 0) return [];
    const now = deps.clock.now();
    const queueList = sql.join(
      queues.map((q) => sql`${q}`),
      sql`, `,
    );
    const result = (await deps.db.execute(sql`
      update jobs set status = 'running', attempts = attempts + 1,
        locked_until = ${new Date(now.getTime() + leaseMs)}
      where id in (
        select id from jobs
        where queue in (${queueList})
          and ((status = 'pending' and run_at <= ${now}) or (status = 'running' and locked_until < ${now}))
        order by run_at, id
        limit ${batch}
        for update skip locked
      )
      returning id, queue, payload, status, run_at as "runAt", locked_until as "lockedUntil", attempts,
        max_attempts as "maxAttempts", last_error as "lastError", singleton_key as "singletonKey",
        created_at as "createdAt", finished_at as "finishedAt"`)) as unknown as { rows: JobRow[] };
    // PostgreSQL's driver returns a bigint as a string, PGlite as a number. An update returns
    // its rows in no set order: the batch runs in the order it was picked, due time then id.
    const claimed = result.rows
      .map((job) => ({ ...job, id: Number(job.id), runAt: new Date(job.runAt) }))
      .sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
    for (const job of claimed) held.set(job.id, Date.now());
    return claimed;
  }

  async function runOne(job: JobRow): Promise<void> {
    try {
      await runHandler(job);
    } finally {
      held.delete(job.id);
    }
  }

  async function runHandler(job: JobRow): Promise<void> {
    const handler = handlers[job.queue];
    try {
      if (!handler) throw new Error(`no handler for ${job.queue}`);
      await handler(job);
      await deps.db
        .update(jobs)
        .set({ status: 'done', finishedAt: deps.clock.now(), lockedUntil: null })
        .where(eq(jobs.id, job.id));
    } catch (error) {
      const message = errorMessage(error);
      const failed = job.attempts >= job.maxAttempts;
      // A keyed job (one routing run, one SLA timer per conversation) that fails while a newer
      // one with its key waits is replaced by it: only one may be pending, and the newer one
      // does the same work with fresher input.
      const superseded = !failed && job.singletonKey !== null && (await pendingWithKey(job));
      deps.logger.warn(
        { jobId: job.id, queue: job.queue, attempts: job.attempts, err: message },
        failed
          ? 'job failed'
          : superseded
            ? 'job failed; a newer one takes over'
            : 'job will retry',
      );
      await deps.db
        .update(jobs)
        .set({
          status: failed ? 'failed' : superseded ? 'done' : 'pending',
          lastError: (superseded ? `superseded by a newer job after: ${message}` : message).slice(
            0,
            1000,
          ),
          lockedUntil: null,
          runAt: new Date(deps.clock.now().getTime() + backoffMs(job.attempts)),
          ...(failed || superseded ? { finishedAt: deps.clock.now() } : {}),
        })
        .where(eq(jobs.id, job.id));
    }
  }

  async function pendingWithKey(job: JobRow): Promise<boolean> {
    const [other] = await deps.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        and(
          eq(jobs.singletonKey, job.singletonKey as string),
          eq(jobs.status, 'pending'),
          ne(jobs.id, job.id),
        ),
      )
      .limit(1);
    return other !== undefined;
  }

  async function tick(): Promise<number> {
    let total = 0;
    for (;;) {
      const claimed = await claim();
      try {
        for (const job of claimed) {
          try {
            await runOne(job);
          } catch (error) {
            // The database went away: the poll stops here (the rest of the batch is claimed
            // again once its leases run out). Any other failure to record a job's state leaves
            // that job to its lease, and the rest of the batch goes on.
            if (isDatabaseUnavailable(error)) throw error;
            deps.logger.warn(
              { jobId: job.id, queue: job.queue, err: errorMessage(error) },
              'job state not recorded',
            );
          }
        }
      } finally {
        // Jobs left unrun when a poll fails (the database went away) are no longer renewed:
        // their leases run out and they are claimed again.
        for (const job of claimed) held.delete(job.id);
      }
      total += claimed.length;
      if (claimed.length < batch) break;
    }
    return total;
  }

  function schedule(delay: number) {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void loop(), delay);
    timer.unref?.();
  }

  async function loop(): Promise<void> {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = tick().catch((error: unknown) => {
      deps.logger.warn({ err: errorMessage(error) }, 'job poll failed');
      return 0;
    });
    await running;
    running = undefined;
    if (again) {
      again = false;
      schedule(0);
    } else schedule(pollMs);
  }

  if (options.autoStart !== false) {
    schedule(0);
    heartbeat = setInterval(() => {
      renewLeases().catch((error: unknown) =>
        deps.logger.warn({ err: errorMessage(error) }, 'job leases not renewed'),
      );
    }, leaseMs / 3);
    heartbeat.unref?.();
  }

  return {
    kick: () => schedule(0),
    drain: async () => {
      while (running) await running;
      return tick();
    },
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      clearInterval(heartbeat);
      while (running) await running;
    },
  };
}
