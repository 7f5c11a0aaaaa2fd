import type { EntityManager } from 'typeorm';
import type { DeadLetter, DeadLetterRepository } from '../../ports/dead-letter-repository.js';
import { num, sql } from '../sql.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from '../../ports/personal-data.js';
import { deleteBatch, holdsAny, rowsOf } from '../personal-data.js';

type Row = Record<string, unknown>;

/** Dead letters in SQL. */
export class SqlDeadLetterRepository implements DeadLetterRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  private q<R = Row>(text: string, params: unknown[] = []) {
    return sql<R>(this.m, this.kind, text, params);
  }

  async add(letter: Parameters<DeadLetterRepository['add']>[0]): Promise<number> {
    const { rows } = await this.q<{ id: number }>(
      `INSERT INTO dead_letters (stage, channel, user_id, dedupe_key, inbound_id, payload, error, attempts, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?) RETURNING id`,
      [
        letter.stage,
        clean(letter.address.channel),
        clean(letter.address.userId),
        clean(letter.dedupeKey),
        letter.inboundId ?? null,
        letter.payload,
        clean(letter.error),
        letter.attempts,
        letter.now.getTime(),
      ],
    );
    return num(rows[0]?.id);
  }

  async list(options: { all?: boolean; limit: number }): Promise<DeadLetter[]> {
    const { rows } = await this.q(
      `SELECT * FROM dead_letters ${options.all ? '' : "WHERE status = 'open'"} ORDER BY id DESC LIMIT ?`,
      [options.limit],
    );
    return rows.map(toDeadLetter);
  }

  async get(id: number): Promise<DeadLetter | null> {
    const { rows } = await this.q(`SELECT * FROM dead_letters WHERE id = ?`, [id]);
    return rows[0] ? toDeadLetter(rows[0]) : null;
  }

  async resolve(id: number, status: 'retried' | 'dropped', now: Date): Promise<boolean> {
    const { affected } = await this.q(
      `UPDATE dead_letters SET status = ?, resolved_at = ? WHERE id = ? AND status = 'open'`,
      [status, now.getTime(), id],
    );
    return affected > 0;
  }

  async countOpen(): Promise<number> {
    const { rows } = await this.q<{ n: number }>(
      `SELECT COUNT(*) AS n FROM dead_letters WHERE status = 'open'`,
    );
    return num(rows[0]?.n ?? 0);
  }

  purge(batch: PurgeBatch): Promise<number> {
    const select = `SELECT id FROM dead_letters WHERE created_at < ? ORDER BY id`;
    return deleteBatch(this.m, this.kind, 'dead_letters', 'id', select, [batch.before.getTime()], batch);
  }

  async personalData(subject: DataSubject): Promise<StoredRows> {
    const { where, params } = this.about(subject);
    return { dead_letters: await rowsOf(this.m, this.kind, 'dead_letters', `${where} ORDER BY id`, params) };
  }

  async erasePersonalData(subject: DataSubject): Promise<Counts> {
    const { where, params } = this.about(subject);
    return {
      dead_letters: (await sql(this.m, this.kind, `DELETE FROM dead_letters WHERE ${where}`, params))
        .affected,
    };
  }

  private about(s: DataSubject): { where: string; params: unknown[] } {
    return {
      where: `((channel = ? AND user_id = ?) OR ${holdsAny(this.kind, 'payload', s.needles)})`,
      params: [s.address.channel, s.address.userId, ...s.needles],
    };
  }
}

/** Control characters (a NUL byte is what PostgreSQL refuses) never reach a text column. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '\uFFFD');
}

function toDeadLetter(row: Row): DeadLetter {
  const status = row.status === 'retried' || row.status === 'dropped' ? row.status : 'open';
  return {
    id: num(row.id),
    stage: row.stage === 'handle' ? 'handle' : 'store',
    address: { channel: String(row.channel), userId: String(row.user_id) },
    dedupeKey: String(row.dedupe_key),
    ...(row.inbound_id == null ? {} : { inboundId: num(row.inbound_id) }),
    payload: String(row.payload),
    error: String(row.error),
    attempts: num(row.attempts),
    status,
    createdAt: new Date(num(row.created_at)),
    ...(row.resolved_at == null ? {} : { resolvedAt: new Date(num(row.resolved_at)) }),
  };
}
