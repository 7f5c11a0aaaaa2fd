/**
 * Case creation throughput: each case gets its reference number (SQLite: the per-year counter row;
 * PostgreSQL: the per-year sequence), its row and its `created` event, in one transaction. Figures
 * are cases per second, with 1 and with 16 creates in flight, on a SQLite file and (when it
 * answers) PostgreSQL in a throw-away schema. Prints nothing; bench/index.ts prints.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCase, type CreateCaseInput } from '../src/features/cases/case-service.js';
import { loadCaseData } from '../src/municipality/case-data.js';
import type { DatabaseTarget } from '../src/storage/database-url.js';
import { Database } from '../src/storage/database.js';
import { createUnitOfWork } from '../src/storage/unit-of-work.js';
import { isReachable } from '../test/support/net.js';
import { adminQuery, pool } from './support.js';

// PostgreSQL flushes each commit to disk (with 1 in flight, every create waits for its own), so it
// gets fewer to stay < 20 s.
/**
 * Timed cases per run. At 400 on PostgreSQL the run took 0.1-0.5 s, and what it measured was mostly
 * the pool opening its connections, the year's sequence being made and code warming up.
 */
const CASES = { sqlite: 2000, postgres: 2000 };
/** Untimed cases first, per case in flight: every pooled connection open, the sequence made. */
const WARM_UP_PER_IN_FLIGHT = 5;
const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const { holidays } = loadCaseData('data');

/** The i-th bench case: a resident's question with its own idempotency key. */
export function caseInput(i: number): CreateCaseInput {
  return {
    residentKey: `telegram:${i % 97}`,
    channel: 'telegram',
    language: 'nl',
    districtId: 'te-werve',
    topic: 'overig',
    text: 'Wanneer wordt de stoep in mijn straat gerepareerd? Er liggen losse tegels.',
    idempotencyKey: `bench-${i}-${randomUUID()}`,
    now: new Date('2026-04-02T08:00:00Z'),
    prefix: 'RSW',
    norm: 5,
    holidays,
    timeZone: 'Europe/Amsterdam',
  };
}

/** Creates the kind's number of cases with `inFlight` at a time; returns cases per second. */
async function measure(target: DatabaseTarget, inFlight: number): Promise<number> {
  const total = CASES[target.kind];
  const db = await Database.open(target);
  try {
    const uow = createUnitOfWork(db);
    const create = (i: number) => uow.transaction((repos) => createCase(repos, caseInput(i)));
    const warmUp = WARM_UP_PER_IN_FLIGHT * inFlight;
    await pool(warmUp, inFlight, create);
    const started = performance.now();
    await pool(total, inFlight, (i) => create(warmUp + i));
    return Math.round((total / (performance.now() - started)) * 1000);
  } finally {
    await db.close();
  }
}

async function onSqlite(inFlight: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-bench-'));
  try {
    return await measure({ kind: 'sqlite', file: join(dir, 'bench.db') }, inFlight);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function onPostgres(inFlight: number): Promise<number> {
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await adminQuery(POSTGRES_URL, `CREATE SCHEMA ${schema}`);
  try {
    return await measure({ kind: 'postgres', url: POSTGRES_URL, schema }, inFlight);
  } finally {
    await adminQuery(POSTGRES_URL, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
}

/** Measures cases created per second on each database that can run here. */
export async function benchCases(): Promise<Record<string, number>> {
  const results: Record<string, number> = {};
  results['cases.sqlite.create_per_s.c1'] = await onSqlite(1);
  results['cases.sqlite.create_per_s.c16'] = await onSqlite(16);
  if (await isReachable(POSTGRES_URL, 5432)) {
    results['cases.postgres.create_per_s.c1'] = await onPostgres(1);
    results['cases.postgres.create_per_s.c16'] = await onPostgres(16);
  }
  return results;
}
