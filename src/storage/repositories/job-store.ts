import type { EntityManager } from 'typeorm';
import type { Database } from '../database.js';
import type {
  ClaimRequest,
  HeldJob,
  JobRecord,
  JobStatus,
  JobStore,
  NewJobRecord,
} from '../../ports/job-store.js';

type Row = Record<string, string | number | null | undefined>;

const HELD = `queue_name = $1 AND id = $2 AND locked_by = $3 AND status = 'active'`;

/**
 * The `jobs` table through TypeORM. Every operation is ONE SQL statement, so it is atomic on its
 * own: on PostgreSQL the claim locks its row with FOR UPDATE SKIP LOCKED (other claimers skip it);
 * on SQLite the UPDATE ... WHERE id = (SELECT ...) runs under the file's single writer lock.
 */
export class TypeOrmJobStore implements JobStore {
  constructor(private readonly db: Database) {}

  async insertIfAbsent(job: NewJobRecord): Promise<boolean> {
    const rows = await this.write(
      `INSERT INTO jobs (queue_name, id, name, data, status, run_at, attempts_made, max_attempts, backoff_ms,
         created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'waiting', $5, 0, $6, $7, $8, $8)
       ON CONFLICT (queue_name, id) DO NOTHING RETURNING id`,
      [job.queueName, job.id, job.name, job.data, job.runAt, job.maxAttempts, job.backoffMs, job.now],
    );
    return rows.length === 1;
  }

  async claim(request: ClaimRequest): Promise<JobRecord | undefined> {
    const skipLocked = this.db.kind === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const rows = await this.write(
      `UPDATE jobs SET status = 'active', locked_by = $2, locked_until = $4,
         attempts_made = attempts_made + 1, updated_at = $3
       WHERE queue_name = $1 AND id = (
         SELECT id FROM jobs
         WHERE queue_name = $1
           AND ((status = 'waiting' AND run_at <= $3) OR (status = 'active' AND locked_until < $3))
         ORDER BY run_at, created_at LIMIT 1 ${skipLocked})
       RETURNING *`,
      [request.queueName, request.workerId, request.now, request.lockedUntil],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async renewLease(job: HeldJob, lockedUntil: number): Promise<boolean> {
    return this.updateHeld(job, `locked_until = $5`, [lockedUntil]);
  }

  async complete(job: HeldJob): Promise<boolean> {
    return this.updateHeld(job, `status = 'completed', locked_by = NULL, locked_until = NULL`, []);
  }

  async retryLater(job: HeldJob, runAt: number, error: string): Promise<boolean> {
    return this.updateHeld(
      job,
      `status = 'waiting', run_at = $5, last_error = $6, locked_by = NULL, locked_until = NULL`,
      [runAt, error],
    );
  }

  async fail(job: HeldJob, error: string): Promise<boolean> {
    return this.updateHeld(job, `status = 'failed', last_error = $5, locked_by = NULL, locked_until = NULL`, [
      error,
    ]);
  }

  async removeWaiting(queueName: string, id: string): Promise<boolean> {
    const rows = await this.write(
      `DELETE FROM jobs WHERE queue_name = $1 AND id = $2 AND status = 'waiting' RETURNING id`,
      [queueName, id],
    );
    return rows.length === 1;
  }

  async countBusy(queueName: string, now: number): Promise<number> {
    const rows = await this.read(
      `SELECT COUNT(*) AS n FROM jobs
       WHERE queue_name = $1 AND ((status = 'waiting' AND run_at <= $2) OR status = 'active')`,
      [queueName, now],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async find(queueName: string, id: string): Promise<JobRecord | undefined> {
    const rows = await this.read(`SELECT * FROM jobs WHERE queue_name = $1 AND id = $2`, [queueName, id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  async purgeFinished(queueName: string, olderThan: number): Promise<number> {
    const rows = await this.write(
      `DELETE FROM jobs WHERE queue_name = $1 AND status IN ('completed', 'failed') AND updated_at < $2
       RETURNING id`,
      [queueName, olderThan],
    );
    return rows.length;
  }

  async ping(): Promise<void> {
    await this.db.ping();
  }

  private async updateHeld(job: HeldJob, set: string, extra: unknown[]): Promise<boolean> {
    const rows = await this.write(`UPDATE jobs SET ${set}, updated_at = $4 WHERE ${HELD} RETURNING id`, [
      job.queueName,
      job.id,
      job.workerId,
      job.now,
      ...extra,
    ]);
    return rows.length === 1;
  }

  /** SQLite goes through a transaction so that Database retries a busy file; PostgreSQL autocommits. */
  private write(sql: string, params: unknown[]): Promise<Row[]> {
    const run = (m: EntityManager) => query(m, this.db.kind, sql, params);
    return this.db.kind === 'sqlite' ? this.db.transaction(run) : this.db.run(run);
  }

  private read(sql: string, params: unknown[]): Promise<Row[]> {
    return this.db.run((m) => query(m, this.db.kind, sql, params));
  }
}

/** Runs SQL written with PostgreSQL's $n placeholders on either database; returns the rows. */
async function query(
  m: EntityManager,
  kind: Database['kind'],
  sql: string,
  params: unknown[],
): Promise<Row[]> {
  let text = sql;
  let values = params;
  if (kind === 'sqlite') {
    // better-sqlite3 binds only plain `?` positionally, so expand $n in order of appearance.
    values = [];
    text = sql.replace(/\$(\d+)/g, (_, n: string) => {
      values.push(params[Number(n) - 1]);
      return '?';
    });
  }
  const result: unknown = await m.query(text, values);
  // TypeORM answers an UPDATE/DELETE on PostgreSQL with [rows, rowCount]; everything else with rows.
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as Row[];
  }
  return Array.isArray(result) ? (result as Row[]) : [];
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
