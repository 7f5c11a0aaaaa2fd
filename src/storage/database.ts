import { DataSource, type EntityManager, type Logger, type MixedList } from 'typeorm';
import type { DatabaseTarget } from './database-url.js';
import { KeyedMutex } from '../shared/keyed-mutex.js';
import { entities } from './entities/index.js';
import { migrations } from './migrations/index.js';

/**
 * The one TypeORM connection of a process. SQLite has a single connection, so every use of it
 * (a transaction or a lone query) is serialised here; PostgreSQL uses its pool.
 */
export class Database {
  private readonly sqliteLock = new KeyedMutex();

  private constructor(
    readonly kind: 'sqlite' | 'postgres',
    readonly dataSource: DataSource,
  ) {}

  /** Connects, and runs pending migrations unless told not to. */
  static async open(
    target: DatabaseTarget,
    options: { migrate?: boolean; synchronize?: boolean } = {},
  ): Promise<Database> {
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
            },
          })
        : new DataSource({
            ...common,
            type: 'postgres',
            url: target.url,
            ...(target.schema ? { schema: target.schema } : {}),
            // Raw queries resolve unqualified names through search_path, so point it at the schema too.
            extra: { max: 10, ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}) },
          });
    await dataSource.initialize();
    const db = new Database(target.kind, dataSource);
    if (options.migrate !== false && !options.synchronize) await db.migrate();
    return db;
  }

  /**
   * Applies pending migrations. Two processes starting together (web and worker, or the CLI beside
   * the service) may race; each migration is one transaction, so the loser's fails whole and a
   * retry finds it applied.
   */
  async migrate(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.exclusive(() => this.dataSource.runMigrations({ transaction: 'each' }));
        return;
      } catch (error) {
        const raced = /already exists|duplicate key|duplicate column|SQLITE_BUSY|database is locked/i.test(
          String(error),
        );
        if (!raced || attempt >= 10) throw error;
        await sleep(200 * attempt);
      }
    }
  }

  /** Runs `fn` in one transaction; retried when SQLite reports the file busy or PostgreSQL a deadlock. */
  async transaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.exclusive(() => this.dataSource.transaction(fn));
      } catch (error) {
        if (attempt >= 20 || !isTransient(error)) throw error;
        await sleep(Math.min(200, 5 * 2 ** attempt) * Math.random());
      }
    }
  }

  /** Runs `fn` outside a transaction (each statement commits on its own). */
  async run<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusive(() => fn(this.dataSource.manager));
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
