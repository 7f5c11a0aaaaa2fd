import type { EntityManager } from 'typeorm';
import type { PurgeBatch } from '../ports/personal-data.js';
import { num, sql } from './sql.js';

type Kind = 'sqlite' | 'postgres';

/** Columns that hold JSON text; an export shows them decoded. */
const JSON_COLUMNS = new Set(['state', 'event', 'body', 'transcript', 'data', 'detail', 'counts']);

/** `column` holds `?` as a substring, on either database (no LIKE: ids may hold % or _). */
export function holds(kind: Kind, column: string): string {
  return kind === 'postgres' ? `strpos(${column}, ?) > 0` : `instr(${column}, ?) > 0`;
}

/** `(column holds ? OR column holds ? …)` for each needle, or a condition that is never true. */
export function holdsAny(kind: Kind, column: string, needles: readonly string[]): string {
  return needles.length === 0 ? '1 = 0' : `(${needles.map(() => holds(kind, column)).join(' OR ')})`;
}

/** `?, ?, …` for a list of values, or `NULL` (matches nothing) for an empty list. */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ') || 'NULL';
}

/** Every row of `table` matching `where`, with JSON columns decoded. */
export async function rowsOf(
  m: EntityManager,
  kind: Kind,
  table: string,
  where: string,
  params: unknown[],
): Promise<Record<string, unknown>[]> {
  const { rows } = await sql(m, kind, `SELECT * FROM ${table} WHERE ${where}`, params);
  return rows.map(decodeRow);
}

function decodeRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (JSON_COLUMNS.has(column) && typeof value === 'string') {
      try {
        out[column] = JSON.parse(value) as unknown;
        continue;
      } catch {
        // Not JSON after all: shown as stored.
      }
    }
    out[column] = value instanceof Date ? value.toISOString() : value;
  }
  return out;
}

/**
 * One purge batch on `table`: deletes at most `batch.limit` rows whose `idColumn` the `select`
 * query (`SELECT <idColumn> FROM … WHERE …`, without LIMIT) returns, or only counts them on a dry run.
 */
export async function deleteBatch(
  m: EntityManager,
  kind: Kind,
  table: string,
  idColumn: string,
  select: string,
  params: unknown[],
  batch: PurgeBatch,
): Promise<number> {
  if (batch.dryRun) {
    const { rows } = await sql<{ n: unknown }>(m, kind, `SELECT COUNT(*) AS n FROM (${select}) t`, params);
    return num(rows[0]?.n ?? 0);
  }
  const { affected } = await sql(
    m,
    kind,
    `DELETE FROM ${table} WHERE ${idColumn} IN (SELECT ${idColumn} FROM (${select} LIMIT ?) t)`,
    [...params, batch.limit],
  );
  return affected;
}
