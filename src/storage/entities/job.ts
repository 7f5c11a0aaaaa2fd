import { EntitySchema } from '../typeorm.js';
import type { JobRecord } from '../../ports/job-store.js';

/**
 * A durable job of the SQL queue driver. Times are epoch milliseconds (bigint) rather than
 * timestamp columns so that the claim query compares plain numbers the same way on SQLite and
 * PostgreSQL. The key is (queue_name, id): a job id is unique within its queue, as in BullMQ.
 */
export const JobEntity = new EntitySchema<JobRecord>({
  name: 'Job',
  tableName: 'jobs',
  columns: {
    queueName: { name: 'queue_name', type: 'varchar', length: 100, primary: true },
    id: { type: 'varchar', length: 200, primary: true },
    name: { type: 'varchar', length: 100 },
    data: { type: 'text' },
    status: { type: 'varchar', length: 16 },
    runAt: { name: 'run_at', type: 'bigint' },
    attemptsMade: { name: 'attempts_made', type: 'integer' },
    maxAttempts: { name: 'max_attempts', type: 'integer' },
    backoffMs: { name: 'backoff_ms', type: 'integer' },
    lockedBy: { name: 'locked_by', type: 'varchar', length: 200, nullable: true },
    lockedUntil: { name: 'locked_until', type: 'bigint', nullable: true },
    lastError: { name: 'last_error', type: 'text', nullable: true },
    createdAt: { name: 'created_at', type: 'bigint' },
    updatedAt: { name: 'updated_at', type: 'bigint' },
  },
  indices: [
    { name: 'IDX_jobs_due', columns: ['queueName', 'status', 'runAt'] },
    { name: 'IDX_jobs_finished', columns: ['queueName', 'status', 'updatedAt'] },
  ],
});
