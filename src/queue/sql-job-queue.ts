import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setImmediate } from 'node:timers/promises';
import type {
  EnqueueOptions,
  JobHandler,
  JobQueue,
  NewJob,
  QueueCounts,
  StoredJob,
  WorkerOptions,
} from '../ports/queue.js';
import type { Clock } from '../shared/clock.js';
import { systemClock } from '../shared/clock.js';
import { JobQueueClosedError } from './errors.js';
import type { HeldJob, JobRecord, JobStore, NewJobRecord } from '../ports/job-store.js';
import { backoffDelay, describeError, isUnrecoverable, resolveJobOptions } from './job-options.js';

export interface SqlJobQueueOptions {
  /** Where the jobs are kept (the `jobs` table through storage's TypeOrmJobStore). Not closed by `close()`. */
  store: JobStore;
  clock?: Clock;
  queueName: string;
  /** How often an idle worker looks for due jobs (default 200 ms); enqueue and `poke()` wake it at once. */
  pollIntervalMs?: number;
  /** Lease of a running job (default 30 s), renewed every third of it while the job runs. */
  lockMs?: number;
  /** Names this process in `locked_by`; unique per process by default. */
  workerId?: string;
  /** Completed and failed jobs are kept this long (default 7 days) so their ids stay taken. */
  keepFinishedMs?: number;
  /** Where errors of the store go while the worker runs (default: console.error). */
  onError?: (error: unknown) => void;
}

const PURGE_EVERY_MS = 60 * 60 * 1000;

/**
 * Durable jobs in the SQL database, for the embedded mode. Any number of processes may share the
 * database: a claim is one atomic statement, and a job whose worker died is claimed again once its
 * lease runs out. An id stays taken while its row exists (also completed or failed, as in BullMQ),
 * until `purgeFinished` removes it.
 */
export class SqlJobQueue implements JobQueue {
  readonly driver = 'sql' as const;
  readonly queueName: string;
  readonly workerId: string;
  private readonly store: JobStore;
  private readonly clock: Clock;
  private readonly pollIntervalMs: number;
  private readonly lockMs: number;
  private readonly keepFinishedMs: number;
  private readonly onError: (error: unknown) => void;
  private handlers: Record<string, JobHandler<never>> | undefined;
  private concurrency = 1;
  private readonly running = new Set<Promise<void>>();
  private loop: Promise<void> | undefined;
  private closed = false;
  private wakeUp: (() => void) | undefined;
  /** A poke that came while the loop was not napping; the next nap returns at once. */
  private poked = false;
  private nextPurgeAt = 0;

  constructor(options: SqlJobQueueOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.queueName = options.queueName;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.lockMs = options.lockMs ?? 30_000;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.keepFinishedMs = options.keepFinishedMs ?? 7 * 24 * 60 * 60 * 1000;
    this.onError = options.onError ?? ((error) => console.error(`[queue ${this.queueName}]`, error));
  }

  async enqueue<T>(name: string, data: T, options?: EnqueueOptions): Promise<string> {
    if (this.closed) throw new JobQueueClosedError(this.queueName);
    const job = this.record({ name, data, ...(options ? { options } : {}) }, this.now());
    await this.store.insertIfAbsent(job);
    this.poke();
    return job.id;
  }

  async enqueueMany(jobs: readonly NewJob[]): Promise<string[]> {
    if (this.closed) throw new JobQueueClosedError(this.queueName);
    if (jobs.length === 0) return [];
    const now = this.now();
    const records = jobs.map((job) => this.record(job, now));
    // One transaction for all (a case's three timers were three commits, each some 100 µs on SQLite).
    await this.store.insertManyIfAbsent(records);
    this.poke();
    return records.map((r) => r.id);
  }

  private record(job: NewJob, now: number): NewJobRecord {
    const resolved = resolveJobOptions(job.options);
    return {
      queueName: this.queueName,
      id: job.options?.jobId ?? randomUUID(),
      name: job.name,
      data: JSON.stringify(job.data ?? null),
      runAt: now + resolved.delayMs,
      maxAttempts: resolved.attempts,
      backoffMs: resolved.backoffMs,
      now,
    };
  }

  cancel(jobId: string): Promise<boolean> {
    return this.store.removeWaiting(this.queueName, jobId);
  }

  process(handlers: Record<string, JobHandler<never>>, options: WorkerOptions = {}): Promise<void> {
    if (this.closed) return Promise.reject(new JobQueueClosedError(this.queueName));
    if (this.loop) return Promise.reject(new Error(`Job queue ${this.queueName} is already processing`));
    this.handlers = handlers;
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.loop = this.runLoop();
    return Promise.resolve();
  }

  /** Makes an idle worker look for due jobs now (e.g. after advancing a ManualClock). */
  poke(): void {
    this.wake();
  }

  async whenIdle(): Promise<void> {
    for (;;) {
      if (this.running.size === 0 && (await this.store.countBusy(this.queueName, this.now())) === 0) return;
      this.poke();
      await sleep(Math.min(this.pollIntervalMs, 25));
    }
  }

  ping(): Promise<void> {
    return this.store.ping();
  }

