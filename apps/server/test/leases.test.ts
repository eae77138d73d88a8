import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdLease, newLeaseHolder, releaseLease } from '../src/jobs/lease.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-kefu.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.database.migrate();
});

afterAll(async () => {
  await db?.drop();
});

describe('leases: one holder at a time across nodes', () => {
  it('refuses a second holder, lets the holder renew, and passes on when it expires', async () => {
    const nodeA = newLeaseHolder();
    const nodeB = newLeaseHolder();
    const name = `imap:${nodeA}`;
    const { db: sqlDb } = db.database;
    expect(await holdLease(sqlDb, name, nodeA, 800)).toBe(true);
    expect(await holdLease(sqlDb, name, nodeB, 800)).toBe(false);
    expect(await holdLease(sqlDb, name, nodeA, 800)).toBe(true);
    // Node A dies without a word: its lease runs out and node B gets it.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await holdLease(sqlDb, name, nodeB, 60_000)).toBe(true);
    expect(await holdLease(sqlDb, name, nodeA, 60_000)).toBe(false);
    // A clean stop hands over at once.
    await releaseLease(sqlDb, name, nodeB);
    expect(await holdLease(sqlDb, name, nodeA, 60_000)).toBe(true);
  });

  it('of many nodes asking at once, exactly one gets the lease', async () => {
    const name = `telegram:${newLeaseHolder()}`;
    const holders = Array.from({ length: 6 }, () => newLeaseHolder());
    const results = await Promise.all(
      holders.map((h) => holdLease(db.database.db, name, h, 60_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
