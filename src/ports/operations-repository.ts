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
  /** Open cases whose answer-by date passed (escalated). */
  casesOverdue: number;
  /** Active bookings whose slot starts in [from, to). */
  bookingsBetween: number;
}

/** Read-only counts for monitoring. */
export interface OperationsRepository {
  snapshot(bookingsFrom: Date, bookingsTo: Date): Promise<OperationsSnapshot>;
}
