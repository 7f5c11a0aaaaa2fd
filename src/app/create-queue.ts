import type { JobQueue } from '../ports/queue.js';
import type { Clock } from '../shared/clock.js';
import type { Database } from '../storage/database.js';
import { SqlJobQueue } from '../queue/sql-job-queue.js';
import { TypeOrmJobStore } from '../storage/repositories/job-store.js';

export interface CreateJobQueueOptions {
  /** Set in the distributed mode: BullMQ on this Redis. Unset: durable jobs in `db`. */
  redisUrl?: string;
  db: Database;
  clock: Clock;
  queueName: string;
  /** BullMQ key prefix (default 'spreekuur'). */
  prefix?: string;
  /** Lease of a running job (default 30 s), in either driver. */
  lockMs?: number;
  /** BullMQ: how often stalled jobs are looked for (default 30 s). */
  stalledIntervalMs?: number;
  /** SQL: how often an idle worker polls (default 200 ms). */
  pollIntervalMs?: number;
  /** How long completed and failed jobs (and so their ids) are kept (default 7 days). */
  keepFinishedMs?: number;
  onError?: (error: unknown) => void;
}

/** Picks the queue driver for the mode: BullMQ when `redisUrl` is set, else the SQL driver. */
export async function createJobQueue(options: CreateJobQueueOptions): Promise<JobQueue> {
  const { redisUrl, db, clock, queueName, lockMs, keepFinishedMs, onError } = options;
  if (redisUrl) {
    const { prefix, stalledIntervalMs } = options;
    // Loaded only in the distributed mode: BullMQ and ioredis are a third of the modules a command
    // would otherwise load on start.
    const { BullMqJobQueue } = await import('../queue/bullmq-job-queue.js');
    return BullMqJobQueue.open({
      redisUrl,
      queueName,
      prefix,
      lockDurationMs: lockMs,
      stalledIntervalMs,
      keepFinishedMs,
      onError,
    });
  }
  return new SqlJobQueue({
    store: new TypeOrmJobStore(db),
    clock,
    queueName,
    lockMs,
    pollIntervalMs: options.pollIntervalMs,
    keepFinishedMs,
    onError,
  });
}
