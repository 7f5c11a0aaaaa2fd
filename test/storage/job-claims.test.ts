/**
 * The SQL job queue's claim on a table that has grown as in a long-running service: finished jobs
 * kept until they are purged, and the answer-by timers of open cases waiting days ahead. The claim
 * takes the earliest due job, or a job whose lease ran out, on every database; on SQLite, which
 * keeps no statistics, its plan must stay an index lookup of just those rows.
 */
import { describe, expect, it } from 'vitest';
import { Database } from '../../src/storage/database.js';
import { freshTarget } from '../support/services.js';
import { nextJobSql, TypeOrmJobStore } from '../../src/storage/repositories/job-store.js';
import { describeContract } from './storage-targets.js';

const NOW = Date.UTC(2026, 11, 4, 9, 0, 0);
const DAY = 86_400_000;

describeContract(
  'job claims',
  (store) => {
    it('takes the earliest due job, then a job whose lease ran out, never a finished one or a timer ahead', async () => {
      const db = store.databases[0]!;
      const jobs = new TypeOrmJobStore(db);
      const queueName = `claims-${store.kind}`;
      const add = (id: string, runAt: number) =>
        jobs.insertIfAbsent({
          queueName,
          id,
          name: 'x',
          data: '{}',
          runAt,
          maxAttempts: 3,
          backoffMs: 1000,
          now: NOW - DAY,
        });
      // 300 finished jobs (earliest run_at of all), 300 timers ahead, then the due ones.
      for (let i = 0; i < 300; i++) {
        await add(`done-${i}`, NOW - 2 * DAY + i);
        const held = await jobs.claim({ queueName, workerId: 'w0', now: NOW, lockedUntil: NOW + 60_000 });
        expect(held?.id).toBe(`done-${i}`);
        await jobs.complete({ queueName, id: `done-${i}`, workerId: 'w0', now: NOW });
      }
      for (let i = 0; i < 300; i++) await add(`ahead-${i}`, NOW + DAY + i);
      await add('due-late', NOW - 1000);
      await add('due-early', NOW - 5000);
      // A job a worker took and then died with: its lease is over, and it was due first (NOW - 10 s).
      await add('crashed', NOW - 10_000);
      const lost = await jobs.claim({ queueName, workerId: 'gone', now: NOW - 9_000, lockedUntil: NOW - 1 });
      expect(lost?.id).toBe('crashed');

      const order: (string | undefined)[] = [];
      for (let i = 0; i < 4; i++) {
        const held = await jobs.claim({ queueName, workerId: 'w1', now: NOW, lockedUntil: NOW + 60_000 });
        order.push(held?.id);
      }
      expect(order).toEqual(['crashed', 'due-early', 'due-late', undefined]);
    });

    it('adds many jobs at once as one after the other would: a known id and a repeat in the batch add nothing', async () => {
      const db = store.databases[0]!;
      const jobs = new TypeOrmJobStore(db);
      const queueName = `many-${store.kind}`;
      const job = (id: string, data = '{}') => ({
        queueName,
        id,
        name: 'x',
        data,
        runAt: NOW,
        maxAttempts: 3,
        backoffMs: 1000,
        now: NOW,
      });
      await jobs.insertIfAbsent(job('known', '"first"'));
      // More than one INSERT's worth (100 jobs each), so the chunks meet in one call.
      const many = Array.from({ length: 230 }, (_, i) => job(`t-${i}`));
      const added = await jobs.insertManyIfAbsent([
        job('known', '"again"'),
        job('new', '"first"'),
        job('new', '"repeat"'),
        ...many,
      ]);
      expect(added.sort()).toEqual(['new', ...many.map((j) => j.id)].sort());
      expect((await jobs.find(queueName, 'known'))?.data).toBe('"first"');
      expect((await jobs.find(queueName, 'new'))?.data).toBe('"first"');
      expect((await jobs.find(queueName, 't-229'))?.status).toBe('waiting');
      expect(await jobs.insertManyIfAbsent([])).toEqual([]);
    });
  },
  1,
);

describe('the job claim on SQLite', () => {
  // Regression: with no statistics SQLite read every job of the queue for the claim (finished ones
  // and timers ahead included) and sorted them: 1.6 ms a claim at 26,000 jobs, more as it grew.
  it('looks up only due and lease-expired jobs in the index, without statistics', async () => {
    const fresh = await freshTarget('sqlite');
    const db = await Database.open(fresh.target);
    try {
      const plan = await db.run((m) =>
        m.query<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${nextJobSql('sqlite')}`, ['q', NOW, 'q', NOW]),
      );
      const reads = plan.map((p) => p.detail).filter((d) => /\bjobs\b/.test(d));
      expect(reads).toEqual([
        'SEARCH jobs USING INDEX IDX_jobs_due (queue_name=? AND status=? AND run_at<?)',
        'SEARCH jobs USING INDEX IDX_jobs_due (queue_name=? AND status=?)',
      ]);
      const stats = await db.run((m) =>
        m.query<{ n: number }[]>(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'`),
      );
      expect(stats[0]!.n).toBe(0);
    } finally {
      await db.close();
      await fresh.cleanup();
    }
  });
});
