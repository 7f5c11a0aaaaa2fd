import type { EntityManager } from 'typeorm';
import type { Database } from '../database.js';
import { sql } from '../sql.js';
import { holdsAny } from '../personal-data.js';
import type {
  ClaimRequest,
  HeldJob,
  JobRecord,
  JobStatus,
  JobStore,
  NewJobRecord,
} from '../../ports/job-store.js';

type Row = Record<string, string | number | null | undefined>;

/**
 * The id of the job a worker takes next: a waiting job that is due, or an active one whose lease ran
 * out, earliest first; parameters: queue, now, queue, now. On PostgreSQL one OR, which its planner
 * (tables analysed by autovacuum) runs as two index lookups, locking the row (SKIP LOCKED: other
 * claimers pass it). SQLite has no statistics (nothing runs ANALYZE), and for the OR it then chose to
 * read every job of the queue, finished ones and timers days ahead included, and sort them: 1.6 ms
 * a claim with 26,000 jobs in the table, growing with it. Each half on its own takes the index on
 * (queue, status, run_at) whatever the statistics say: some 50 µs at any size.
 */
export function nextJobSql(kind: 'sqlite' | 'postgres'): string {
  if (kind === 'postgres') {
    return `SELECT id FROM jobs
      WHERE (queue_name = ? AND status = 'waiting' AND run_at <= ?)
         OR (queue_name = ? AND status = 'active' AND locked_until < ?)
      ORDER BY run_at, created_at LIMIT 1 FOR UPDATE SKIP LOCKED`;
  }
  return `SELECT id FROM (
      SELECT * FROM (SELECT id, run_at, created_at FROM jobs
        WHERE queue_name = ? AND status = 'waiting' AND run_at <= ? ORDER BY run_at, created_at LIMIT 1)
      UNION ALL
      SELECT * FROM (SELECT id, run_at, created_at FROM jobs
        WHERE queue_name = ? AND status = 'active' AND locked_until < ? ORDER BY run_at, created_at LIMIT 1))
    ORDER BY run_at, created_at LIMIT 1`;
}

const HELD = `queue_name = ? AND id = ? AND locked_by = ? AND status = 'active'`;

/** Jobs per INSERT of insertManyIfAbsent: 9 values each, well within SQLite's limit on bound values. */
const JOBS_PER_INSERT = 100;

/** The INSERT of `count` jobs that skips an id the queue holds; returns the ids it added. */
function insertJobs(count: number): string {
  const row = `(?, ?, ?, ?, 'waiting', ?, 0, ?, ?, ?, ?)`;
  return `INSERT INTO jobs (queue_name, id, name, data, status, run_at, attempts_made, max_attempts, backoff_ms,
      created_at, updated_at)
    VALUES ${Array.from({ length: count }, () => row).join(', ')}
    ON CONFLICT (queue_name, id) DO NOTHING RETURNING id`;
}

function valuesOf(job: NewJobRecord): unknown[] {
  const { queueName, id, name, data, runAt, maxAttempts, backoffMs, now } = job;
  return [queueName, id, name, data, runAt, maxAttempts, backoffMs, now, now];
}

/**
 * The `jobs` table through TypeORM. Every operation is ONE SQL statement, so it is atomic on its
 * own: on PostgreSQL the claim locks its row with FOR UPDATE SKIP LOCKED (other claimers skip it);
 * on SQLite the UPDATE ... WHERE id = (SELECT ...) runs under the file's single writer lock.
 */
export class TypeOrmJobStore implements JobStore {
  constructor(private readonly db: Database) {}

  async insertIfAbsent(job: NewJobRecord): Promise<boolean> {
    const rows = await this.write(insertJobs(1), valuesOf(job));
    return rows.length === 1;
  }

