import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { DatabaseTarget } from '../../src/storage/database-url.js';
import { deleteRedisKeys, probePostgres, probeRedis, type ServiceStatus } from './probe.js';

/** The test database (README, Tests); suites make schemas of their own in it. */
export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The test Redis (README, Tests); every key a test writes starts with `REDIS_RUN_PREFIX`. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** CI sets this so that a missing PostgreSQL or Redis fails the run instead of skipping suites. */
export const servicesRequired = process.env.SPREEKUUR_REQUIRE_SERVICES === '1';

/**
 * Whether a service can be used. test/support/global-setup.ts checked it once for the run and
 * printed why not; a test file run without it checks here, and says so itself.
 */
async function availability(
  name: string,
  given: ServiceStatus | undefined,
  probe: () => Promise<ServiceStatus>,
) {
  const status = given ?? (await probe());
  if (!status.ok && servicesRequired) {
    throw new Error(`${name} is required (SPREEKUUR_REQUIRE_SERVICES=1): ${status.reason}`);
  }
  if (!status.ok && !given) console.warn(`[skip] ${name} suites are skipped: ${status.reason}`);
  return status.ok;
}

export const postgresAvailable = await availability('PostgreSQL', inject('postgresStatus'), () =>
  probePostgres(POSTGRES_URL),
);
export const redisAvailable = await availability('Redis', inject('redisStatus'), () => probeRedis(REDIS_URL));

/** This run's Redis key prefix; the global teardown fails the run if a key with it is left. */
export const REDIS_RUN_PREFIX =
  inject('redisRunPrefix') ?? `spreekuur-test-${randomBytes(5).toString('hex')}`;

/** A fresh Redis key prefix (BullMQ's `prefix`) inside this run's, for one suite or test. */
export function redisPrefix(label: string): string {
  return `${REDIS_RUN_PREFIX}-${label}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key under `prefix` in the test Redis (each Redis suite does, in afterAll). */
export async function removeRedisKeys(prefix: string): Promise<void> {
  await deleteRedisKeys(REDIS_URL, prefix);
}

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
