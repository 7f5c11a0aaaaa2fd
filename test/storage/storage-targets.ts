/**
 * The databases a repository contract runs against. Each suite gets a fresh database of its own:
 * a SQLite file, a schema in the test database, and a database of its own that looks like a Dutch
 * municipality's server (Dutch ICU collation, Europe/Amsterdam session zone), where ordering of
 * text and the handling of instants must come out exactly as on the other two.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Repositories, UnitOfWork } from '../../src/ports/unit-of-work.js';
import { Database } from '../../src/storage/database.js';
import type { DatabaseTarget } from '../../src/storage/database-url.js';
import { createUnitOfWork } from '../../src/storage/unit-of-work.js';
import { freshDatabasePerTest } from '../support/fresh-database.js';
import { freshTarget, POSTGRES_URL, postgresAvailable } from '../support/services.js';

/** A store opened for one suite: up to `count` connections (pools on PostgreSQL) on one database. */
export interface OpenStore {
  kind: 'sqlite' | 'postgres';
  /** The first connection's unit of work. */
  uow: UnitOfWork;
  /** Every connection's unit of work; separate PostgreSQL pools compete for real. */
  uows: UnitOfWork[];
  /** The databases behind `uows`, in the same order: for raw SQL a repository does not offer. */
  databases: Database[];
  close(): Promise<void>;
}

export interface StorageTarget {
  name: string;
  /** Why the target is skipped here, or null when it runs. */
  skip: string | null;
  open(connections?: number): Promise<OpenStore>;
}

const NL_COLLATION = 'nl-NL';

