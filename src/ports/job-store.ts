/**
 * The store behind the SQL job queue: a few atomic operations on the `jobs` table. The driver
 * (sql-job-queue.ts) holds the logic; a store only has to make each operation atomic across
 * processes sharing one database. Times are milliseconds since the epoch, taken from the
 * driver's Clock, so a ManualClock drives delays and leases in tests.
 */

export type JobStatus = 'waiting' | 'active' | 'completed' | 'failed';

/** One row of the `jobs` table. */
export interface JobRecord {
  queueName: string;
  id: string;
  name: string;
  /** JSON text of the job's data. */
  data: string;
  status: JobStatus;
  runAt: number;
  /** Tries started so far (a claim counts one, also when its worker then died). */
  attemptsMade: number;
  maxAttempts: number;
  backoffMs: number;
  lockedBy: string | null;
  lockedUntil: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

/** What `insertIfAbsent` needs to add a job. */
export interface NewJobRecord {
  queueName: string;
  id: string;
  name: string;
  data: string;
  runAt: number;
  maxAttempts: number;
  backoffMs: number;
  now: number;
}

/** A claim: who takes the next job, when, and until when the lease holds. */
export interface ClaimRequest {
  queueName: string;
  workerId: string;
  now: number;
  lockedUntil: number;
}

/** Identifies a job held by one worker; updates by anyone else (a lost lease) change nothing. */
export interface HeldJob {
  queueName: string;
  id: string;
  workerId: string;
  now: number;
}

export interface JobStore {
  /** Adds the job unless a job with this id exists in the queue (any status); true when added. */
  insertIfAbsent(job: NewJobRecord): Promise<boolean>;
  /**
   * Adds the jobs as `insertIfAbsent` would one after the other, all in one transaction (one commit
   * for a case's timers, not one each); returns the ids added.
   */
  insertManyIfAbsent(jobs: readonly NewJobRecord[]): Promise<string[]>;
  /**
   * Atomically takes the next due waiting job, or an active one whose lease expired (its worker
   * died), marks it active for `workerId` and counts the attempt. Two claims never get one job.
   */
  claim(request: ClaimRequest): Promise<JobRecord | undefined>;
  /** Extends the lease of a running job; false when this worker no longer holds it. */
  renewLease(job: HeldJob, lockedUntil: number): Promise<boolean>;
  /** Marks a held job completed; false when this worker no longer holds it. */
  complete(job: HeldJob): Promise<boolean>;
  /** Puts a held job back to waiting until `runAt`, recording the error. */
  retryLater(job: HeldJob, runAt: number, error: string): Promise<boolean>;
  /** Marks a held job failed for good, recording the error. */
  fail(job: HeldJob, error: string): Promise<boolean>;
  /** Deletes a job that is waiting (due or delayed); false when there was none. */
  removeWaiting(queueName: string, id: string): Promise<boolean>;
  /** Counts jobs that are waiting and due at `now`, or active. */
  countBusy(queueName: string, now: number): Promise<number>;
  /** Jobs by state: waiting (due), delayed (due later), active, failed. */
  countByState(
    queueName: string,
    now: number,
  ): Promise<{ waiting: number; delayed: number; active: number; failed: number }>;
  /** Reads one job (for inspection and tests). */
  find(queueName: string, id: string): Promise<JobRecord | undefined>;
  /** Deletes completed and failed jobs last updated before `olderThan`; returns how many. */
  purgeFinished(queueName: string, olderThan: number): Promise<number>;
  /** Counts what `purgeFinished` would delete. */
  countFinished(queueName: string, olderThan: number): Promise<number>;
  /** Jobs whose data holds one of `needles`. */
  findByContent(queueName: string, needles: readonly string[]): Promise<JobRecord[]>;
  /** Deletes jobs that are not active whose data holds one of `needles`; returns how many. */
  removeByContent(queueName: string, needles: readonly string[]): Promise<number>;
  /** Throws when the database does not answer. */
  ping(): Promise<void>;
}
