import type { DueMoments } from './case-repository.js';

/** What operators watch, read from the database at each /metrics scrape. */
export interface OperationsSnapshot {
  /** Outbox items (messages and jobs) not yet delivered, and when the oldest was written. */
  outboxPending: number;
  outboxOldestAt: Date | null;
  /** Inbound items stored but not yet handled. */
  inboundPending: number;
  deadLettersOpen: number;
  /** Cases by status. */
  casesByStatus: Record<string, number>;
  /** Cases that owe a reaction whose answer-by date passed: the case inbox's "overdue". */
  casesOverdue: number;
  /** Cases that owe a reaction with an answer-by date from now up to `dueSoonUntil` (not yet passed). */
  casesDueSoon: number;
  /** Active bookings whose slot starts in [bookingsFrom, bookingsTo). */
  bookingsBetween: number;
}

/** The moments a snapshot counts against: today's bookings, and the cases' due counts as the inbox's. */
export interface SnapshotMoments extends DueMoments {
  bookingsFrom: Date;
  bookingsTo: Date;
}

/** Read-only counts for monitoring. */
export interface OperationsRepository {
  snapshot(at: SnapshotMoments): Promise<OperationsSnapshot>;
}
