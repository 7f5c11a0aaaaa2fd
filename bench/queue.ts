import { TypeOrmJobStore } from '../src/storage/repositories/job-store.js';
/**
 * Queue throughput: a no-op job on the SQL driver (SQLite file) and on BullMQ (when Redis answers).
 * Figures are jobs per second; enqueue is measured on its own, then the drain of the enqueued jobs.
 * Prints nothing; bench/index.ts prints.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobQueue } from '../src/ports/queue.js';
import { BullMqJobQueue } from '../src/queue/bullmq-job-queue.js';
import { SqlJobQueue } from '../src/queue/sql-job-queue.js';
import { Database } from '../src/storage/database.js';
import { isReachable } from '../test/support/net.js';
import { deleteKeys } from './support.js';

const JOBS = 2000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Enqueues JOBS no-op jobs (100 at a time), then drains them; returns both rates. */
async function measure(queue: JobQueue, concurrency: number): Promise<{ enqueue: number; run: number }> {
  let enqueueStart = performance.now();
  for (let i = 0; i < JOBS; i += 100) {
    await Promise.all(Array.from({ length: 100 }, (_, j) => queue.enqueue('noop', { n: i + j })));
  }
  const enqueueMs = performance.now() - enqueueStart;
  enqueueStart = performance.now();
  await queue.process({ noop: async () => {} }, { concurrency });
  await queue.whenIdle();
  const runMs = performance.now() - enqueueStart;
  return { enqueue: rate(enqueueMs), run: rate(runMs) };
}

function rate(ms: number): number {
  return Math.round((JOBS / ms) * 1000);
}

async function benchSql(concurrency: number): Promise<{ enqueue: number; run: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-bench-'));
  const db = await Database.open({ kind: 'sqlite', file: join(dir, 'bench.db') });
  const queue = new SqlJobQueue({ store: new TypeOrmJobStore(db), queueName: 'bench' });
  try {
    return await measure(queue, concurrency);
  } finally {
    await queue.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchBullMq(concurrency: number): Promise<{ enqueue: number; run: number }> {
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const queue = await BullMqJobQueue.open({ redisUrl: REDIS_URL, queueName: 'bench', prefix });
  try {
    return await measure(queue, concurrency);
  } finally {
    await queue.close();
    await deleteKeys(REDIS_URL, `${prefix}:*`);
  }
}

/** Measures jobs/s of a no-op job on each queue driver that can run here. */
export async function benchQueue(): Promise<Record<string, number>> {
  const results: Record<string, number> = {};
  const sql1 = await benchSql(1);
  results['queue.sql-sqlite.enqueue_jobs_per_s'] = sql1.enqueue;
  results['queue.sql-sqlite.run_jobs_per_s.c1'] = sql1.run;
  results['queue.sql-sqlite.run_jobs_per_s.c8'] = (await benchSql(8)).run;
  if (await isReachable(REDIS_URL, 6379)) {
    const bull1 = await benchBullMq(1);
    results['queue.bullmq.enqueue_jobs_per_s'] = bull1.enqueue;
    results['queue.bullmq.run_jobs_per_s.c1'] = bull1.run;
    results['queue.bullmq.run_jobs_per_s.c8'] = (await benchBullMq(8)).run;
  }
  return results;
}