  /** SQL jobs are kept with the data (one backup, one restore): this store never loses some alone. */
  lifetime(): Promise<string> {
    return Promise.resolve('sql');
  }

  counts(): Promise<QueueCounts> {
    return this.store.countByState(this.queueName, this.now());
  }

  /** Stops claiming, waits for running jobs (unless forced); the database stays open (it belongs to the caller). */
  async close(options: { force?: boolean } = {}): Promise<void> {
    this.closed = true;
    this.poke();
    await this.loop;
    if (!options.force) await Promise.all([...this.running]);
  }

  /** Deletes completed and failed jobs last touched before `olderThan`, freeing their ids. */
  purgeFinished(olderThan: Date, options: { dryRun?: boolean } = {}): Promise<number> {
    return options.dryRun
      ? this.store.countFinished(this.queueName, olderThan.getTime())
      : this.store.purgeFinished(this.queueName, olderThan.getTime());
  }

  async findByContent(needles: readonly string[]): Promise<StoredJob[]> {
    const records = await this.store.findByContent(this.queueName, needles);
    return records.map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      data: JSON.parse(r.data) as unknown,
    }));
  }

  removeByContent(needles: readonly string[]): Promise<number> {
    return this.store.removeByContent(this.queueName, needles);
  }

  /** Reads one job's row (for inspection and tests). */
  inspect(jobId: string): Promise<JobRecord | undefined> {
    return this.store.find(this.queueName, jobId);
  }

  private async runLoop(): Promise<void> {
    while (!this.closed) {
      if (this.running.size >= this.concurrency) {
        await this.nap(this.pollIntervalMs);
        continue;
      }
      const record = await this.claimNext();
      if (!record) {
        await this.nap(this.pollIntervalMs);
        continue;
      }
      this.start(record);
      // SQLite answers without waiting for I/O, so claims and jobs would follow each other on
      // promise callbacks alone: a burst of due jobs (a broadcast, the timers after a restart) held
      // off every timer, HTTP request and channel poll until it ended (3,000 jobs: 2 s without one
      // timer tick). Each claim waits for the event loop's next turn.
      await setImmediate();
    }
  }

  private async claimNext(): Promise<JobRecord | undefined> {
    const now = this.now();
    try {
      const record = await this.store.claim({
        queueName: this.queueName,
        workerId: this.workerId,
        now,
        lockedUntil: now + this.lockMs,
      });
      if (!record && now >= this.nextPurgeAt) {
        this.nextPurgeAt = now + PURGE_EVERY_MS;
        await this.store.purgeFinished(this.queueName, now - this.keepFinishedMs);
      }
      return record;
    } catch (error) {
      // The database may be briefly away; the loop tries again after a nap instead of dying.
      this.onError(error);
      return undefined;
    }
  }

  private start(record: JobRecord): void {
    const run: Promise<void> = this.execute(record)
      .catch((error: unknown) => this.onError(error))
      .finally(() => {
        this.running.delete(run);
        this.poke();
      });
    this.running.add(run);
  }

  private async execute(record: JobRecord): Promise<void> {
    const held = (): HeldJob => ({
      queueName: this.queueName,
      id: record.id,
      workerId: this.workerId,
      now: this.now(),
    });
    if (record.attemptsMade > record.maxAttempts) {
      // Claimed again after its worker died on the last try: a job that kills its process must not loop.
      await this.store.fail(held(), record.lastError ?? 'its worker stopped during the last try');
      return;
    }
    const handler = this.handlers?.[record.name];
    if (!handler) {
      await this.store.fail(held(), `no handler for job name ${record.name}`);
      return;
    }
    const outcome = await this.withHeartbeat(record, () =>
      handler({
        id: record.id,
        name: record.name,
        data: JSON.parse(record.data) as never,
        attempt: record.attemptsMade,
      }),
    );
    if (outcome.ok) await this.store.complete(held());
    else if (isUnrecoverable(outcome.error) || record.attemptsMade >= record.maxAttempts) {
      await this.store.fail(held(), describeError(outcome.error));
    } else {
      const runAt = this.now() + backoffDelay(record.backoffMs, record.attemptsMade);
      await this.store.retryLater(held(), runAt, describeError(outcome.error));
    }
  }

  /** Runs the handler while renewing the job's lease, so a long job is not taken for a dead one. */
  private async withHeartbeat(
    record: JobRecord,
    fn: () => Promise<void>,
  ): Promise<{ ok: true } | { ok: false; error: unknown }> {
    const renew = () => {
      const now = this.now();
      const job = { queueName: this.queueName, id: record.id, workerId: this.workerId, now };
      this.store.renewLease(job, now + this.lockMs).catch((error: unknown) => this.onError(error));
    };
    const timer = setInterval(renew, Math.max(10, Math.floor(this.lockMs / 3)));
    try {
      await fn();
      return { ok: true };
    } catch (error) {
      return { ok: false, error };
    } finally {
      clearInterval(timer);
    }
  }

  /** Sleeps up to `ms`, or until poke() (an enqueue, a finished job, close), also one that came early. */
  private nap(ms: number): Promise<void> {
    if (this.poked) {
      this.poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wake(), ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.poked = false;
        resolve();
      };
    });
  }

  private wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.poked = true;
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
