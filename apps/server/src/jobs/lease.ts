import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';

/** A new holder name: one per node (two nodes may share a process in tests). */
export function newLeaseHolder(): string {
  return `${process.pid}-${randomUUID()}`;
}

/**
 * Takes or renews the lease `name` for `ttlMs`; true when this holder has it. One statement, so
 * two nodes asking at once cannot both win. Expiry is the database's clock, shared by all nodes.
 */
export async function holdLease(
  db: DbOrTx,
  name: string,
  holder: string,
  ttlMs: number,
): Promise<boolean> {
  const ttl = `${Math.max(1, Math.round(ttlMs))} milliseconds`;
  const result = (await db.execute(sql`
    insert into leases (name, holder, expires_at)
    values (${name}, ${holder}, now() + ${ttl}::interval)
    on conflict (name) do update
      set holder = excluded.holder, expires_at = excluded.expires_at
      where leases.holder = excluded.holder or leases.expires_at < now()
    returning holder`)) as unknown as { rows: { holder: string }[] };
  return result.rows[0]?.holder === holder;
}

/** Gives the lease up at once (a clean shutdown), so another node need not wait for expiry. */
export async function releaseLease(db: DbOrTx, name: string, holder: string): Promise<void> {
  await db.execute(sql`delete from leases where name = ${name} and holder = ${holder}`);
}
