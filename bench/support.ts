import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { App } from '../src/app/create-app.js';
import { createCase } from '../src/features/cases/case-service.js';

/** Deletes a benchmark's Redis keys (its random prefix), SCAN by SCAN. */
export async function deleteKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Runs one administrative statement (create or drop a benchmark's schema) on its own connection. */
export async function adminQuery(connectionString: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Starts `spreekuur serve` on loopback with an embedded SQLite database in `dir` and no channel but
 * those `env` switches on; the resident limits are raised because one address sends for many residents
 * and the limits are not what a benchmark measures. */
export function startService(dir: string, port: number, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['bin/spreekuur.mjs', 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
      REDIS_URL: '',
      TELEGRAM_BOT_TOKEN: '',
      WHATSAPP_ENABLED: 'false',
      WEBCHAT_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE: '100000',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Waits until the service answers /healthz (60 s at the most); fails at once when it exits. */
export async function waitForHealth(url: string, server: ChildProcess): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  throw new Error('server did not start');
}

/** SIGTERM, then SIGKILL when it has not exited within 30 s. */
export async function stopService(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await Promise.race([exited, sleep(30_000)]);
  if (server.exitCode === null) server.kill('SIGKILL');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** The value at quantile `q` (0 to 1) of an ascending list; 0 for an empty one. */
export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Rounds to two decimals, for figures in milliseconds. */
export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Runs `task(i)` for i in [0, total) with `inFlight` at a time. */
export async function pool(
  total: number,
  inFlight: number,
  task: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < total; i = next++) await task(i);
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/**
 * Resident `i` asks a question in Rijswijk-Buiten (routed to Fatma Yilmaz under the shipped rules),
 * as the ask-question flow does it: the case in its own transaction, then its `case.route` job.
 */
export async function askQuestion(app: App, i: number): Promise<void> {
  const m = app.municipality;
  const c = await app.uow.transaction((repos) =>
    createCase(repos, {
      residentKey: `console:bench-resident-${i}`,
      channel: 'console',
      language: 'nl',
      districtId: 'rijswijk-buiten',
      topic: 'groen-en-openbare-ruimte',
      text: 'Wanneer wordt de stoep in mijn straat gerepareerd? Er liggen losse tegels.',
      idempotencyKey: `bench-${i}-${randomUUID()}`,
      now: app.clock.now(),
      prefix: m.referencePrefix,
      norm: m.cases.routing.answerNormWorkingDays,
      holidays: m.cases.holidays,
      timeZone: m.timeZone,
    }),
  );
  await app.queue.enqueue('case.route', { caseId: c.id }, { jobId: `case-route-${c.id}` });
}
