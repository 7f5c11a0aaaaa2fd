import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.js';
import { fromServer, poolOf } from '../../src/storage/pg-transaction.js';
import { prepared, sql } from '../../src/storage/sql.js';
import { freshDatabasePerTest } from '../support/fresh-database.js';
import { postgresAvailable } from '../support/services.js';

/**
 * pg-transaction.ts reaches into node-pg (8.23) below its public API to send BEGIN with a
 * transaction's first statement, and falls back to a separate BEGIN when what it looks for is not
 * there. An upgrade of node-pg that renames or moves any of it would pass every other test, only
 * slower (a round trip more per transaction), or hand back wrong results. This test names each
 * assumption and fails on the one that no longer holds.
 */
interface Internals {
  constructor: { Query?: unknown; name: string };
  connection?: {
    parsedStatements?: Record<string, string>;
    stream?: { cork?: unknown; uncork?: unknown };
    parse?: unknown;
    bind?: unknown;
    execute?: unknown;
    on(event: 'readyForQuery', listener: () => void): unknown;
    removeListener(event: 'readyForQuery', listener: () => void): unknown;
  };
}

describe.skipIf(!postgresAvailable)('the node-pg internals pg-transaction.ts relies on', () => {
  const fresh = freshDatabasePerTest();

  async function open(): Promise<Database> {
    const { db } = await fresh.open('postgres');
    await db.run((m) => sql(m, 'postgres', 'CREATE TABLE t (id int PRIMARY KEY)'));
    return db;
  }

  /** A client of the pool TypeORM made, as pg-transaction.ts gets one. */
  async function withClient<T>(
    db: Database,
    fn: (client: Internals & pg.PoolClient) => Promise<T>,
  ): Promise<T> {
    const pool = poolOf(db.dataSource);
    expect(pool, "TypeORM's driver keeps node-pg's Pool as `master`").toBeDefined();
    const client = (await pool!.connect()) as unknown as Internals & pg.PoolClient;
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }

  it("the pool's clients are node-pg's Client (with the connection timeout), its Query class on the constructor, with submit and handleCommandComplete", async () => {
    const db = await open();
    await withClient(db, async (client) => {
      expect(client).toBeInstanceOf(pg.Client);
      // pg-pool takes the `Client` option (pg-timeouts.ts).
      expect(client.constructor.name).toBe('TimedClient');
      expect(client.constructor.Query).toBe(pg.Query);
      const proto = (pg.Query as unknown as { prototype: Record<string, unknown> }).prototype;
      expect(typeof proto.submit).toBe('function');
      expect(typeof proto.handleCommandComplete).toBe('function');
    });
  });

  it("the client's connection writes parse, bind and execute on a corkable stream, and records each parsed statement's name with its text", async () => {
    const db = await open();
    // Named from its third use on (sql.ts); run a few times so this connection has parsed it.
    const text = 'SELECT count(*) AS n FROM t WHERE id > ?';
    for (let i = 0; i < 4; i++) prepared(text);
    const statement = prepared(text);
    expect(statement.name).toMatch(/^s[0-9a-f]{20}$/);
    await withClient(db, async (client) => {
      const connection = client.connection;
      expect(connection).toBeDefined();
      for (const method of ['parse', 'bind', 'execute'] as const)
        expect(typeof connection?.[method], `connection.${method}`).toBe('function');
      expect(typeof connection?.stream?.cork).toBe('function');
      expect(typeof connection?.stream?.uncork).toBe('function');
      expect(typeof connection?.parsedStatements).toBe('object');
      expect(connection?.parsedStatements?.[statement.name!]).toBeUndefined();
      await client.query({ text: statement.text, name: statement.name!, values: [0] });
      expect(connection?.parsedStatements?.[statement.name!]).toBe(statement.text);
    });
  });

  it('a transaction costs one round trip per statement: BEGIN travels with the first (unnamed, or named and parsed on the connection), then COMMIT', async () => {
    const db = await open();
    const pool = poolOf(db.dataSource) as unknown as pg.Pool;
    const named = 'INSERT INTO t (id) VALUES (?) ON CONFLICT DO NOTHING RETURNING id';
    for (let i = 0; i < 3; i++) prepared(named);
    const name = prepared(named).name!;
    let roundTrips = 0;
    let parsedBefore = false;
    const count = () => roundTrips++;
    const watched: Internals[] = [];
    const watch = (client: pg.PoolClient) => {
      const internals = client as unknown as Internals;
      parsedBefore = internals.connection?.parsedStatements?.[name] !== undefined;
      if (watched.includes(internals)) return;
      watched.push(internals);
      internals.connection?.on('readyForQuery', count);
    };
    pool.on('acquire', watch);
    const trips = async (text: string, id: number) => {
      roundTrips = 0;
      await db.transaction((m) => sql(m, 'postgres', text, [id]));
      return { roundTrips, parsedBefore };
    };
    try {
      // A text seen for the first time goes unnamed. With a separate BEGIN each of these is 3.
      for (let id = 1; id <= 3; id++)
        expect(await trips(`INSERT INTO t (id) VALUES (?) RETURNING id, ${id} AS first_${id}`, id)).toEqual({
          roundTrips: 2,
          parsedBefore: false,
        });
      // A named text: on a connection that has not parsed it yet, BEGIN goes alone (3); from then on, 2.
      const seen = [];
      for (let id = 10; id < 16; id++) seen.push(await trips(named, id));
      const parsed = seen.filter((s) => s.parsedBefore);
      expect(parsed.length).toBeGreaterThanOrEqual(3);
      expect(parsed.map((s) => s.roundTrips)).toEqual(parsed.map(() => 2));
      expect(seen.filter((s) => !s.parsedBefore).map((s) => s.roundTrips)).toEqual(
        seen.filter((s) => !s.parsedBefore).map(() => 3),
      );
    } finally {
      pool.removeListener('acquire', watch);
      for (const client of watched) client.connection?.removeListener('readyForQuery', count);
    }
  });

  it("PostgreSQL's own errors carry a severity (the connection stays in the pool); a lost connection's do not", async () => {
    const db = await open();
    await withClient(db, async (client) => {
      const duplicate = await client
        .query('INSERT INTO t (id) VALUES (1), (1)')
        .catch((error: unknown) => error);
      expect(duplicate).toBeInstanceOf(pg.DatabaseError);
      expect((duplicate as { severity?: unknown }).severity).toBe('ERROR');
      expect(fromServer(duplicate)).toBe(true);
    });
    expect(fromServer(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});
