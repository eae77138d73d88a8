import { sql } from 'drizzle-orm';
import type { Db } from '../../src/db/client.ts';

/**
 * A fault injected in the real database: rows written to `table` for which `when` holds (SQL
 * over NEW and OLD) are refused with `message` (and `errcode`, a PostgreSQL condition name),
 * until the returned function is called. Works the same on PGlite and PostgreSQL.
 */
export async function refuseWrites(
  db: Db,
  fault: {
    table: string;
    on: 'insert' | 'update';
    when: string;
    message: string;
    errcode?: string;
  },
): Promise<() => Promise<void>> {
  const name = `kefu_test_fault_${fault.table}_${fault.on}`;
  const using = fault.errcode ? ` using errcode = '${fault.errcode}'` : '';
  await db.execute(
    sql.raw(`create function ${name}() returns trigger language plpgsql as $$
      begin
        if ${fault.when} then raise exception '${fault.message}'${using}; end if;
        return new;
      end $$`),
  );
  await db.execute(
    sql.raw(`create trigger ${name} before ${fault.on} on ${fault.table}
      for each row execute function ${name}()`),
  );
  return async () => {
    await db.execute(sql.raw(`drop trigger ${name} on ${fault.table}`));
    await db.execute(sql.raw(`drop function ${name}()`));
  };
}
