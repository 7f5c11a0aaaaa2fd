import { TypeOrmJobStore } from '../../src/storage/repositories/job-store.js';
/** What only the SQL driver does: time from a Clock, leases in the table, purging finished jobs. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJobQueue } from '../../src/app/create-queue.js';
import { SqlJobQueue } from '../../src/queue/sql-job-queue.js';
import { ManualClock } from '../../src/shared/clock.js';
import { Database } from '../../src/storage/database.js';
import { freshTarget } from '../support/services.js';
import { sleep } from './worker-processes.js';

describe('SQL job queue', () => {
  let db: Database;
  let cleanup: () => Promise<void>;
  let clock: ManualClock;
  let queue: SqlJobQueue;
  let runs: string[];

  beforeEach(async () => {
    const fresh = await freshTarget('sqlite');
    db = await Database.open(fresh.target);
    cleanup = fresh.cleanup;
    clock = new ManualClock('2026-03-03T09:00:00Z');
    queue = new SqlJobQueue({
      store: new TypeOrmJobStore(db),
      clock,
      queueName: 'manual',
      pollIntervalMs: 20,
    });
    runs = [];
    await queue.process({ remind: async (job) => void runs.push(job.id) });
  });

  afterEach(async () => {
    await queue.close();
    await db.close();
    await cleanup();
  });

  it('makes a delayed job due only when the clock is advanced past its delay', async () => {
    await queue.enqueue('remind', {}, { jobId: 'r1', delayMs: 60_000 });
    await queue.whenIdle();
    await sleep(200); // ten polls of real time: the manual clock has not moved
    expect(runs).toEqual([]);
    clock.advance(59_999);
    await queue.whenIdle();
    expect(runs).toEqual([]);
    clock.advance(1);
    await queue.whenIdle(); // whenIdle pokes the worker, so the due job runs without waiting a poll
    expect(runs).toEqual(['r1']);
    expect((await queue.inspect('r1'))?.status).toBe('completed');
  });

  it('keeps a completed job id taken until purgeFinished removes it', async () => {
    await queue.enqueue('remind', {}, { jobId: 'once' });
    await queue.whenIdle();
    await queue.enqueue('remind', {}, { jobId: 'once' });
    await queue.whenIdle();
    expect(runs).toEqual(['once']);
    clock.advance(1000);
    expect(await queue.purgeFinished(new Date(clock.now().getTime() - 2000))).toBe(0);
    expect(await queue.purgeFinished(clock.now())).toBe(1);
    await queue.enqueue('remind', {}, { jobId: 'once' });
    await queue.whenIdle();
    expect(runs).toEqual(['once', 'once']);
  });

  it('records the error of a failed job and fails a job with no handler', async () => {
    await queue.enqueue('unknown-name', {}, { jobId: 'orphan' });
    await queue.whenIdle();
    expect(await queue.inspect('orphan')).toMatchObject({
      status: 'failed',
      lastError: 'no handler for job name unknown-name',
    });
  });

  it('is what createJobQueue picks without a redisUrl', async () => {
    const picked = await createJobQueue({ db, clock, queueName: 'picked' });
    expect(picked.driver).toBe('sql');
    await picked.ping();
    await picked.close();
  });

  // Regression: SQLite answers without waiting for I/O, so a burst of due jobs ran on promise
  // callbacks alone; nothing else (a timer, an HTTP request, a channel's poll) had a turn until the
  // last job was done. 3,000 jobs: 2 s without one timer tick.
  it('lets the rest of the process have its turn during a burst of jobs', async () => {
    const burst = await createJobQueue({ db, clock, queueName: 'burst' });
    const jobs = 300;
    let ran = 0;
    let otherWorkRanAt: number | undefined;
    let finished!: () => void;
    const allRan = new Promise<void>((resolve) => (finished = resolve));
    await burst.process(
      {
        work: async () => {
          // Work from elsewhere in the process, queued while the burst is on.
          if (ran === 0) setImmediate(() => (otherWorkRanAt ??= ran));
          if (++ran === jobs) finished();
        },
      },
      { concurrency: 8 },
    );
    await burst.enqueueMany(Array.from({ length: jobs }, (_, i) => ({ name: 'work', data: { i } })));
    await allRan;
    await burst.close();
    // Within a few claims (8 run at a time), not after the whole burst.
    expect(otherWorkRanAt).toBeDefined();
    expect(otherWorkRanAt!).toBeLessThan(20);
  });
});
