import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { cancelJob, enqueueJob, type JobRow } from '../jobs/queue.ts';
import { announcements } from './schema.ts';

/** Pushes the current announcements to open widgets when one starts or ends on its own. */
export const ANNOUNCEMENT_BOUNDARY_QUEUE = 'announcements.boundary';

type AnnouncementRow = typeof announcements.$inferSelect;
type Edge = 'start' | 'end';

const EDGES: readonly Edge[] = ['start', 'end'];
const timeOf = (row: AnnouncementRow, edge: Edge) => (edge === 'start' ? row.startsAt : row.endsAt);
const keyOf = (id: string, edge: Edge) => `announcement.${edge}:${id}`;

/**
 * Schedules a durable push at the announcement's start and end while they are still ahead, and
 * cancels the ones that are not (resolved, moved into the past, end removed). Called in the
 * transaction that writes the announcement, so the timers change exactly when it commits.
 */
export async function scheduleAnnouncementBoundaries(
  tx: DbOrTx,
  row: AnnouncementRow,
  now: Date,
): Promise<void> {
  for (const edge of EDGES) {
    const at = timeOf(row, edge);
    const key = keyOf(row.id, edge);
    if (row.resolvedAt || !at || at <= now) {
      await cancelJob(tx, key);
      continue;
    }
    await enqueueJob(tx, {
      queue: ANNOUNCEMENT_BOUNDARY_QUEUE,
      payload: { announcementId: row.id, edge, at: at.toISOString() },
      runAt: at,
      singletonKey: key,
    });
  }
}

/**
 * Makes sure every unresolved announcement with a start or end ahead has its timers: the ones
 * written before timers existed, or restored from a backup. Safe on every node at every start.
 */
export async function scheduleUpcomingAnnouncements(
  deps: Pick<Deps, 'db' | 'clock'>,
): Promise<number> {
  const now = deps.clock.now();
  // Read under lock in the transaction that writes the timers: an edit committing meanwhile is
  // either waited for (and its times read) or waits, so its own timers are not overwritten.
  return deps.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(announcements)
      .where(
        and(
          isNull(announcements.resolvedAt),
          or(gt(announcements.startsAt, now), gt(announcements.endsAt, now)),
        ),
      )
      .for('update');
    for (const row of rows) await scheduleAnnouncementBoundaries(tx, row, now);
    return rows.length;
  });
}

/**
 * The timer of one start or end. It pushes only when the announcement still starts or ends at
 * that time and is not resolved; a timer outrun by an edit or a resolve does nothing (the write
 * already pushed, and scheduled its own timers).
 */
export async function runAnnouncementBoundary(
  deps: Pick<Deps, 'db' | 'publish'>,
  job: Pick<JobRow, 'payload'>,
): Promise<boolean> {
  const id = job.payload.announcementId;
  const edge = job.payload.edge;
  const at = new Date(String(job.payload.at));
  if (typeof id !== 'string' || (edge !== 'start' && edge !== 'end')) return false;
  const [row] = await deps.db.select().from(announcements).where(eq(announcements.id, id));
  if (!row || row.resolvedAt || timeOf(row, edge)?.getTime() !== at.getTime()) return false;
  deps.publish({ type: 'announcements.changed' });
  return true;
}
