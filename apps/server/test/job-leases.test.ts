import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob, type JobRow, startJobWorker } from '../src/jobs/queue.ts';
import { jobs } from '../src/jobs/schema.ts';
import { createTestKefu, type TestKefu } from './helpers/test-kefu.ts';

let kefu: TestKefu;

beforeAll(async () => {
  kefu = await createTestKefu({ startJobs: false });
});
afterAll(() => kefu.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('job leases', () => {
  it('a live node keeps a long job; a dead node’s job runs elsewhere once its lease runs out', async () => {
    const deps = { db: kefu.deps.db, logger: kefu.deps.logger, clock: kefu.deps.clock };
    const ran: { node: string; job: number; at: number }[] = [];
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handler = (node: string) => async (job: JobRow) => {
      ran.push({ node, job: job.id, at: Date.now() });
      if (job.payload.slow) await slow;
    };
    // Node A holds a job three times longer than the lease, renewing it; B polls all along.
    const a = startJobWorker(deps, { 'test.lease': handler('a') }, { pollMs: 50, leaseMs: 600 });
    await enqueueJob(kefu.deps.db, { queue: 'test.lease', payload: { slow: true } });
    a.kick();
    for (let i = 0; i < 100 && ran.length === 0; i++) await sleep(20);
    expect(ran.map((r) => r.node)).toEqual(['a']);
    const b = startJobWorker(deps, { 'test.lease': handler('b') }, { pollMs: 50, leaseMs: 600 });
    await sleep(1800);
    expect(ran.map((r) => r.node)).toEqual(['a']);
    release();
    await a.stop();
    await sleep(200);
    expect(ran.map((r) => r.node)).toEqual(['a']);

    // A node that claims a job and dies (no heartbeat, never finishes): B runs it after the lease.
    // (Due in an hour, so that B cannot claim it before the dead node's claim is written.)
    await enqueueJob(kefu.deps.db, {
      queue: 'test.lease',
      payload: { slow: true },
      runAt: new Date(Date.now() + 3_600_000),
    });
    const [pending] = await kefu.deps.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.queue, 'test.lease'), eq(jobs.status, 'pending')))
      .limit(1);
    const claimedAt = Date.now();
    await kefu.deps.db
      .update(jobs)
      .set({ status: 'running', attempts: 1, lockedUntil: new Date(claimedAt + 600) })
      .where(eq(jobs.id, pending?.id ?? 0));
    for (let i = 0; i < 60 && !ran.some((r) => r.job === pending?.id); i++) await sleep(50);
    const rerun = ran.find((r) => r.job === pending?.id);
    expect(rerun?.node).toBe('b');
    expect((rerun?.at ?? 0) - claimedAt).toBeGreaterThanOrEqual(550);
    await b.stop();
    const [done] = await kefu.deps.db
      .select()
      .from(jobs)
      .where(eq(jobs.id, pending?.id ?? 0));
    expect(done?.status).toBe('done');
  });
});

describe('keyed jobs', () => {
  it('a keyed job that fails while a newer one with its key waits gives way to it; the rest of the batch runs', async () => {
    const deps = { db: kefu.deps.db, logger: kefu.deps.logger, clock: kefu.deps.clock };
    const ran: string[] = [];
    const worker = startJobWorker(
      deps,
      {
        'test.keyed': async (job) => {
          ran.push(`keyed ${String(job.payload.round)}`);
          if (job.payload.round === 1) {
            // Something new arrived while this run worked (as a customer line schedules
            // routing again), then this run failed.
            await enqueueJob(kefu.deps.db, {
              queue: 'test.keyed',
              payload: { round: 2 },
              singletonKey: 'test.keyed',
            });
            throw new Error('the routing run failed');
          }
        },
        'test.other': async () => {
          ran.push('other');
        },
      },
      { autoStart: false },
    );
    await enqueueJob(kefu.deps.db, {
      queue: 'test.keyed',
      payload: { round: 1 },
      singletonKey: 'test.keyed',
    });
    await enqueueJob(kefu.deps.db, { queue: 'test.other' });
    await worker.drain();
    await worker.drain();
    expect(ran).toEqual(['keyed 1', 'other', 'keyed 2']);
    const rows = await kefu.deps.db
      .select({ status: jobs.status, payload: jobs.payload, lastError: jobs.lastError })
      .from(jobs)
      .where(inArray(jobs.queue, ['test.keyed', 'test.other']))
      .orderBy(asc(jobs.id));
    expect(rows.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    expect(rows[0]?.lastError).toMatch(/superseded by a newer job after: the routing run failed/);
  });
});
