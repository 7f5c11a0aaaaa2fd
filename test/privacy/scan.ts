/** Reads a whole database (and a Redis key prefix) the way an auditor would: every table, every cell. */
import { Redis } from 'ioredis';
import type { Database } from '../../src/storage/database.js';

/** Runs one statement and returns its rows. */
export function query<T = Record<string, unknown>>(db: Database, text: string): Promise<T[]> {
  return db.run<T[]>((m) => m.query(text));
}

/** The tables of a migrated database (TypeORM's own bookkeeping left out), with their columns. */
export async function tablesOf(db: Database): Promise<Map<string, string[]>> {
  const tables = new Map<string, string[]>();
  if (db.kind === 'sqlite') {
    // A full-text index (FTS5) over another table's column, its shadow tables, and the row that says
    // up to which message it holds the words (`<name>_state`, a number), are part of that table: its
    // contract covers them, and deleting a row removes its words (secure-delete).
    const fts = await query<{ name: string }>(
      db,
      `SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts5%'`,
    );
    const ftsTables = new Set(
      fts.flatMap(({ name }) => [
        name,
        ...['data', 'idx', 'docsize', 'config', 'content', 'state'].map((s) => `${name}_${s}`),
      ]),
    );
    const names = (
      await query<{ name: string }>(
        db,
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
      )
    ).filter(({ name }) => !ftsTables.has(name));
    for (const { name } of names) {
      const columns = await query<{ name: string }>(db, `PRAGMA table_info(${name})`);
      tables.set(
        name,
        columns.map((c) => c.name),
      );
    }
  } else {
    const rows = await query<{ table_name: string; column_name: string }>(
      db,
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
    );
    for (const r of rows) tables.set(r.table_name, [...(tables.get(r.table_name) ?? []), r.column_name]);
  }
  for (const bookkeeping of ['migrations', 'typeorm_metadata']) tables.delete(bookkeeping);
  return tables;
}

/** Every row of every table with a cell that holds one of `needles`, by table. */
export async function scanTables(
  db: Database,
  needles: readonly string[],
): Promise<Record<string, Record<string, unknown>[]>> {
  const found: Record<string, Record<string, unknown>[]> = {};
  for (const table of (await tablesOf(db)).keys()) {
    const rows = await query(db, `SELECT * FROM ${table}`);
    const hits = rows.filter((row) =>
      Object.values(row).some((v) => needles.some((n) => cellText(v).includes(n))),
    );
    if (hits.length > 0) found[table] = hits;
  }
  return found;
}

/** Every key under `prefix:*` in Redis whose name or value holds one of `needles`, as `key: value`. */
export async function scanRedis(url: string, prefix: string, needles: readonly string[]): Promise<string[]> {
  const redis = new Redis(url);
  const hits: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        if (needles.some((n) => key.includes(n))) hits.push(`${key}: (its name)`);
        for (const value of await valuesOf(redis, key))
          if (needles.some((n) => value.includes(n))) hits.push(`${key}: ${value.slice(0, 200)}`);
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return hits;
}

async function valuesOf(redis: Redis, key: string): Promise<string[]> {
  const type = await redis.type(key);
  if (type === 'string') return [(await redis.get(key)) ?? ''];
  if (type === 'hash') return Object.entries(await redis.hgetall(key)).flat();
  if (type === 'list') return redis.lrange(key, 0, -1);
  if (type === 'set') return redis.smembers(key);
  if (type === 'zset') return redis.zrange(key, 0, -1);
  if (type === 'stream') {
    const entries = await redis.xrange(key, '-', '+');
    return entries.flatMap(([, fields]) => fields);
  }
  return [];
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'string' ? value : JSON.stringify(value);
}
