import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import type { EntityManager, Logger, MixedList } from 'typeorm';
import { DataSource, MigrationExecutor } from './typeorm.js';
import { DatabaseUnavailableError } from '../shared/errors.js';
import type { DatabaseTarget } from './database-url.js';
import { KeyedMutex } from '../shared/keyed-mutex.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';
import { fromServer, pgTransaction, poolOf } from './pg-transaction.js';
import { isConnectionLoss, queryTimeoutOf, timedClientClass } from './pg-timeouts.js';

/**
 * Pages the SQLite WAL may hold before a commit checkpoints it (SQLite's default is 1000). Ten
 * times fewer checkpoints, each moving ten times the pages: the copying is the same, the syncs
 * (milliseconds each on a busy disk, while the process waits) a tenth. The WAL file keeps its
 * largest size, so it takes up to ~40 MB of disk (4 KB pages) instead of ~4 MB.
 */
export const WAL_CHECKPOINT_PAGES = 10_000;

/**
 * The one TypeORM connection of a process. SQLite has a single connection, so every use of it
 * (a transaction or a lone query) is serialised here; PostgreSQL uses its pool.
 */
export class Database {
  private readonly sqliteLock = new KeyedMutex();

  private constructor(
    readonly kind: 'sqlite' | 'postgres',
    readonly dataSource: DataSource,
    /** PostgreSQL: how long a statement may go unanswered (0: no limit). */
    private readonly queryTimeoutMs = 0,
  ) {}

  /**
   * Connects, and runs pending migrations unless told not to. A PostgreSQL server that does not
   * answer within `connectTimeoutMs` (a host that drops packets) fails with code ETIMEDOUT instead of
   * hanging the start; so does every later connection the pool makes. A statement not answered within
   * `queryTimeoutMs` (0, the default: no limit) fails as DatabaseUnavailableError; migrations have no
   * such limit (an index on a large table may take long), and run on a pool of their own.
   */
  static async open(
    target: DatabaseTarget,
    options: {
      migrate?: boolean;
      synchronize?: boolean;
      connectTimeoutMs?: number;
      queryTimeoutMs?: number;
      /** Called once connected, before migrating: what fails after it is not the connection's fault. */
      onConnected?: () => void;
    } = {},
  ): Promise<Database> {
    const connectMs = options.connectTimeoutMs ?? 10_000;
    const queryMs = options.queryTimeoutMs ?? 0;
    const migrate = options.migrate !== false && !options.synchronize;
    if (target.kind === 'postgres' && migrate && queryMs > 0) {
      // Migrations first, without the statement limit, on a pool of their own.
      const { onConnected } = options;
      await (
        await Database.open(target, { connectTimeoutMs: connectMs, ...(onConnected ? { onConnected } : {}) })
      ).close();
      return Database.open(target, { ...options, migrate: false, connectTimeoutMs: connectMs });
    }
    if (target.kind === 'postgres') await answersWithin(target.url, connectMs);
    const common = {
      entities: entities as MixedList<never>,
      migrations: migrations as MixedList<never>,
      migrationsTransactionMode: 'each' as const,
      synchronize: options.synchronize ?? false,
      logging: false,
      // TypeORM writes some messages (a failed migration) to stdout even with logging off; stdout
      // carries data for `chat --jsonl` and `--json`, so nothing of TypeORM's may go there.
      logger: quietLogger,
    };
    const dataSource =
      target.kind === 'sqlite'
        ? new DataSource({
            ...common,
            type: 'better-sqlite3',
            database: target.file,
            enableWAL: target.file !== ':memory:',
            timeout: 10_000,
            prepareDatabase: (db: { pragma(sql: string): unknown }) => {
              // WAL + NORMAL survives a process crash (the durability we promise), not a power cut.
              db.pragma('synchronous = NORMAL');
              // A checkpoint runs inside the commit that fills the WAL, on the one thread, and syncs the
              // file twice. At SQLite's 1000 pages that was every ~27 routed cases (each writes ~37
              // pages) and, on a busy disk, most of the time commits took; see WAL_CHECKPOINT_PAGES.
              db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
            },
          })
        : new DataSource({
            ...common,
            type: 'postgres',
            url: target.url,
            ...(target.schema ? { schema: target.schema } : {}),
            // Raw queries resolve unqualified names through search_path, so point it at the schema too.
            extra: {
              max: 10,
              Client: await timedClientClass(connectMs),
              ...(queryMs > 0 ? { query_timeout: queryMs } : {}),
              // Named statements keep their plans per connection (sql.ts); a connection renewed
              // every 5 minutes plans again with the tables' current statistics.
              maxLifetimeSeconds: 300,
              ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
            },
          });
    if (target.kind === 'sqlite') restrictSqliteFile(target.file, 'before');
    await dataSource.initialize();
    if (target.kind === 'sqlite') restrictSqliteFile(target.file, 'after');
    const db = new Database(target.kind, dataSource, queryMs);
    options.onConnected?.();
    if (migrate) await db.migrate();
    return db;
  }

