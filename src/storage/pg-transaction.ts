import type { EntityManager, QueryRunner } from 'typeorm';
import { QueryFailedError, type DataSource } from './typeorm.js';

/** The part of node-pg's Pool and Client that storage uses directly. */
export interface PgPool {
  connect(): Promise<PgClient>;
}
export interface PgClient {
  query(config: PgStatement | PgSubmittable, values?: unknown[]): Promise<PgResult | PgResult[]>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
  release(error?: Error): void;
}
export interface PgStatement {
  text: string;
  name?: string;
}
export interface PgResult {
  rows?: unknown[];
  rowCount?: number | null;
}
interface PgSubmittable {
  submit(connection: unknown): unknown;
}

/**
 * Whether a failed statement's error is PostgreSQL's answer (node-pg's DatabaseError carries its
 * severity), which leaves the connection as it was. Any other (a parameter node-pg could not write,
 * a lost connection) may leave it otherwise: node-pg closes the statement of a value it cannot write,
 * a named one too, while it keeps recording that name as parsed on the connection, so every later use
 * of the name there would fail. Such a client goes back to the pool with the error, which drops it.
 */
export function fromServer(error: unknown): boolean {
  return typeof (error as { severity?: unknown } | null)?.severity === 'string';
}

/** TypeORM keeps node-pg's Pool as the PostgreSQL driver's `master` once connected. */
export function poolOf(dataSource: DataSource): PgPool | undefined {
  return (dataSource.driver as unknown as { master?: PgPool }).master;
}

/** The open transaction of each manager that `pgTransaction` made. */
const transactions = new WeakMap<EntityManager, PgTransaction>();

/** The raw-client transaction behind `manager`, if it is one of `pgTransaction`'s. */
export function pgTransactionOf(manager: EntityManager): PgTransaction | undefined {
  return transactions.get(manager);
}

/**
 * Runs `fn` in a transaction on a pooled node-pg client of its own, without TypeORM's query runner
 * (its runner, broadcaster and transaction events cost more CPU than the statements of a short
 * transaction). BEGIN goes out with the first statement, in the same round trip; a transaction that
 * ran nothing sends neither BEGIN nor COMMIT. An error in `fn` or in COMMIT rolls back and is thrown
 * as it came (statement errors are QueryFailedErrors around node-pg's, as through TypeORM).
 */
export async function pgTransaction<T>(
  dataSource: DataSource,
  fn: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  const pool = poolOf(dataSource);
  if (!pool) return dataSource.transaction(fn);
  const tx = new PgTransaction(await pool.connect());
  try {
    const result = await fn(tx.managerOn(dataSource));
    await tx.end('COMMIT');
    return result;
  } catch (error) {
    await tx.end('ROLLBACK').catch((rollbackError: unknown) => tx.markBroken(rollbackError));
    throw error;
  } finally {
    tx.release();
  }
}

/** One transaction on one client: its statements, its deferred BEGIN, and the client's health. */
export class PgTransaction {
  private begun = false;
  private ended = false;
  private broken: Error | undefined;
  private readonly onError = (error: Error) => {
    this.broken ??= error;
  };

  constructor(private readonly client: PgClient) {
    client.on('error', this.onError);
  }

  /** One statement in the transaction; the first carries the BEGIN along. */
  async run(statement: PgStatement, params: unknown[]): Promise<PgResult | PgResult[]> {
    this.checkOpen();
    try {
      if (this.begun) return await this.client.query(statement, params);
      this.begun = true;
      return await this.beginWith(statement, params);
    } catch (error) {
      if (!fromServer(error)) this.markBroken(error);
      throw new QueryFailedError(statement.text, params, error as Error);
    }
  }

  /** Sends BEGIN alone (before a statement of TypeORM's, which goes through its own runner). */
  async begin(): Promise<void> {
    this.checkOpen();
    if (this.begun) return;
    this.begun = true;
    await this.client.query({ text: 'BEGIN' });
  }

  /**
   * COMMIT or ROLLBACK, when anything began. No ROLLBACK on a broken client: it would wait behind a
   * statement that got no answer (a server that stopped answering); the client is dropped instead,
   * and PostgreSQL rolls back the transaction of a connection that closes.
   */
  async end(word: 'COMMIT' | 'ROLLBACK'): Promise<void> {
    this.ended = true;
    if (!this.begun || (word === 'ROLLBACK' && this.broken)) return;
    this.begun = false;
    try {
      await this.client.query({ text: word });
    } catch (error) {
      throw new QueryFailedError(word, [], error as Error);
    }
  }