  async insertManyIfAbsent(jobs: readonly NewJobRecord[]): Promise<string[]> {
    // The first of two jobs with one id wins, as when added one after the other.
    const seen = new Set<string>();
    const unique = jobs.filter((job) => {
      const key = JSON.stringify([job.queueName, job.id]);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const chunks: NewJobRecord[][] = [];
    for (let i = 0; i < unique.length; i += JOBS_PER_INSERT)
      chunks.push(unique.slice(i, i + JOBS_PER_INSERT));
    if (chunks.length === 0) return [];
    const insert = async (m: EntityManager) => {
      const added: string[] = [];
      for (const chunk of chunks) {
        const { rows } = await sql<Row>(m, this.db.kind, insertJobs(chunk.length), chunk.flatMap(valuesOf));
        added.push(...rows.map((r) => String(r.id)));
      }
      return added;
    };
    // One statement autocommits on PostgreSQL; SQLite goes through a transaction (see `write`).
    return this.db.kind === 'sqlite' || chunks.length > 1 ? this.db.transaction(insert) : this.db.run(insert);
  }

  async claim(request: ClaimRequest): Promise<JobRecord | undefined> {
    const { queueName, workerId, now, lockedUntil } = request;
    const rows = await this.write(
      `UPDATE jobs SET status = 'active', locked_by = ?, locked_until = ?,
         attempts_made = attempts_made + 1, updated_at = ?
       WHERE queue_name = ? AND id = (${nextJobSql(this.db.kind)})
       RETURNING *`,
      [workerId, lockedUntil, now, queueName, queueName, now, queueName, now],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async renewLease(job: HeldJob, lockedUntil: number): Promise<boolean> {
    return this.updateHeld(job, `locked_until = ?`, [lockedUntil]);
  }

  async complete(job: HeldJob): Promise<boolean> {
    return this.updateHeld(job, `status = 'completed', locked_by = NULL, locked_until = NULL`, []);
  }

  async retryLater(job: HeldJob, runAt: number, error: string): Promise<boolean> {
    return this.updateHeld(
      job,
      `status = 'waiting', run_at = ?, last_error = ?, locked_by = NULL, locked_until = NULL`,
      [runAt, error],
    );
  }

  async fail(job: HeldJob, error: string): Promise<boolean> {
    return this.updateHeld(job, `status = 'failed', last_error = ?, locked_by = NULL, locked_until = NULL`, [
      error,
    ]);
  }

  async removeWaiting(queueName: string, id: string): Promise<boolean> {
    const rows = await this.write(
      `DELETE FROM jobs WHERE queue_name = ? AND id = ? AND status = 'waiting' RETURNING id`,
      [queueName, id],
    );
    return rows.length === 1;
  }

  async countBusy(queueName: string, now: number): Promise<number> {
    const rows = await this.read(
      `SELECT COUNT(*) AS n FROM jobs
       WHERE queue_name = ? AND ((status = 'waiting' AND run_at <= ?) OR status = 'active')`,
      [queueName, now],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async countByState(
    queueName: string,
    now: number,
  ): Promise<{ waiting: number; delayed: number; active: number; failed: number }> {
    const rows = await this.read(
      `SELECT CASE WHEN status = 'waiting' AND run_at > ? THEN 'delayed' ELSE status END AS state, COUNT(*) AS n
       FROM jobs WHERE queue_name = ? AND status IN ('waiting', 'active', 'failed') GROUP BY 1`,
      [now, queueName],
    );
    const counts = { waiting: 0, delayed: 0, active: 0, failed: 0 };
    for (const row of rows) {
      const state = String(row.state);
      if (state in counts) counts[state as keyof typeof counts] = Number(row.n);
    }
    return counts;
  }

  async find(queueName: string, id: string): Promise<JobRecord | undefined> {
    const rows = await this.read(`SELECT * FROM jobs WHERE queue_name = ? AND id = ?`, [queueName, id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async purgeFinished(queueName: string, olderThan: number): Promise<number> {
    const rows = await this.write(
      `DELETE FROM jobs WHERE queue_name = ? AND status IN ('completed', 'failed') AND updated_at < ?
       RETURNING id`,
      [queueName, olderThan],
    );
    return rows.length;
  }

  async countFinished(queueName: string, olderThan: number): Promise<number> {
    const rows = await this.read(
      `SELECT COUNT(*) AS n FROM jobs WHERE queue_name = ? AND status IN ('completed', 'failed') AND updated_at < ?`,
      [queueName, olderThan],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async findByContent(queueName: string, needles: readonly string[]): Promise<JobRecord[]> {
    const rows = await this.read(
      `SELECT * FROM jobs WHERE queue_name = ? AND ${holdsAny(this.db.kind, 'data', needles)} ORDER BY created_at`,
      [queueName, ...needles],
    );
    return rows.map(toRecord);
  }

  async removeByContent(queueName: string, needles: readonly string[]): Promise<number> {
    const rows = await this.write(
      `DELETE FROM jobs WHERE queue_name = ? AND status <> 'active' AND ${holdsAny(this.db.kind, 'data', needles)}
       RETURNING id`,
      [queueName, ...needles],
    );
    return rows.length;
  }

  async ping(): Promise<void> {
    await this.db.ping();
  }

  /** Runs `UPDATE … SET <set>` on a job this worker holds; `set` has its own placeholders first. */
  private async updateHeld(job: HeldJob, set: string, values: unknown[]): Promise<boolean> {
    const rows = await this.write(`UPDATE jobs SET ${set}, updated_at = ? WHERE ${HELD} RETURNING id`, [
      ...values,
      job.now,
      job.queueName,
      job.id,
      job.workerId,
    ]);
    return rows.length === 1;
  }

  /** SQLite goes through a transaction so that Database retries a busy file; PostgreSQL autocommits. */
  private async write(text: string, params: unknown[]): Promise<Row[]> {
    const run = async (m: EntityManager) => (await sql<Row>(m, this.db.kind, text, params)).rows;
    return this.db.kind === 'sqlite' ? this.db.transaction(run) : this.db.run(run);
  }

  private async read(text: string, params: unknown[]): Promise<Row[]> {
    return this.db.run(async (m) => (await sql<Row>(m, this.db.kind, text, params)).rows);
  }
}

function toRecord(row: Row): JobRecord {
  const nullableNumber = (v: Row[string]) => (v === null || v === undefined ? null : Number(v));
  const nullableText = (v: Row[string]) => (v === null || v === undefined ? null : String(v));
  return {
    queueName: String(row.queue_name),
    id: String(row.id),
    name: String(row.name),
    data: String(row.data),
    status: String(row.status) as JobStatus,
    runAt: Number(row.run_at),
    attemptsMade: Number(row.attempts_made),
    maxAttempts: Number(row.max_attempts),
    backoffMs: Number(row.backoff_ms),
    lockedBy: nullableText(row.locked_by),
    lockedUntil: nullableNumber(row.locked_until),
    lastError: nullableText(row.last_error),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
