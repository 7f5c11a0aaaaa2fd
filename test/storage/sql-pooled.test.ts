import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.js';
import { isUniqueViolation, sql } from '../../src/storage/sql.js';
import { QueryFailedError } from '../../src/storage/typeorm.js';
import { freshDatabasePerTest } from '../support/fresh-database.js';
import { postgresAvailable } from '../support/services.js';

// Outside a transaction sql.ts runs a PostgreSQL statement on a pooled connection itself, not
// through a TypeORM query runner; what comes back must be what TypeORM gave.
describe.skipIf(!postgresAvailable)('sql() outside a transaction on PostgreSQL', () => {
  const fresh = freshDatabasePerTest();

  async function open(): Promise<Database> {
    const { db } = await fresh.open('postgres');
    await db.run((m) => sql(m, 'postgres', 'CREATE TABLE t (id int PRIMARY KEY, v text)'));
    return db;
  }

  it('gives rows and the count of changed rows, for a named statement too, and returns the connection', async () => {
    const db = await open();
    const insert = 'INSERT INTO t (id, v) VALUES (?, ?) RETURNING id';
    for (let id = 1; id <= 4; id++) {
      const { rows, affected } = await db.run((m) => sql<{ id: number }>(m, 'postgres', insert, [id, 'a']));
      expect({ rows, affected }).toEqual({ rows: [{ id }], affected: 1 });
    }
    const updated = await db.run((m) => sql(m, 'postgres', 'UPDATE t SET v = ? WHERE id <= ?', ['b', 3]));
    expect(updated).toEqual({ rows: [], affected: 3 });
    const read = await db.run((m) =>
      sql(m, 'postgres', 'SELECT id, v FROM t WHERE v = ? ORDER BY id', ['b']),
    );
    expect(read.rows).toEqual([
      { id: 1, v: 'b' },
      { id: 2, v: 'b' },
      { id: 3, v: 'b' },
    ]);
    expect(db.poolStats()).toMatchObject({ waiting: 0 });
    expect(db.poolStats()?.idle).toBe(db.poolStats()?.total);
  });

  it('throws a statement error as TypeORM did (QueryFailedError around node-pg), and the connection stays usable', async () => {
    const db = await open();
    await db.run((m) => sql(m, 'postgres', 'INSERT INTO t (id, v) VALUES (?, ?)', [1, 'a']));
    const error: unknown = await db
      .run((m) => sql(m, 'postgres', 'INSERT INTO t (id, v) VALUES (?, ?)', [1, 'b']))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect(isUniqueViolation(error)).toBe(true);
    expect((error as { driverError?: { code?: string } }).driverError?.code).toBe('23505');
    const total = db.poolStats()?.total;
    const { rows } = await db.run((m) => sql(m, 'postgres', 'SELECT count(*)::int AS n FROM t'));
    expect(rows).toEqual([{ n: 1 }]);
    // A failed statement is no broken connection: the pool kept it.
    expect(db.poolStats()?.total).toBe(total);
  });
});
