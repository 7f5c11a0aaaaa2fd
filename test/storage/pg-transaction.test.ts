import { describe, expect, it } from 'vitest';
import type { EntityManager } from 'typeorm';
import type { Database } from '../../src/storage/database.js';
import { DatabaseUnavailableError } from '../../src/shared/errors.js';
import { isUniqueViolation, sql } from '../../src/storage/sql.js';
import { QueryFailedError } from '../../src/storage/typeorm.js';
import { freshDatabasePerTest } from '../support/fresh-database.js';
import { postgresAvailable } from '../support/services.js';

// A PostgreSQL transaction runs on a pooled node-pg client of its own (pg-transaction.ts), with its
// BEGIN sent along with the first statement; SQLite's goes through TypeORM. Both must commit, roll
// back and nest the same way.
const kinds = (['sqlite', 'postgres'] as const).filter((k) => k === 'sqlite' || postgresAvailable);

describe.each(kinds)('Database.transaction on %s', (kind) => {
  const fresh = freshDatabasePerTest();

  async function open(): Promise<Database> {
    const { db } = await fresh.open(kind);
    await db.run((m) => sql(m, kind, 'CREATE TABLE t (id int PRIMARY KEY, v text)'));
    return db;
  }
  const insert = 'INSERT INTO t (id, v) VALUES (?, ?) RETURNING id';
  const ids = async (db: Database) =>
    (await db.run((m) => sql<{ id: number }>(m, kind, 'SELECT id FROM t ORDER BY id'))).rows.map((r) =>
      Number(r.id),
    );

  it('commits every statement of the transaction and returns what fn returned', async () => {
    const db = await open();
    const result = await db.transaction(async (m) => {
      await sql(m, kind, insert, [1, 'a']);
      await sql(m, kind, insert, [2, 'b']);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await ids(db)).toEqual([1, 2]);
  });

  it('rolls back the first statement too when fn throws after it (its BEGIN went out with it)', async () => {
    const db = await open();
    const failure = new Error('after the insert');
    const thrown = await db
      .transaction(async (m) => {
        await sql(m, kind, insert, [1, 'a']);
        throw failure;
      })
      .catch((e: unknown) => e);
    expect(thrown).toBe(failure);
    expect(await ids(db)).toEqual([]);
  });

  it('throws a failed statement as a QueryFailedError with the driver code, rolls back, and the connection goes on', async () => {
    const db = await open();
    await db.transaction((m) => sql(m, kind, insert, [1, 'a']));
    // Several rounds: from the third use on, the statement is a named one parsed on the connection.
    for (let round = 0; round < 5; round++) {
      const error: unknown = await db
        .transaction(async (m) => {
          await sql(m, kind, insert, [10 + round, 'x']);
          await sql(m, kind, insert, [1, 'again']);
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueryFailedError);
      expect(isUniqueViolation(error)).toBe(true);
      if (kind === 'postgres')
        expect((error as { driverError?: { code?: string } }).driverError?.code).toBe('23505');
    }
    // The first statement failing, once named and parsed on the connection: BEGIN and it in one write.
    for (let round = 0; round < 5; round++) {
      const error = await db.transaction((m) => sql(m, kind, insert, [1, 'again'])).catch((e: unknown) => e);
      expect(isUniqueViolation(error)).toBe(true);
    }
    expect(await ids(db)).toEqual([1]);
    await db.transaction((m) => sql(m, kind, insert, [2, 'b']));
    expect(await ids(db)).toEqual([1, 2]);
    if (kind === 'postgres') expect(db.poolStats()).toMatchObject({ waiting: 0 });
  });

  it('keeps the savepoint of a nested transaction: its failure is undone alone, the outer one commits', async () => {
    const db = await open();
    await db.transaction(async (m) => {
      await sql(m, kind, insert, [1, 'outer']);
      const inner = await m
        .transaction(async (n) => {
          await sql(n, kind, insert, [2, 'inner']);
          await sql(n, kind, insert, [1, 'clash']);
        })
        .catch((e: unknown) => e);
      expect(isUniqueViolation(inner)).toBe(true);
      await m.transaction((n) => sql(n, kind, insert, [3, 'inner, kept']));
    });
    expect(await ids(db)).toEqual([1, 3]);
  });

  it("runs TypeORM's own statements in the same transaction, also when one of them comes first", async () => {
    const db = await open();
    const thrown = await db
      .transaction(async (m) => {
        await m.query(
          kind === 'postgres'
            ? 'INSERT INTO t (id, v) VALUES ($1, $2)'
            : 'INSERT INTO t (id, v) VALUES (?, ?)',
          [1, 'typeorm'],
        );
        const { rows } = await sql<{ n: number | string }>(m, kind, 'SELECT count(*) AS n FROM t');
        expect(Number(rows[0]?.n)).toBe(1);
        throw new Error('undo both');
      })
      .catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Error);
    expect(await ids(db)).toEqual([]);
  });

  // SQLite's (TypeORM's) runs a late statement on its own, outside a transaction.
  it.skipIf(kind === 'sqlite')(
    "refuses statements on a transaction's manager once it ended (its client may be in another transaction by then)",
    async () => {
      const db = await open();
      let kept: EntityManager | undefined;
      await db.transaction(async (m) => {
        kept = m;
        await sql(m, kind, insert, [1, 'in']);
      });
      const late = kept!;
      await expect(sql(late, kind, insert, [2, 'late'])).rejects.toThrow(/has ended/);
      await expect(late.query('INSERT INTO t (id, v) VALUES ($1, $2)', [3, 'late'])).rejects.toThrow(
        /has ended/,
      );
      // A late statement that ran would have left its BEGIN open on a client back in the pool.
      await db.transaction((m) => sql(m, kind, insert, [4, 'next']));
      expect(await ids(db)).toEqual([1, 4]);
    },
  );

  // SQLite's (TypeORM's) runs a late statement on its own, outside a transaction.
  it.skipIf(kind === 'sqlite')(
    'refuses the next statement of work that fn left running when it threw (it would run after the ROLLBACK)',
    async () => {
      const db = await open();
      let sibling: Promise<unknown> | undefined;
      const failure = new Error('fn gave up');
      const thrown = await db
        .transaction(async (m) => {
          sibling = (async () => {
            await sql(m, kind, 'SELECT pg_sleep(0.05)');
            await sql(m, kind, insert, [5, 'sibling']);
          })();
          sibling.catch(() => undefined);
          throw failure;
        })
        .catch((e: unknown) => e);
      expect(thrown).toBe(failure);
      await expect(sibling).rejects.toThrow(/has ended/);
      expect(await ids(db)).toEqual([]);
    },
  );

  // node-pg answers a value it cannot write (here a toPostgres that throws) with a Close of the
  // statement, a named one too, while it keeps recording that name as parsed on the connection.
  it.skipIf(kind === 'sqlite')(
    'keeps named statements usable after a parameter that node-pg could not write (the client is dropped)',
    async () => {
      const db = await open();
      const select = 'SELECT id FROM t WHERE id = ?';
      const unwritable = {
        toPostgres: () => {
          throw new Error('no value for PostgreSQL');
        },
      };
      // Named from the third use on, and parsed on the pool's connections by these rounds.
      const rounds = () =>
        Promise.all(Array.from({ length: 12 }, (_, i) => db.transaction((m) => sql(m, kind, select, [i]))));
      await rounds();
      await rounds();
      const inTransaction = await db
        .transaction((m) => sql(m, kind, select, [unwritable]))
        .catch((e: unknown) => e);
      expect(inTransaction).toBeInstanceOf(QueryFailedError);
      const alone = await db.run((m) => sql(m, kind, select, [unwritable])).catch((e: unknown) => e);
      expect(alone).toBeInstanceOf(QueryFailedError);
      for (let round = 0; round < 3; round++) {
        await rounds();
        await Promise.all(Array.from({ length: 12 }, (_, i) => db.run((m) => sql(m, kind, select, [i]))));
      }
    },
  );

  // The server ends the connection of a transaction under way (a restart does it to all of them).
  it.skipIf(kind === 'sqlite')(
    'reports a connection lost mid-transaction as the database being away, and the pool goes on without it',
    async () => {
      const db = await open();
      const end = (pid: unknown) =>
        db.run((m) => sql(m, kind, 'SELECT pg_terminate_backend(?::int)', [Number(pid)]));
      const ownPid = 'SELECT pg_backend_pid() AS pid';
      const lost = [
        // Between statements of ours.
        await db
          .transaction(async (m) => {
            await end((await sql<{ pid: unknown }>(m, kind, ownPid)).rows[0]?.pid);
            await sql(m, kind, insert, [1, 'lost']);
          })
          .catch((e: unknown) => e),
        // Through TypeORM's runner on the same client.
        await db
          .transaction(async (m) => {
            await end((await m.query<{ pid: unknown }[]>(ownPid))[0]?.pid);
            await m.query('INSERT INTO t (id, v) VALUES ($1, $2)', [2, 'lost']);
          })
          .catch((e: unknown) => e),
      ];
      for (const error of lost) expect(error).toBeInstanceOf(DatabaseUnavailableError);
      await Promise.all(
        Array.from({ length: 12 }, (_, i) => db.transaction((m) => sql(m, kind, insert, [10 + i, 'ok']))),
      );
      expect(await ids(db)).toEqual(Array.from({ length: 12 }, (_, i) => 10 + i));
      expect(db.poolStats()).toMatchObject({ waiting: 0 });
    },
  );

  it('gives the value of a transaction that ran no statement', async () => {
    const db = await open();
    expect(await db.transaction(() => Promise.resolve(42))).toBe(42);
    expect(await ids(db)).toEqual([]);
  });

  it.runIf(kind === 'postgres')(
    'leaves nothing behind on the pooled clients: committed, rolled back and TypeORM-run transactions alike',
    async () => {
      const db = await open();
      const clients = () =>
        (db.dataSource.driver as unknown as { master: { _clients: { listenerCount(e: string): number }[] } })
          .master._clients;
      const listeners = () => clients().map((c) => c.listenerCount('error'));
      await db.transaction((m) => sql(m, kind, insert, [1, 'a']));
      const before = listeners();
      for (let i = 0; i < 60; i++) {
        if (i % 3 === 0) await db.transaction((m) => sql(m, kind, insert, [100 + i, 'c']));
        else if (i % 3 === 1) await db.transaction((m) => m.query('SELECT 1'));
        else
          await db
            .transaction(async (m) => {
              await sql(m, kind, insert, [100 + i, 'r']);
              throw new Error('roll back');
            })
            .catch(() => undefined);
      }
      // Each transaction takes its 'error' listener off the client it gives back: a client that kept
      // one per transaction would hold every transaction's object (and its manager) for its life.
      expect(listeners()).toEqual(before);
      expect(db.poolStats()).toMatchObject({ waiting: 0 });
      expect(await ids(db)).toEqual([1, ...Array.from({ length: 20 }, (_, k) => 100 + 3 * k)]);
    },
  );
});
