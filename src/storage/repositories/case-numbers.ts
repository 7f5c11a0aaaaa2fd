import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { inTransaction, isUniqueViolation, sql } from '../sql.js';

/**
 * Reference numbers per (prefix, year). SQLite counts in `case_counters`: it has one writer, so
 * the counter row is never waited for. PostgreSQL draws from a sequence per (prefix, year):
 * `nextval` takes no row lock and is not undone by a rollback, so concurrent creates do not queue
 * behind each other's commit (a counter row updated in the caller's transaction stays locked until
 * that commit). Numbers may skip (a rolled-back create), never repeat.
 */
export async function nextCaseNumber(
  manager: EntityManager,
  kind: 'sqlite' | 'postgres',
  prefix: string,
  year: number,
): Promise<number> {
  const value =
    kind === 'postgres'
      ? await fromSequence(manager, prefix, year)
      : await fromCounter(manager, prefix, year);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`case number for ${prefix}-${year} came out as ${value}`);
  return value;
}

/** One statement that SQLite runs atomically: its single writer makes callers queue up. */
async function fromCounter(manager: EntityManager, prefix: string, year: number): Promise<number> {
  const { rows } = await sql<{ value: number | string }>(
    manager,
    'sqlite',
    `INSERT INTO case_counters (prefix, year, value) VALUES (?, ?, 1)
     ON CONFLICT (prefix, year) DO UPDATE SET value = case_counters.value + 1
     RETURNING value`,
    [prefix, year],
  );
  return Number(rows[0]?.value);
}

/**
 * SQL for the next value of (prefix, year)'s sequence, as column `value`: NULL while this schema has
 * no such sequence yet (`to_regclass` says null instead of failing, so the caller's transaction is
 * not aborted). Its one parameter is `sequenceParameter(prefix, year)`. The name is qualified with
 * the connection's schema, where an unqualified CREATE puts it.
 */
export const NEXT_CASE_NUMBER_SQL = `SELECT CASE WHEN to_regclass(s.name) IS NOT NULL THEN nextval(s.name::regclass) END AS value
       FROM (SELECT quote_ident(current_schema()) || '.' || ? AS name) s`;

/** The parameter of NEXT_CASE_NUMBER_SQL. */
export function sequenceParameter(prefix: string, year: number): string {
  return `"${caseSequenceName(prefix, year)}"`;
}

/**
 * The sequence's next value; on the first use of (prefix, year) in this schema the sequence is made
 * first (makeCaseSequence).
 */
async function fromSequence(manager: EntityManager, prefix: string, year: number): Promise<number> {
  const next = async (m: EntityManager): Promise<number | null> => {
    const { rows } = await sql<{ value: string | number | null }>(m, 'postgres', NEXT_CASE_NUMBER_SQL, [
      sequenceParameter(prefix, year),
    ]);
    const value = rows[0]?.value;
    return value === null || value === undefined ? null : Number(value);
  };
  const drawn = await next(manager);
  if (drawn !== null) return drawn;
  return withCaseSequence(manager, prefix, year, async (m) => {
    const value = await next(m);
    if (value === null)
      throw new Error(`case number sequence for ${prefix}-${year} is missing after it was made`);
    return value;
  });
}

/**
 * Makes (prefix, year)'s sequence, starting after the number `case_counters` reached (a database that
 * counted there before goes on from it), then runs `fn`: in the caller's transaction, or in one of
 * its own outside one.
 */
export async function withCaseSequence<T>(
  manager: EntityManager,
  prefix: string,
  year: number,
  fn: (m: EntityManager) => Promise<T>,
): Promise<T> {
  const made = async (m: EntityManager): Promise<T> => {
    await createSequence(m, caseSequenceName(prefix, year), prefix, year);
    return fn(m);
  };
  return inTransaction(manager) ? made(manager) : manager.transaction(made);
}

/**
 * Makes the sequence inside a savepoint of the caller's transaction, one first use at a time: an
 * advisory lock on the name, held to the end of the transaction, makes a second first use wait until
 * the first has committed or rolled back. Only then does the second's CREATE ... IF NOT EXISTS look,
 * and it sees the sequence the first made (or, after a rollback, makes it itself). Without the lock the
 * two CREATEs met in the catalog's unique index: the second failed there, and once in a while its next
 * lookup by name (`to_regclass`, which takes no lock and so reads no catalog invalidations) still did
 * not see the sequence, and the case was refused (CI of stop 29: "no case number sequence for
 * POOL-2026"). A creator that does not take the lock (a process of an older version during an upgrade)
 * still only makes the second's CREATE fail: that undoes the savepoint alone.
 */
async function createSequence(m: EntityManager, name: string, prefix: string, year: number): Promise<void> {
  await sql(
    m,
    'postgres',
    `SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || '.' || ?, 0))`,
    [`${SEQUENCE_LOCK}.${name}`],
  );
  const { rows } = await sql<{ value: string | number }>(
    m,
    'postgres',
    `SELECT value FROM case_counters WHERE prefix = ? AND year = ?`,
    [prefix, year],
  );
  const counted = Number(rows[0]?.value ?? 0);
  if (!Number.isSafeInteger(counted) || counted < 0)
    throw new Error(`case counter ${prefix}-${year} holds ${counted}`);
  await m.query('SAVEPOINT case_number_sequence');
  try {
    await m.query(`CREATE SEQUENCE IF NOT EXISTS "${name}" AS bigint MINVALUE 1 START WITH ${counted + 1}`);
  } catch (error) {
    await m.query('ROLLBACK TO SAVEPOINT case_number_sequence');
    if (!madeByAnother(error)) throw error;
  }
  await m.query('RELEASE SAVEPOINT case_number_sequence');
}

/** The advisory lock's name (with the schema and sequence after it) that first uses take turns on. */
export const SEQUENCE_LOCK = 'spreekuur.case_number_sequence';

/** The catalog's unique index refused a second sequence of the name, or (42P07) it exists. */
function madeByAnother(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return isUniqueViolation(error) || (e.driverError?.code ?? e.code) === '42P07';
}

/**
 * The sequence of (prefix, year): `case_number_2026_rsw`. A prefix of other characters than capital
 * letters and digits (none passes the reference format today, but the name must be safe for any) is
 * named by a hash, `case_number_2026_h_<16 hex>`, which no plain prefix can give (it has no `_`).
 */
export function caseSequenceName(prefix: string, year: number): string {
  if (!Number.isSafeInteger(year)) throw new RangeError(`bad reference year ${year}`);
  const part = /^[A-Z0-9]{1,30}$/.test(prefix)
    ? prefix.toLowerCase()
    : `h_${createHash('sha256').update(prefix).digest('hex').slice(0, 16)}`;
  return `case_number_${year}_${part}`;
}
