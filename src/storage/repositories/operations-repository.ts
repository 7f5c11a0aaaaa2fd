import type { EntityManager } from 'typeorm';
import type {
  OperationsRepository,
  OperationsSnapshot,
  SnapshotMoments,
} from '../../ports/operations-repository.js';
import { dateParam, num, sql } from '../sql.js';

/** Monitoring counts in SQL: a handful of indexed COUNTs per scrape. */
export class SqlOperationsRepository implements OperationsRepository {
  constructor(
    private readonly m: EntityManager,
    private readonly kind: 'sqlite' | 'postgres',
  ) {}

  private q(text: string, params: unknown[] = []) {
    return sql(this.m, this.kind, text, params);
  }

  async snapshot(at: SnapshotMoments): Promise<OperationsSnapshot> {
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
    // As the case inbox's "due within 1 working day": owed a reaction (a proposal that had its first
    // reaction owes none), answer-by not yet passed. Uses IDX_cases_answer_by.
    const dueSoon = await this.q(
      `SELECT COUNT(*) AS n FROM cases
       WHERE answer_by >= ? AND answer_by <= ? AND status IN ('new', 'routed', 'in_progress', 'reopened')
         AND (kind <> 'proposal' OR stage IS NULL OR stage = 'received')`,
      [dateParam(this.kind, at.now), dateParam(this.kind, at.dueSoonUntil)],
    );
    const bookings = await this.q(
      `SELECT COUNT(*) AS n FROM bookings WHERE status = 'active' AND slot_start >= ? AND slot_start < ?`,
      [at.bookingsFrom.getTime(), at.bookingsTo.getTime()],
    );
    const oldest = outbox.rows[0]?.oldest;
    return {
      outboxPending: num(outbox.rows[0]?.n ?? 0),
      outboxOldestAt: oldest == null ? null : new Date(num(oldest)),
      inboundPending: num(inbound.rows[0]?.n ?? 0),
      deadLettersOpen: num(dead.rows[0]?.n ?? 0),
      casesByStatus: Object.fromEntries(cases.rows.map((r) => [String(r.status), num(r.n)])),
      casesOverdue: cases.rows.reduce((sum, r) => sum + num(r.overdue ?? 0), 0),
      casesDueSoon: num(dueSoon.rows[0]?.n ?? 0),
      bookingsBetween: num(bookings.rows[0]?.n ?? 0),
    };
  }
}
