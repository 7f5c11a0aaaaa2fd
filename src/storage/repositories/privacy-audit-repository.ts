import type { EntityManager } from 'typeorm';
import type { PurgeBatch } from '../../ports/personal-data.js';
import type { PrivacyAuditEntry, PrivacyAuditRepository } from '../../ports/privacy-audit-repository.js';
import { deleteBatch } from '../personal-data.js';
import { num, sql } from '../sql.js';

/** The privacy log in SQL. */
export class SqlPrivacyAuditRepository implements PrivacyAuditRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  async add(e: PrivacyAuditEntry): Promise<number> {
    const { rows } = await sql<{ id: unknown }>(
      this.m,
      this.kind,
      `INSERT INTO privacy_audit (at, action, actor, subject, dry_run, counts) VALUES (?, ?, ?, ?, ?, ?)
       RETURNING id`,
      [e.at.getTime(), e.action, e.actor, e.subject ?? null, e.dryRun ? 1 : 0, JSON.stringify(e.counts)],
    );
    return num(rows[0]?.id);
  }

  async recount(id: number, counts: PrivacyAuditEntry['counts']): Promise<void> {
    await sql(this.m, this.kind, `UPDATE privacy_audit SET counts = ? WHERE id = ?`, [
      JSON.stringify(counts),
      id,
    ]);
  }

  async list(limit: number): Promise<PrivacyAuditEntry[]> {
    const { rows } = await sql(this.m, this.kind, `SELECT * FROM privacy_audit ORDER BY id DESC LIMIT ?`, [
      limit,
    ]);
    return rows.map(toEntry);
  }

  async about(subject: string): Promise<PrivacyAuditEntry[]> {
    const { rows } = await sql(
      this.m,
      this.kind,
      `SELECT * FROM privacy_audit WHERE subject = ? ORDER BY id`,
      [subject],
    );
    return rows.map(toEntry);
  }

  purge(batch: PurgeBatch): Promise<number> {
    const select = `SELECT id FROM privacy_audit WHERE at < ? ORDER BY id`;
    return deleteBatch(this.m, this.kind, 'privacy_audit', 'id', select, [batch.before.getTime()], batch);
  }
}

function toEntry(row: Record<string, unknown>): PrivacyAuditEntry {
  const action = String(row.action) as PrivacyAuditEntry['action'];
  return {
    at: new Date(num(row.at)),
    action,
    actor: String(row.actor),
    ...(typeof row.subject === 'string' ? { subject: row.subject } : {}),
    dryRun: num(row.dry_run) === 1,
    counts: JSON.parse(String(row.counts)) as PrivacyAuditEntry['counts'],
  };
}
