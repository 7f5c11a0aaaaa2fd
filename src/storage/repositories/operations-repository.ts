import type { EntityManager } from 'typeorm';
import type { OperationsRepository, OperationsSnapshot } from '../../ports/operations-repository.js';
import { num, sql } from '../sql.js';

/** Monitoring counts in SQL: a handful of indexed COUNTs per scrape. */
export class SqlOperationsRepository implements OperationsRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  private q(text: string, params: unknown[] = []) {
    return sql(this.m, this.kind, text, params);
  }

  async snapshot(bookingsFrom: Date, bookingsTo: Date): Promise<OperationsSnapshot> {
    const outbox = await this.q(
      `SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE status = 'pending'`,
    );
    const inbound = await this.q(`SELECT COUNT(*) AS n FROM inbound WHERE status = 'pending'`);
    const dead = await this.q(`SELECT COUNT(*) AS n FROM dead_letters WHERE status = 'open'`);
    const cases = await this.q(
      `SELECT status, COUNT(*) AS n,
              SUM(CASE WHEN escalated AND status NOT IN ('answered', 'closed') THEN 1 ELSE 0 END) AS overdue
       FROM cases GROUP BY status`,
    );
    const bookings = await this.q(
      `SELECT COUNT(*) AS n FROM bookings WHERE status = 'active' AND slot_start >= ? AND slot_start < ?`,
      [bookingsFrom.getTime(), bookingsTo.getTime()],
    );
    const oldest = outbox.rows[0]?.oldest;
    return {
      outboxPending: num(outbox.rows[0]?.n ?? 0),
      outboxOldestAt: oldest == null ? null : new Date(num(oldest)),
      inboundPending: num(inbound.rows[0]?.n ?? 0),
      deadLettersOpen: num(dead.rows[0]?.n ?? 0),
      casesByStatus: Object.fromEntries(cases.rows.map((r) => [String(r.status), num(r.n)])),
      casesOverdue: cases.rows.reduce((sum, r) => sum + num(r.overdue ?? 0), 0),
      bookingsBetween: num(bookings.rows[0]?.n ?? 0),
    };
  }
}
