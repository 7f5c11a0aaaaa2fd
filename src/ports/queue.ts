/**
 * The queue port: one small contract that both drivers (BullMQ on Redis, durable jobs in the SQL
 * database) implement and that one contract test suite checks.
 */

/** Options for one job. */
export interface EnqueueOptions {
  /** Idempotency key: enqueuing the same id again while the job exists adds nothing. */
  jobId?: string;
  /** Run no earlier than this many milliseconds from now. */
  delayMs?: number;
  /** Total tries including the first (default 3). */
  attempts?: number;
  /** Base of the exponential backoff between tries, in ms (default 1000): base * 2^(try-1). */
  backoffMs?: number;
}

/** A job to add with `enqueueMany`. */
export interface NewJob<T = unknown> {
  name: string;
  data: T;
  options?: EnqueueOptions;
}

/** A job as a handler sees it. */
export interface Job<T = unknown> {
  id: string;
  name: string;
  data: T;
  /** 1 on the first try. */
  attempt: number;
}

export type JobHandler<T = unknown> = (job: Job<T>) => Promise<void>;

/** Thrown by a handler when trying again cannot help; the job fails at once. */
export class UnrecoverableJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnrecoverableJobError';
  }
}

export interface WorkerOptions {
  /** Jobs run at the same time by this process (default 1). */
  concurrency?: number;
}

/** How many jobs a queue holds, by state (for /metrics). */
export interface QueueCounts {
  /** Due now, not yet started. */
  waiting: number;
  /** Due later. */
  delayed: number;
  active: number;
  /** Gave up after the last try (kept for inspection). */
  failed: number;
}

/** A stored job as an access request shows it. */
export interface StoredJob {
  id: string;
  name: string;
  status: string;
  data: unknown;
}

export interface JobQueue {
  readonly driver: 'sql' | 'bullmq';
  /** Adds a job; resolves to its id (the given `jobId` or a generated one). */
  enqueue<T>(name: string, data: T, options?: EnqueueOptions): Promise<string>;
  /**
   * Adds several jobs, each exactly as `enqueue` would (ids, delays, tries), in one round trip
   * where the driver can; resolves to their ids in order. Not all-or-nothing: after a failure
   * some may be in, so callers give them idempotent ids and enqueue them again.
   */
  enqueueMany(jobs: readonly NewJob[]): Promise<string[]>;
  /** Removes a job that has not started yet; false when there was none to remove. */
  cancel(jobId: string): Promise<boolean>;
  /** Starts running jobs in this process with the given handlers, one per job name. */
  process(handlers: Record<string, JobHandler<never>>, options?: WorkerOptions): Promise<void>;
  /** Resolves when no job is due or running (jobs delayed into the future do not count). */
  whenIdle(): Promise<void>;
  /** Throws when the backing store is unreachable. */
  ping(): Promise<void>;
  /**
   * Names the store's current lifetime: the same id for as long as no job can have been lost, a new
   * one once the store may have lost some (Redis restarted, failed over or was flushed). The sweeps
   * put back what a queue forgot only when this changed (and once an hour), not on every run.
   */
  lifetime(): Promise<string>;
  /** The queue's jobs by state. */
  counts(): Promise<QueueCounts>;
  /**
   * Stops taking jobs, waits for running ones to finish, and releases connections. With `force`
   * (the store does not answer) it waits for nothing: running jobs run again once their lease ends.
   */
  close(options?: { force?: boolean }): Promise<void>;
  /** Retention: deletes (or, on a dry run, counts) completed and failed jobs finished before `olderThan`. */
  purgeFinished(olderThan: Date, options?: { dryRun?: boolean }): Promise<number>;
  /** Jobs of any status whose data holds one of `needles` (exact JSON strings, quotes included). */
  findByContent(needles: readonly string[]): Promise<StoredJob[]>;
  /** Removes every job not running now whose data holds one of `needles`; returns how many. */
  removeByContent(needles: readonly string[]): Promise<number>;
}
