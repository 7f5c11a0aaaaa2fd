import type { EntityManager } from 'typeorm';
import type { AuditEntry, AuditRecord, AuditRepository } from '../../ports/audit-repository.js';
import { chainHash, firstBreak, GENESIS_HASH, type ChainBreak } from '../../shared/hash-chain.js';
import { inTransaction, num, sql } from '../sql.js';

interface AuditRow {
  seq: unknown;
  at: unknown;
  actor: string;
  action: string;
  subject: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

const COLUMNS = 'seq, at, actor, action, subject, detail, prev_hash, hash';

function toRecord(r: AuditRow): AuditRecord {
  let detail: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(r.detail);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      detail = parsed as Record<string, unknown>;
  } catch {
    // A line whose detail is not JSON any more was tampered with; its hash check says so.
    detail = { unreadable: r.detail };
  }
  return {
    seq: num(r.seq),
    at: new Date(num(r.at)),
    actor: r.actor,
    action: r.action,
    subject: r.subject,
    detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

/** An arbitrary but fixed number: the PostgreSQL advisory lock that serialises appends. */
const APPEND_LOCK = 731_220_011;

/** The audit log as a keyed hash chain (see src/shared/hash-chain.ts). */
export class SqlAuditRepository implements AuditRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
    private readonly key: string,
  ) {}

  async append(entry: AuditEntry, at: Date): Promise<AuditRecord> {
    // Reading the last hash and writing the next line must be one step: inside the caller's
    // transaction when there is one, else in a transaction of its own.
    if (inTransaction(this.m)) return this.appendIn(this.m, entry, at);
    return this.m.transaction((tx) => this.appendIn(tx, entry, at));
  }

  private async appendIn(m: EntityManager, entry: AuditEntry, at: Date): Promise<AuditRecord> {
    if (this.kind === 'postgres') await sql(m, this.kind, `SELECT pg_advisory_xact_lock(?)`, [APPEND_LOCK]);
    const { rows } = await sql<{ hash: string }>(
      m,
      this.kind,
      `SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1`,
    );
    const prevHash = rows[0]?.hash ?? GENESIS_HASH;
    const content = {
      at,
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject,
      // Stored as JSON and hashed as read back: what is not plain JSON (a Date) is made so first.
      detail: JSON.parse(JSON.stringify(entry.detail ?? {})) as Record<string, unknown>,
    };
    const hash = chainHash(this.key, prevHash, content);
    const inserted = await sql<{ seq: unknown }>(
      m,
      this.kind,
      `INSERT INTO audit_log (at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
      [
        at.getTime(),
        entry.actor,
        entry.action,
        entry.subject,
        JSON.stringify(content.detail),
        prevHash,
        hash,
      ],
    );
    return { seq: num(inserted.rows[0]?.seq), ...content, prevHash, hash };
  }

  async page(o: {
    limit: number;
    beforeSeq?: number;
    subject?: string;
    actor?: string;
  }): Promise<AuditRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (o.beforeSeq !== undefined) {
      where.push('seq < ?');
      params.push(o.beforeSeq);
    }
    if (o.subject !== undefined) {
      where.push('subject = ?');
      params.push(o.subject);
    }
    if (o.actor !== undefined) {
      where.push('actor = ?');
      params.push(o.actor);
    }
    const { rows } = await sql<AuditRow>(
      this.m,
      this.kind,
      `SELECT ${COLUMNS} FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`,
      [...params, o.limit],
    );
    return rows.map(toRecord);
  }

  async scan(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    const { rows } = await sql<AuditRow>(
      this.m,
      this.kind,
      `SELECT ${COLUMNS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`,
      [afterSeq, limit],
    );
    return rows.map(toRecord);
  }

  firstBreak(lines: readonly AuditRecord[], prevHash: string): ChainBreak | null {
    return firstBreak(this.key, lines, prevHash);
  }
}