  markBroken(error: unknown): void {
    this.broken ??= error instanceof Error ? error : new Error(String(error));
  }

  /** Gives the client back; one that failed (a lost connection, a failed ROLLBACK) is dropped by the pool. */
  release(): void {
    this.ended = true;
    this.client.removeListener('error', this.onError);
    this.client.release(this.broken);
  }

  /**
   * A statement on the manager once the transaction ends (one that fn left running) would go out
   * after COMMIT on a client that is then back in the pool: it would open a transaction nobody ends,
   * or run in another's.
   */
  private checkOpen(): void {
    if (this.ended) throw new Error('the transaction has ended; its manager takes no more statements');
  }

  /**
   * An entity manager for repositories. sql() finds this transaction by the manager; TypeORM's own
   * calls (query builders, manager.query, a nested transaction's savepoint) get a query runner made on
   * first use, on this client, that sends BEGIN first when nothing began yet.
   */
  managerOn(dataSource: DataSource): EntityManager {
    const manager = dataSource.createEntityManager();
    let runner: QueryRunner | undefined;
    Object.defineProperty(manager, 'queryRunner', {
      configurable: true,
      enumerable: true,
      get: () => (runner ??= this.runnerFor(dataSource, manager)),
    });
    transactions.set(manager, this);
    return manager;
  }

  private runnerFor(dataSource: DataSource, manager: EntityManager): QueryRunner {
    const runner = dataSource.driver.createQueryRunner('master');
    const query = runner.query.bind(runner);
    // TypeORM's runner takes the client as its connection (connect() returns it, release() leaves it
    // alone: it has no release callback) and counts the transaction as open, so that a nested
    // transaction is a savepoint.
    Object.assign(runner, {
      manager,
      databaseConnection: this.client,
      isTransactionActive: true,
      transactionDepth: 1,
      query: async (...args: Parameters<QueryRunner['query']>): Promise<unknown> => {
        await this.begin();
        return (await query(...args)) as unknown;
      },
    });
    return runner;
  }

  /**
   * BEGIN and the statement in one round trip: BEGIN's Parse, Bind and Execute written ahead of the
   * statement's messages and its one Sync. A named statement not yet parsed on this connection goes
   * after a separate BEGIN instead, so that node-pg's record of parsed names (which it updates at
   * every ParseComplete, BEGIN's too) stays true even when the statement's Parse fails.
   */
  private async beginWith(statement: PgStatement, params: unknown[]): Promise<PgResult | PgResult[]> {
    const parsed = (this.client as { connection?: { parsedStatements?: Record<string, string> } }).connection
      ?.parsedStatements;
    const Query = (this.client.constructor as { Query?: PgQueryClass }).Query;
    if (!Query || !parsed || (statement.name !== undefined && parsed[statement.name] !== statement.text)) {
      await this.client.query({ text: 'BEGIN' });
      return this.client.query(statement, params);
    }
    return new Promise((resolve, reject) => {
      const query = new (beginningQuery(Query))(
        { ...statement, values: params, queryMode: 'extended' },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
      void this.client.query(query);
    });
  }
}

/** node-pg's Query class, as far as `beginningQuery` extends it. */
type PgQueryClass = new (
  config: PgStatement & { values: unknown[]; queryMode: 'extended' },
  callback: (error: Error | null, result: PgResult) => void,
) => PgQueryBase;
interface PgQueryBase {
  submit(connection: PgConnection): Error | null;
  handleCommandComplete(message: unknown, connection: PgConnection): void;
}
interface PgConnection {
  stream: { cork(): void; uncork(): void };
  parse(message: { text: string }): void;
  bind(message: Record<string, never>): void;
  execute(message: Record<string, never>): void;
}

let beginning: PgQueryClass | undefined;

/**
 * node-pg's Query with BEGIN's messages written first in the same write: the server answers BEGIN's
 * CommandComplete before the statement's messages, and that one is skipped, so the query's result is
 * the statement's alone. Made once, from the Query class of the node-pg that TypeORM loaded.
 */
function beginningQuery(Query: PgQueryClass): PgQueryClass {
  beginning ??= class BeginningQuery extends Query {
    private begun = false;

    override submit(connection: PgConnection): Error | null {
      connection.stream.cork();
      try {
        connection.parse({ text: 'BEGIN' });
        connection.bind({});
        connection.execute({});
        return super.submit(connection);
      } finally {
        connection.stream.uncork();
      }
    }

    override handleCommandComplete(message: unknown, connection: PgConnection): void {
      if (this.begun) super.handleCommandComplete(message, connection);
      else this.begun = true;
    }
  };
  return beginning;
}
