import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/storage/database-url.js';
import { isReachable } from './net.js';

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** CI sets this so that a missing PostgreSQL or Redis fails the run instead of skipping suites. */
export const servicesRequired = process.env.SPREEKUUR_REQUIRE_SERVICES === '1';

async function availability(name: string, url: string): Promise<boolean> {
  const ok = await isReachable(url);
  if (!ok && servicesRequired) {
    throw new Error(`${name} at ${url} is required (SPREEKUUR_REQUIRE_SERVICES=1) but not reachable`);
  }
  if (!ok) console.warn(`[skip] ${name} not reachable at ${url}: its suites are skipped`);
  return ok;
}

export const postgresAvailable = await availability('PostgreSQL', POSTGRES_URL);
export const redisAvailable = await availability('Redis', REDIS_URL);

/** A fresh SQLite file in its own temporary folder. */
export function sqliteTarget(): DatabaseTarget {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-'));
  return { kind: 'sqlite', file: join(dir, 'test.db') };
}

/** A DATABASE_URL for a fresh SQLite file. */
export function sqliteUrl(): string {
  const target = sqliteTarget();
  return `sqlite:${target.kind === 'sqlite' ? target.file : ''}`;
}

/** A fresh PostgreSQL schema; `drop` removes it. */
export async function postgresTarget(): Promise<{
  target: DatabaseTarget;
  url: string;
  drop(): Promise<void>;
}> {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  return {
    target: { kind: 'postgres', url: POSTGRES_URL, schema },
    url: `${POSTGRES_URL}?schema=${schema}`,
    async drop() {
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** The database kinds a port's contract suite runs against, with whether each is available here. */
export const databaseKinds = [
  { kind: 'sqlite' as const, available: true },
  { kind: 'postgres' as const, available: postgresAvailable },
];

/** Makes a fresh target of the given kind and a cleanup function. */
export async function freshTarget(
  kind: 'sqlite' | 'postgres',
): Promise<{ target: DatabaseTarget; url: string; cleanup(): Promise<void> }> {
  if (kind === 'sqlite') {
    const target = sqliteTarget();
    return { target, url: `sqlite:${(target as { file: string }).file}`, cleanup: async () => {} };
  }
  const pgTarget = await postgresTarget();
  return { target: pgTarget.target, url: pgTarget.url, cleanup: pgTarget.drop };
}
