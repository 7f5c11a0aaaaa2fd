import type { EntityManager } from 'typeorm';
import type {
  CancellationStatus,
  HoursCancellation,
  HoursCancellationRepository,
} from '../../ports/hours-cancellation-repository.js';
import { num, sql } from '../sql.js';

interface Row {
  id: string;
  alderman_id: string;
  local_date: string | null;
  booking_ids: string;
  reason: string | null;
  status: string;
  tell_at: unknown;
  actor: string;
  created_at: unknown;
  updated_at: unknown;
}

const COLUMNS = `id, alderman_id, local_date, booking_ids, reason, status, tell_at, actor, created_at, updated_at`;

function fromRow(row: Row): HoursCancellation {
  return {
    id: row.id,
    aldermanId: row.alderman_id,
    date: row.local_date,
    bookingIds: JSON.parse(row.booking_ids) as string[],
    reason: row.reason,
    status: row.status as CancellationStatus,
    tellAt: new Date(num(row.tell_at)),
    actor: row.actor,
    createdAt: new Date(num(row.created_at)),
    updatedAt: new Date(num(row.updated_at)),
  };
}

/** Called-off days and bookings with their grace period, in `hours_cancellations`. */
export class SqlHoursCancellationRepository implements HoursCancellationRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  async insert(c: HoursCancellation): Promise<void> {
    await sql(
      this.m,
      this.kind,
      `INSERT INTO hours_cancellations (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        c.id,
        c.aldermanId,
        c.date,
        JSON.stringify(c.bookingIds),
        c.reason,
        c.status,
        c.tellAt.getTime(),
        c.actor,
        c.createdAt.getTime(),
        c.updatedAt.getTime(),
      ],
    );
  }

  async findById(id: string): Promise<HoursCancellation | undefined> {
    const { rows } = await sql<Row>(
      this.m,
      this.kind,
      `SELECT ${COLUMNS} FROM hours_cancellations WHERE id = ?`,
      [id],
    );
    return rows[0] ? fromRow(rows[0]) : undefined;
  }

  async transition(
    id: string,
    from: CancellationStatus,
    to: CancellationStatus,
    now: Date,
  ): Promise<boolean> {
    const { affected } = await sql(
      this.m,
      this.kind,
      `UPDATE hours_cancellations SET status = ?, updated_at = ? WHERE id = ? AND status = ?`,
      [to, now.getTime(), id, from],
    );
    return affected > 0;
  }

  async madeSince(since: Date): Promise<HoursCancellation[]> {
    const { rows } = await sql<Row>(
      this.m,
      this.kind,
      `SELECT ${COLUMNS} FROM hours_cancellations WHERE created_at >= ? ORDER BY created_at, id`,
      [since.getTime()],
    );
    return rows.map(fromRow);
  }

  async pending(query: { aldermanId?: string; dueBy?: Date } = {}): Promise<HoursCancellation[]> {
    const where = [`status = 'pending'`];
    const params: unknown[] = [];
    if (query.aldermanId !== undefined) {
      where.push('alderman_id = ?');
      params.push(query.aldermanId);
    }
    if (query.dueBy !== undefined) {
      where.push('tell_at <= ?');
      params.push(query.dueBy.getTime());
    }
    const { rows } = await sql<Row>(
      this.m,
      this.kind,
      `SELECT ${COLUMNS} FROM hours_cancellations WHERE ${where.join(' AND ')} ORDER BY created_at, id`,
      params,
    );
    return rows.map(fromRow);
  }
}
