import type { EntityManager } from 'typeorm';
import type {
  OperationsRepository,
  OperationsSnapshot,
  SnapshotMoments,
} from '../../ports/operations-repository.js';
import { CaseEntity } from '../entities/case.js';
import { num, sql } from '../sql.js';
import { due } from './case-inbox.js';

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
    const inbound = await this.q(PENDING_INBOUND);
    const dead = await this.q(`SELECT COUNT(*) AS n FROM dead_letters WHERE status = 'open'`);
    const cases = await this.q(`SELECT status, COUNT(*) AS n FROM cases GROUP BY status`);
    // The case inbox's own "overdue" and "due within 1 working day" (its `due`), so a panel and the
    // inbox never show two numbers for one thing. Uses IDX_cases_answer_by.
    const dueCases = (kind: 'overdue' | 'soon') =>
      due(this.m.getRepository(CaseEntity).createQueryBuilder('c'), at, kind).getCount();
    const overdue = await dueCases('overdue');
    const dueSoon = await dueCases('soon');
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
      casesOverdue: overdue,
      casesDueSoon: dueSoon,
      bookingsBetween: num(bookings.rows[0]?.n ?? 0),
    };
  }
}

/**
 * The backlog of items not yet handled, counted in the partial index `inbound_waiting` only. Its
 * predicate wants a condition on `received_at`: `>= 0` holds for every instant stored, and unlike
 * `IS NOT NULL` (which SQLite drops on a NOT NULL column) it lets both databases use the index.
 */
export const PENDING_INBOUND = `SELECT COUNT(*) AS n FROM inbound WHERE status = 'pending' AND received_at >= 0`;
