import { TypeOrmJobStore } from '../../src/storage/repositories/job-store.js';
/** The backends the queue contract runs against: each makes a fresh, isolated store and cleans it up. */
import type { JobQueue } from '../../src/ports/queue.js';
import { BullMqJobQueue } from '../../src/queue/bullmq-job-queue.js';
import { SqlJobQueue } from '../../src/queue/sql-job-queue.js';
import { Database } from '../../src/storage/database.js';
import { freshTarget, REDIS_URL, redisPrefix, removeRedisKeys } from '../support/services.js';

export const QUEUE_NAME = 'contract';

export interface QueueTarget {
  /** Opens another queue object on the same store (a producer, or a second worker in this process). */
  open(options?: { lockMs?: number }): Promise<JobQueue>;
  /** Environment that points test/queue/fixtures/queue-worker.ts at the same store. */
  childEnv: Record<string, string>;
  /** Closes every queue opened here and removes the store. */
  cleanup(): Promise<void>;
}

export type QueueTargetFactory = () => Promise<QueueTarget>;

/** The SQL driver on a fresh SQLite file or PostgreSQL schema. */
export function sqlTarget(kind: 'sqlite' | 'postgres'): QueueTargetFactory {
  return async () => {
    const fresh = await freshTarget(kind);
    const db = await Database.open(fresh.target);
    const opened: JobQueue[] = [];
    return {
      open: async ({ lockMs = 1000 } = {}) => {
        const queue = new SqlJobQueue({
          store: new TypeOrmJobStore(db),
          queueName: QUEUE_NAME,
          pollIntervalMs: 50,
          lockMs,
        });
        opened.push(queue);
        return queue;
      },
      childEnv: { DATABASE_URL: fresh.url },
      cleanup: async () => {
        await Promise.all(opened.map((q) => q.close()));
        await db.close();
        await fresh.cleanup();
      },
    };
  };
}

/** The BullMQ driver on the local Redis under a random key prefix. */
export function bullmqTarget(): QueueTargetFactory {
  return async () => {
    const prefix = redisPrefix('queue');
    const opened: JobQueue[] = [];
    return {
      open: async ({ lockMs = 1000 } = {}) => {
        const queue = await BullMqJobQueue.open({
          redisUrl: REDIS_URL,
          queueName: QUEUE_NAME,
          prefix,
          lockDurationMs: lockMs,
          stalledIntervalMs: 500,
        });
        opened.push(queue);
        return queue;
      },
      childEnv: { REDIS_URL, QUEUE_PREFIX: prefix },
      cleanup: async () => {
        await Promise.all(opened.map((q) => q.close()));
        await removeRedisKeys(prefix);
      },
    };
  };
}