/** Whether this PostgreSQL can make a database with a Dutch ICU collation; null when it can. */
async function dutchServerUnavailable(): Promise<string | null> {
  if (!postgresAvailable) return 'PostgreSQL is not available';
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  try {
    await client.connect();
    const { rows } = await client.query<{ icu: boolean; create: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_collation WHERE collname = $1) AS icu,
              (SELECT rolsuper OR rolcreatedb FROM pg_roles WHERE rolname = current_user) AS create`,
      [`${NL_COLLATION}-x-icu`],
    );
    if (!rows[0]?.icu) return 'this PostgreSQL has no ICU collations';
    if (!rows[0]?.create) return 'the test user may not create databases';
    return null;
  } catch (error) {
    return `PostgreSQL refused: ${String(error)}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const dutchSkip = await dutchServerUnavailable();
if (dutchSkip && postgresAvailable) {
  console.warn(`[skip] repository contracts on a Dutch-collation PostgreSQL database: ${dutchSkip}`);
}

async function openMany(
  target: DatabaseTarget,
  kind: 'sqlite' | 'postgres',
  count: number,
  cleanup: () => Promise<void>,
): Promise<OpenStore> {
  const dbs: Database[] = [];
  try {
    // One after the other: the first runs the migrations, the rest find them done.
    for (let i = 0; i < count; i++) dbs.push(await Database.open(target));
  } catch (error) {
    await Promise.all(dbs.map((db) => db.close()));
    await cleanup();
    throw error;
  }
  const uows = dbs.map(createUnitOfWork);
  return {
    kind,
    uow: uows[0]!,
    uows,
    databases: dbs,
    async close() {
      await Promise.all(dbs.map((db) => db.close()));
      await cleanup();
    },
  };
}

/** A fresh database of its own with a Dutch default collation and Europe/Amsterdam as its zone. */
async function dutchDatabase(): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  const name = `t_nl_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(
    `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'
       LOCALE_PROVIDER icu ICU_LOCALE '${NL_COLLATION}'`,
  );
  await admin(`ALTER DATABASE ${name} SET timezone TO 'Europe/Amsterdam'`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    target: { kind: 'postgres', url: url.toString() },
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** SQLite, PostgreSQL, and PostgreSQL set up as a Dutch server. */
export const storageTargets: StorageTarget[] = [
  {
    name: 'SQLite',
    skip: null,
    // One connection, as each process has: better-sqlite3 waits for a busy file synchronously, so
    // two connections in one process would block each other's thread. Racing callers then queue on
    // the connection's transactions; races between processes are in test/storage/migrate-race.test.ts
    // and the queue contract.
    open: async () => {
      const fresh = await freshTarget('sqlite');
      return openMany(fresh.target, 'sqlite', 1, fresh.cleanup);
    },
  },
  {
    name: 'PostgreSQL',
    skip: postgresAvailable ? null : 'PostgreSQL is not available (see the README, Tests)',
    open: async (count = 1) => {
      const fresh = await freshTarget('postgres');
      return openMany(fresh.target, 'postgres', count, fresh.cleanup);
    },
  },
  {
    name: 'PostgreSQL with a Dutch collation and zone',
    skip: dutchSkip,
    open: async (count = 1) => {
      const fresh = await dutchDatabase();
      return openMany(fresh.target, 'postgres', count, fresh.drop);
    },
  },
];

/** The store a contract suite's tests use: the suite's own database, opened before its first test. */
export interface SuiteStore {
  readonly kind: 'sqlite' | 'postgres';
  readonly uow: UnitOfWork;
  readonly uows: UnitOfWork[];
  /** The databases behind `uows`, in the same order. */
  readonly databases: Database[];
  /** One unit of work on the first connection. */
  run<T>(fn: (r: Repositories) => Promise<T>): Promise<T>;
}

/**
 * One contract suite per database target: `describe('<subject> contract on <target>')`, skipped (and
 * saying why) where the target is not available, with a fresh database of `connections` connections
 * opened before the suite and closed after it.
 */
export function describeContract(subject: string, body: (store: SuiteStore) => void, connections = 3): void {
  for (const target of storageTargets) {
    describe.skipIf(target.skip !== null)(
      `${subject} contract on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
      () => {
        let open: OpenStore | undefined;
        const current = (): OpenStore => {
          if (!open) throw new Error('the suite store is used before the suite opened it');
          return open;
        };
        beforeAll(async () => {
          open = await target.open(connections);
        });
        afterAll(() => open?.close());
        body({
          get kind() {
            return current().kind;
          },
          get uow() {
            return current().uow;
          },
          get uows() {
            return current().uows;
          },
          get databases() {
            return current().databases;
          },
          run: (fn) => current().uow.run(fn),
        });
      },
    );
  }
}

/**
 * For suites that want a fresh database per test: returns `uowFor(kind)`, which opens a database of
 * its own on `kind` and gives its unit of work; every database opened in a test is closed and dropped
 * after that test.
 */
export function freshUnitOfWorkPerTest(): (kind: 'sqlite' | 'postgres') => Promise<UnitOfWork> {
  const databases = freshDatabasePerTest();
  return async (kind) => createUnitOfWork((await databases.open(kind)).db);
}

/** Runs `fn` with `process.env.TZ` set to `zone` (Node applies a changed TZ at once), then restores it. */
export async function inZone<T>(zone: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env.TZ;
  process.env.TZ = zone;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

/** Counts how many of `promises` settle fulfilled; rejections are collected, not thrown. */
export async function settle<T>(promises: Promise<T>[]): Promise<{ values: T[]; errors: string[] }> {
  const settled = await Promise.allSettled(promises);
  return {
    values: settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])),
    errors: settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : [])),
  };
}

/**
 * PostgreSQL: the backends that `pid` blocks (waiting for its locks), polled until one shows up or
 * `until` settles (then empty). Lets a test wait for the moment two transactions meet, not a time.
 */
export async function blockedBy(db: Database, pid: number, until: Promise<unknown>): Promise<number[]> {
  let settled = false;
  until.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    const rows = await db.run((m) =>
      m.query<{ pid: number }[]>('SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [
        pid,
      ]),
    );
    if (rows.length > 0) return rows.map((r) => r.pid);
    await sleep(10);
  }
  return [];
}
