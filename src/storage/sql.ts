import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { QueryFailedError } from './typeorm.js';
import {
  fromServer,
  pgTransactionOf,
  poolOf,
  type PgPool,
  type PgResult,
  type PgStatement,
} from './pg-transaction.js';

export interface SqlOptions {
  /**
   * false: PostgreSQL parses and plans the statement for its values at every call, never with a
   * generic plan (a statement whose best plan depends on the values, such as the length of an array).
   */
  named?: boolean;
}

export interface SqlResult<R> {
  rows: R[];
  affected: number;
}

/**
 * The one way repositories write raw SQL: `?` placeholders, one per value, in order.
 * Runs one SQL statement written with `?` placeholders on SQLite or PostgreSQL, and returns its
 * rows (for SELECT or RETURNING) and the number of rows it changed, the same way on both.
 */
export async function sql<R = Record<string, unknown>>(
  manager: EntityManager,
  kind: 'sqlite' | 'postgres',
  text: string,
  params: unknown[] = [],
  options: SqlOptions = {},
): Promise<SqlResult<R>> {
  const statement = () => (options.named === false ? unnamed(text) : prepared(text));
  const transaction = kind === 'postgres' ? pgTransactionOf(manager) : undefined;
  if (transaction) return resultOf<R>(await transaction.run(statement(), params));
  const own = manager.queryRunner === undefined;
  if (own && kind === 'postgres') {
    const pool = poolOf(manager.connection);
    if (pool) return pooled<R>(pool, statement(), params);
  }
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    // node-pg takes a query config where TypeORM passes the text through: a named one is parsed
    // once per connection instead of at every call (see `prepared`).
    const query = kind === 'postgres' ? (statement() as unknown as string) : text;
    const result = await runner.query(query, params, true);
    const rows = (Array.isArray(result.records) ? result.records : []) as R[];
    return { rows, affected: result.affected ?? rows.length };
  } finally {
    if (own && kind === 'postgres') await runner.release();
  }
}

/**
 * One statement outside a transaction, on a connection of the pool for just that statement, as
 * TypeORM's own query runner does, without building that runner and its event broadcaster for it:
 * in a loop of one-row statements that was some 30% of this process's CPU per statement. Results and
 * errors (a QueryFailedError around node-pg's) come back as through TypeORM; a connection that
 * reports an error while it is out goes back to the pool with it, so the pool drops it.
 */
async function pooled<R>(pool: PgPool, statement: PgStatement, params: unknown[]): Promise<SqlResult<R>> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onError);
  try {
    return resultOf<R>(await client.query(statement, params));
  } catch (error) {
    if (!fromServer(error)) broken ??= error as Error;
    throw new QueryFailedError(statement as unknown as string, params, error as Error);
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/** node-pg's result as TypeORM gives it: several result sets (a text of more than one statement) give no rows. */
function resultOf<R>(raw: PgResult | PgResult[]): SqlResult<R> {
  const rows = (Array.isArray(raw) ? [] : (raw.rows ?? [])) as R[];
  return { rows, affected: (Array.isArray(raw) ? undefined : raw.rowCount) ?? rows.length };
}

/**
 * Whether statements on `manager` run inside a transaction (a pgTransaction's, or TypeORM's), so a
 * step that must be atomic can run in it rather than open one of its own.
 */
export function inTransaction(manager: EntityManager): boolean {
  return pgTransactionOf(manager) !== undefined || manager.queryRunner?.isTransactionActive === true;
}

/** Statement texts seen so far in this process, with their PostgreSQL form and name once repeated. */
const statements = new Map<string, { text: string; uses: number; name?: string }>();
/** Texts named at most: each connection keeps a prepared statement (and its plan) per name. */
export const MAX_PREPARED_STATEMENTS = 200;
/** Uses of a text before it gets a name: a statement run once or twice is not worth keeping. */
const NAME_AFTER_USES = 3;
let named = 0;

/**
 * The query config for a PostgreSQL statement. A text that keeps coming back gets a name derived
 * from it: node-pg then parses it once per connection, and PostgreSQL may keep a generic plan for
 * it, where an unnamed statement is parsed and planned at every call (for the engine's turn that
 * was more server time than running it). Texts that vary (an IN list of any length) stop getting
 * names at MAX_PREPARED_STATEMENTS, so no connection collects statements without end.
 */
export function prepared(text: string): PgStatement {
  const entry = entryOf(text);
  entry.uses++;
  if (!entry.name && entry.uses >= NAME_AFTER_USES && named < MAX_PREPARED_STATEMENTS && fixedColumns(text)) {
    entry.name = `s${createHash('sha1').update(entry.text).digest('hex').slice(0, 20)}`;
    named++;
  }
  return entry.name ? { text: entry.text, name: entry.name } : { text: entry.text };
}

/**
 * Whether the statement's result columns are spelled out. A prepared `SELECT *` fails with "cached
 * plan must not change result type" once a migration of a newer version adds a column, for as long
 * as the connection lives; such statements (`SELECT *`, `t.*`, `RETURNING *`) stay unnamed.
 */
function fixedColumns(text: string): boolean {
  return !/(?:\bSELECT|\bRETURNING|,)\s*(?:[\w"]+\.)?\*/i.test(text);
}

/** The query config for a statement PostgreSQL plans anew at every call (never named). */
function unnamed(text: string): PgStatement {
  return { text: entryOf(text).text };
}

/** The text's entry, numbered once (kept while there are fewer than MAX_PREPARED_STATEMENTS * 20). */
function entryOf(text: string): { text: string; uses: number; name?: string } {
  let entry = statements.get(text);
  if (!entry) {
    entry = { text: toNumbered(text), uses: 0 };
    if (statements.size < MAX_PREPARED_STATEMENTS * 20) statements.set(text, entry);
  }
  return entry;
}

/** `?` → `$1, $2, …` (our statements never hold a literal question mark). */
function toNumbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/** Reads a bigint column (node-pg returns it as a string) as a number. */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/**
 * An instant as raw SQL binds it for a TypeORM date column: on SQLite the text TypeORM writes and
 * reads (`2026-04-02 08:00:00.000`, UTC, no zone mark); on PostgreSQL the Date itself.
 */
export function dateParam(kind: 'sqlite' | 'postgres', d: Date): Date | string {
  return kind === 'sqlite' ? d.toISOString().replace('T', ' ').replace('Z', '') : d;
}

/** True when the error is a unique-constraint violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string }; message?: string };
  const code = e.driverError?.code ?? e.code ?? '';
  return (
    code === '23505' ||
    code.startsWith('SQLITE_CONSTRAINT_UNIQUE') ||
    /UNIQUE constraint failed/.test(e.message ?? '')
  );
}

/**
 * A text column for ORDER BY in code point order on both databases. SQLite compares bytes already;
 * PostgreSQL would use the database's collation, which on a Dutch server ignores case and sorts
 * `Zed` after `anna`, so lists would come out in another order than on SQLite.
 */
export function byteOrder(kind: 'sqlite' | 'postgres', column: string): string {
  return kind === 'postgres' ? `${column} COLLATE "C"` : column;
}
