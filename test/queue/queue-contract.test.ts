/**
 * One contract for the queue port, run against every driver: the SQL driver on SQLite and on
 * PostgreSQL, and BullMQ on Redis. Each test gets a fresh database / key prefix. The crash and
 * sharing tests run real worker processes (test/queue/fixtures/queue-worker.ts).
 * Timing assertions are lower bounds with generous upper bounds, for a loaded 2-core machine.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnrecoverableJobError, type JobQueue } from '../../src/ports/queue.js';
import { JobQueueClosedError } from '../../src/queue/errors.js';
import { postgresAvailable, redisAvailable } from '../support/services.js';
import {
  bullmqTarget,
  QUEUE_NAME,
  sqlTarget,
  type QueueTarget,
  type QueueTargetFactory,
} from './queue-targets.js';
import { PROCESS_LIMIT_MS, sleep, waitFor, WorkerProcesses, type Marker } from './worker-processes.js';

function queueContract(factory: QueueTargetFactory): void {
  let target: QueueTarget;
  let workers: WorkerProcesses;

  beforeEach(async () => {
    target = await factory();
    workers = new WorkerProcesses({ QUEUE_NAME, ...target.childEnv });
  });

  afterEach(async () => {
    await workers.cleanup();
    await target.cleanup();
  });

  /** Opens a queue that records every run of the `tick` job. */
  async function recordingWorker(): Promise<{ queue: JobQueue; runs: { id: string; at: number }[] }> {
    const queue = await target.open();
    const runs: { id: string; at: number }[] = [];
    await queue.process({ tick: async (job) => void runs.push({ id: job.id, at: Date.now() }) });
    return { queue, runs };
  }

  it('names one lifetime for every queue object on the store, the same on every call', async () => {
    const [a, b] = [await target.open(), await target.open()];
    const first = await a.lifetime();
    expect(first).toMatch(/\S/);
    await a.enqueue('tick', {}, { delayMs: 60_000 });
    expect([await a.lifetime(), await b.lifetime(), await b.lifetime()]).toEqual([first, first, first]);
  });

  it('runs a delayed job not before its delay, and soon after it', async () => {
    const { queue, runs } = await recordingWorker();
    const enqueuedAt = Date.now();
    await queue.enqueue('tick', {}, { delayMs: 600 });
    await queue.whenIdle(); // a job delayed into the future does not keep the queue busy
    await sleep(300);
    expect(runs).toEqual([]);
    await waitFor('the delayed job', () => runs.length === 1, 20_000);
    // BullMQ compares Redis-side timestamps: allow a little slack below the delay. The upper bound
    // only says "not forgotten": a busy machine may be seconds late.
    expect(runs[0]!.at - enqueuedAt).toBeGreaterThanOrEqual(550);
    expect(runs[0]!.at - enqueuedAt).toBeLessThan(600 + 15_000);
  });

  it('backs off exponentially between retries: base, 2x base, 4x base', async () => {
    const queue = await target.open();
    const tries: { attempt: number; at: number }[] = [];
    await queue.process({
      flaky: async (job) => {
        tries.push({ attempt: job.attempt, at: Date.now() });
        if (job.attempt < 4) throw new Error('not yet');
      },
    });
    await queue.enqueue('flaky', {}, { attempts: 4, backoffMs: 150 });
    await waitFor('four tries', () => tries.length === 4, 40_000);
    expect(tries.map((t) => t.attempt)).toEqual([1, 2, 3, 4]);
    const gaps = tries.slice(1).map((t, i) => t.at - tries[i]!.at);
    // The lower bounds are the backoff (150, 300, 600 ms); the upper ones only rule out a lost
    // retry, with room for a busy machine (so no comparison between gaps, which load can skew).
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(150 * 2 ** i * 0.9);
      expect(gap).toBeLessThan(150 * 2 ** i + 10_000);
    });
  });

  it('gives one run for 20 concurrent enqueues of one job id, and ignores it again after it completed', async () => {
    const producer = await target.open();
    // ':' and integer-looking ids are ones BullMQ refuses unencoded.
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) => producer.enqueue('tick', { i }, { jobId: 'reminder:42' })),
    );
    await producer.enqueue('tick', {}, { jobId: '42' });
    expect(new Set(ids)).toEqual(new Set(['reminder:42']));
    const { queue, runs } = await recordingWorker();
    await queue.whenIdle();
    await producer.enqueue('tick', {}, { jobId: 'reminder:42' });
    await sleep(300);
    await queue.whenIdle();
    expect(runs.map((r) => r.id).sort()).toEqual(['42', 'reminder:42']);
  });

  it('enqueueMany adds each job as enqueue does: ids in order, delays kept, a known id not added twice', async () => {
    const { queue, runs } = await recordingWorker();
    await queue.enqueue('tick', {}, { jobId: 'case-1-remind' });
    await queue.whenIdle();
    const enqueuedAt = Date.now();
    const ids = await queue.enqueueMany([
      { name: 'tick', data: { n: 1 }, options: { jobId: 'case-1-remind' } },
      { name: 'tick', data: { n: 2 }, options: { jobId: 'case:1:delay', delayMs: 600 } },
      { name: 'tick', data: { n: 3 } },
    ]);
    expect(ids.slice(0, 2)).toEqual(['case-1-remind', 'case:1:delay']);
    expect(ids[2]).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor('the job without delay', () => runs.some((r) => r.id === ids[2]), 20_000);
    await waitFor('the delayed job', () => runs.some((r) => r.id === 'case:1:delay'), 20_000);
    // A lower bound only (with BullMQ's slack, as above): a busy machine may run it late, never early.
    expect(runs.find((r) => r.id === 'case:1:delay')!.at - enqueuedAt).toBeGreaterThanOrEqual(550);
    await queue.whenIdle();
    expect(runs.map((r) => r.id).sort()).toEqual([ids[2], 'case-1-remind', 'case:1:delay'].sort());
    expect(await queue.enqueueMany([])).toEqual([]);
  });

  it('fails a job that throws UnrecoverableJobError at once, while a plain error is retried', async () => {
    const queue = await target.open();
    const runs = { broken: 0, flaky: 0 };
    await queue.process({
      broken: async () => {
        runs.broken++;
        throw new UnrecoverableJobError('the booking no longer exists');
      },
      flaky: async () => {
        runs.flaky++;
        throw new Error('try again');
      },
    });
    await queue.enqueue('broken', {}, { attempts: 3, backoffMs: 50 });
    await queue.enqueue('flaky', {}, { attempts: 2, backoffMs: 50 });
    await waitFor('the plain error to be retried', () => runs.flaky === 2, 20_000);
    await sleep(400);
    expect(runs).toEqual({ broken: 1, flaky: 2 });
  });

  it('counts jobs by state for /metrics: waiting, delayed, active, failed', async () => {
    const producer = await target.open();
    await producer.enqueue('tick', {}, { jobId: 'now-1' });
    await producer.enqueue('tick', {}, { jobId: 'now-2' });
    await producer.enqueue('tick', {}, { jobId: 'later', delayMs: 60_000 });
    expect(await producer.counts()).toEqual({ waiting: 2, delayed: 1, active: 0, failed: 0 });
    const worker = await target.open();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    try {
      await worker.process(
        {
          tick: async () => {
            started++;
            await held;
          },
          broken: async () => {
            throw new UnrecoverableJobError('cannot be done');
          },
        },
        { concurrency: 2 },
      );
      await waitFor('both due jobs to start', () => started === 2, 5000);
      expect(await producer.counts()).toEqual({ waiting: 0, delayed: 1, active: 2, failed: 0 });
    } finally {
      release();
    }
    await producer.enqueue('broken', {});
    await worker.whenIdle();
    expect(await producer.counts()).toEqual({ waiting: 0, delayed: 1, active: 0, failed: 1 });
  });

  it('cancel removes a delayed job; cancelling it again or an unknown id gives false', async () => {
    const producer = await target.open();
    const { runs } = await recordingWorker();
    // Due in a minute: on a loaded machine a job due sooner could start before the cancel reaches
    // it (cancel is then rightly false: it failed so once in a run beside other suites).
    await producer.enqueue('tick', { what: 'to cancel' }, { jobId: 'cancelled', delayMs: 60_000 });
    await producer.enqueue('tick', { what: 'to keep' }, { jobId: 'kept', delayMs: 300 });
    expect(await producer.cancel('cancelled')).toBe(true);
    expect(await producer.cancel('cancelled')).toBe(false);
    expect(await producer.cancel('never-enqueued')).toBe(false);
    expect(await producer.findByContent(['"to cancel"'])).toEqual([]);
    await waitFor('the kept job', () => runs.length === 1, 20_000);
    await sleep(300);
    expect(runs.map((r) => r.id)).toEqual(['kept']);
  });

  it('close() waits for the running job to finish; a running job cannot be cancelled', async () => {
    const queue = await target.open();
    let state = 'waiting';
    await queue.process({
      long: async () => {
        state = 'running';
        await sleep(400);
        state = 'finished';
      },
    });
    const id = await queue.enqueue('long', {});
    await waitFor('the job to start', () => state === 'running');
    expect(await queue.cancel(id)).toBe(false);
    await queue.close();
    expect(state).toBe('finished');
    await expect(queue.enqueue('long', {})).rejects.toBeInstanceOf(JobQueueClosedError);
  });

  it('close({ force: true }) does not wait for the running job (a stop while the store does not answer)', async () => {
    const queue = await target.open();
    let release = () => {};
    let state = 'waiting';
    await queue.process({
      stuck: async () => {
        state = 'running';
        await new Promise<void>((resolve) => (release = resolve));
        state = 'finished';
      },
    });
    await queue.enqueue('stuck', {});
    await waitFor('the job to start', () => state === 'running');
    await queue.close({ force: true });
    expect(state).toBe('running');
    await expect(queue.enqueue('stuck', {})).rejects.toBeInstanceOf(JobQueueClosedError);
    release();
  });

  it('does not hand a job that runs longer than its lease to another worker (the lease is renewed)', async () => {
    let runs = 0;
    const handlers = {
      long: async () => {
        runs++;
        await sleep(3000);
      },
    };
    // Three leases long, and a lease long enough that a busy machine still renews it in time.
    const [a, b] = [await target.open({ lockMs: 1000 }), await target.open({ lockMs: 1000 })];
    await a.process(handlers);
    await b.process(handlers);
    await a.enqueue('long', {});
    await waitFor('the job to start', () => runs === 1);
    await a.whenIdle();
    expect(runs).toBe(1);
  });

  it(
    'runs a job again in a new process after its worker was killed with SIGKILL mid-job',
    { timeout: 4 * PROCESS_LIMIT_MS },
    async () => {
      const producer = await target.open();
      const first = await workers.start({ JOB_MS: '60000', LOCK_MS: '1000' });
      await producer.enqueue('slow', {}, { jobId: 'crash-1' });
      await waitFor('the start marker', () => workers.markers().some((m) => m.event === 'start'));
      await workers.stop(first, 'SIGKILL');
      const second = await workers.start({ JOB_MS: '100', LOCK_MS: '1000' });
      await waitFor(
        'the job to end',
        () => workers.markers().some((m) => m.event === 'end'),
        PROCESS_LIMIT_MS,
      );
      const seen = workers
        .markers()
        .map((m) => [m.event, m.pid === first.pid ? 'first' : 'second', m.attempt]);
      expect(seen).toEqual([
        ['start', 'first', 1],
        ['start', 'second', 2],
        ['end', 'second', 2],
      ]);
      await workers.stop(second);
    },
  );

  it(
    'never runs one job in two processes at once when they share the store, and runs every job',
    { timeout: 4 * PROCESS_LIMIT_MS },
    async () => {
      const producer = await target.open();
      const env = { JOB_MS: '30', LOCK_MS: '3000', CONCURRENCY: '2' };
      const processes = await Promise.all([workers.start(env), workers.start(env)]);
      const ids = Array.from({ length: 60 }, (_, i) => `job-${i}`);
      await Promise.all(ids.map((id) => producer.enqueue('slow', { id }, { jobId: id })));
      const ended = () => new Set(workers.markers().flatMap((m) => (m.event === 'end' ? [m.id] : [])));
      await waitFor('every job to end', () => ended().size === ids.length, PROCESS_LIMIT_MS);
      await Promise.all(processes.map((p) => workers.stop(p)));
      const markers = workers.markers();
      for (const id of ids) {
        const runs = intervals(markers.filter((m) => m.id === id));
        expect(overlapping(runs), `job ${id} ran twice at once: ${JSON.stringify(runs)}`).toBe(false);
        expect(runs, `job ${id}`).toHaveLength(1);
      }
      expect(new Set(markers.map((m) => m.pid)).size, 'both processes took jobs').toBe(2);
    },
  );
}

/** Pairs each start marker with the end marker of the same process and try. */
function intervals(markers: Marker[]): { pid: number; start: number; end: number }[] {
  return markers
    .filter((m) => m.event === 'start')
    .map((s) => {
      const end = markers.find((m) => m.event === 'end' && m.pid === s.pid && m.attempt === s.attempt);
      return { pid: s.pid, start: s.at, end: end?.at ?? Infinity };
    });
}

function overlapping(runs: { start: number; end: number }[]): boolean {
  return runs.some((a, i) => runs.some((b, j) => i !== j && a.start < b.end && b.start < a.end));
}

describe('queue contract: SQL driver on SQLite', () => queueContract(sqlTarget('sqlite')));
describe.skipIf(!postgresAvailable)('queue contract: SQL driver on PostgreSQL', () =>
  queueContract(sqlTarget('postgres')),
);
describe.skipIf(!redisAvailable)('queue contract: BullMQ on Redis', () => queueContract(bullmqTarget()));