  /**
   * Applies pending migrations. Two processes starting together (web and worker, or the CLI beside
   * the service) may race: the later one waits for the other's run and then finds its migrations
   * applied; on SQLite through the file's write lock (sqliteMigrations), on PostgreSQL through an
   * advisory lock (postgresMigrationLock). The retry stays for a process that takes no such lock (an
   * older version during an upgrade): on PostgreSQL each migration is one transaction, so the loser's
   * fails whole and a retry finds it applied. Returns the names of the migrations the last try applied.
   */
  async migrate(): Promise<string[]> {
    if (this.kind === 'sqlite') return this.retryingRace(() => this.exclusive(() => this.sqliteMigrations()));
    return this.postgresMigrationLock(() =>
      this.retryingRace(() => this.dataSource.runMigrations({ transaction: 'each' })),
    );
  }

  private async retryingRace(run: () => Promise<{ name: string }[]>): Promise<string[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await run()).map((m) => m.name);
      } catch (error) {
        const raced = /already exists|duplicate key|duplicate column|SQLITE_BUSY|database is locked/i.test(
          String(error),
        );
        if (!raced || attempt >= 10) throw error;
        await sleep(200 * attempt);
      }
    }
  }

  /**
   * Lists and applies the pending migrations inside one BEGIN IMMEDIATE transaction: it holds the
   * file's write lock from reading the list to the last migration, so another process's migrate
   * waits (busy timeout) and then finds them applied. TypeORM's own modes read the list before any
   * transaction; a process could then run a migration another had applied meanwhile, one that fails
   * with an error a retry cannot recognise ("no such table: main.inbound" from a later trigger).
   */
  private async sqliteMigrations(): Promise<{ name: string }[]> {
    const runner = this.dataSource.createQueryRunner();
    // foreign_keys = OFF (so rebuilding a table cascades nothing) only takes effect outside a transaction.
    await runner.beforeMigration();
    try {
      await runner.query('BEGIN IMMEDIATE');
      try {
        const executor = new MigrationExecutor(this.dataSource, runner);
        // The transaction is ours, above; a migration that set its own `transaction` would nest one in it.
        executor.transaction = 'none';
        const ran = await executor.executePendingMigrations();
        await runner.query('COMMIT');
        return ran;
      } catch (error) {
        await runner.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      await runner.afterMigration();
      await runner.release();
    }
  }

  /**
   * Runs `fn` (the migrations) holding a session-level advisory lock on a pooled connection of its own.
   * TypeORM reads the list of applied migrations before its first transaction; without the lock a
   * process could apply a migration another had applied meanwhile. Most DDL then fails ("already
   * exists") and is retried, but one whose second run succeeds (an UPDATE, CREATE INDEX IF NOT EXISTS)
   * would apply twice. The key is the schema's, so databases in other schemas (tests) do not wait for
   * each other. The lock goes with the session: a client whose unlock failed is dropped, not pooled.
   */
  private async postgresMigrationLock<T>(fn: () => Promise<T>): Promise<T> {
    const pool = poolOf(this.dataSource);
    if (!pool) throw new Error('PostgreSQL migrations need the connected pool');
    // The driver's schema once connected: the DataSource's `schema`, else the server's current_schema().
    const schema = (this.dataSource.driver as unknown as { schema?: string }).schema ?? 'public';
    const key = migrationLockKey(schema);
    const client = await pool.connect();
    let broken: Error | undefined;
    const drop = (error: unknown) => {
      broken ??= error instanceof Error ? error : new Error(String(error));
    };
    client.on('error', drop);
    try {
      // A lock request that failed without PostgreSQL's answer may yet be granted: drop the session.
      await client.query({ text: 'SELECT pg_advisory_lock($1::bigint)' }, [key]).catch((error: unknown) => {
        if (!fromServer(error)) drop(error);
        throw error;
      });
      try {
        return await fn();
      } finally {
        await client.query({ text: 'SELECT pg_advisory_unlock($1::bigint)' }, [key]).catch(drop);
      }
    } finally {
      client.removeListener('error', drop);
      client.release(broken);
    }
  }

  /**
   * Runs `fn` in one transaction; retried when SQLite reports the file busy or PostgreSQL a deadlock.
   * PostgreSQL's runs on a pooled node-pg client of its own (pg-transaction.ts).
   */
  async transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (this.kind === 'postgres') return await pgTransaction(this.dataSource, fn);
        return await this.exclusive(() => this.dataSource.transaction(fn));
      } catch (error) {
        const unanswered = queryTimeoutOf(error, this.queryTimeoutMs);
        if (unanswered || isConnectionLoss(error)) throw new DatabaseUnavailableError(unanswered ?? error);
        if (attempt >= 20 || !isTransient(error)) throw error;
        await sleep(Math.min(200, 5 * 2 ** attempt) * Math.random());
      }
    }
  }

  /** Runs `fn` outside a transaction (each statement commits on its own). */
  async run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.exclusive(() => fn(this.dataSource.manager));
    } catch (error) {
      const unanswered = queryTimeoutOf(error, this.queryTimeoutMs);
      throw unanswered || isConnectionLoss(error) ? new DatabaseUnavailableError(unanswered ?? error) : error;
    }
  }

  /** PostgreSQL's connection pool: open, idle and waiting clients (null on SQLite). */
  poolStats(): { total: number; idle: number; waiting: number } | null {
    if (this.kind !== 'postgres') return null;
    // TypeORM keeps node-pg's Pool as the driver's `master`; its counters are public API of pg.
    const pool = (this.dataSource.driver as unknown as { master?: PoolCounters }).master;
    if (!pool) return null;
    return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
  }

  /** Throws when the database does not answer. */
  async ping(): Promise<void> {
    await this.run((m) => m.query('SELECT 1'));
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.kind === 'sqlite' ? this.sqliteLock.run('db', fn) : fn();
  }
}

