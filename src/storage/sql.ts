import type { EntityManager } from 'typeorm';

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
): Promise<SqlResult<R>> {
  const statement = kind === 'postgres' ? toNumbered(text) : text;
  const own = manager.queryRunner === undefined;
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const result = await runner.query(statement, params, true);
    const rows = (Array.isArray(result.records) ? result.records : []) as R[];
    return { rows, affected: result.affected ?? rows.length };
  } finally {
    if (own && kind === 'postgres') await runner.release();
  }
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