interface PoolCounters {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** A TypeORM logger that stays silent: errors reach us as exceptions, and we log those ourselves. */
const quietLogger: Logger = {
  logQuery: () => undefined,
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined,
};

function isTransient(error: unknown): boolean {
  const text = String((error as { code?: string })?.code ?? '') + String((error as Error)?.message ?? '');
  return /SQLITE_BUSY|database is locked|40P01|40001|deadlock|could not serialize/i.test(text);
}

/** The advisory lock key of migrations into `schema`: 64 bits of a hash, as PostgreSQL's bigint. */
export function migrationLockKey(schema: string): string {
  return createHash('sha256').update(`spreekuur migrations\0${schema}`).digest().readBigInt64BE(0).toString();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The SQLite file holds every resident's messages: it is created 0600 before SQLite opens it (SQLite
 * gives its `-wal` and `-shm` the mode of the database file), and a file made earlier with a wider
 * mode is narrowed, its `-wal` and `-shm` too once they exist.
 */
function restrictSqliteFile(file: string, when: 'before' | 'after'): void {
  if (file === ':memory:' || file === '') return;
  if (when === 'before') closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, 0o600);
}

/**
 * One connection to the server that must be made within `ms`, before TypeORM builds its pool: a
 * server that takes the connection but never answers stops the start with ETIMEDOUT.
 */
async function answersWithin(url: string, ms: number): Promise<void> {
  // Loaded here, not at the top: a command on SQLite never needs node-pg (TypeORM loads it for PostgreSQL).
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: ms });
  // A connection that fails later (the server goes away after the probe) is not this probe's business.
  client.on('error', () => undefined);
  const started = Date.now();
  try {
    await client.connect();
  } catch (error) {
    if ((error as { code?: unknown }).code === undefined && Date.now() - started >= ms - 50) {
      throw Object.assign(new Error(`no answer within ${Math.round(ms / 1000)} s`, { cause: error }), {
        code: 'ETIMEDOUT',
      });
    }
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
}
