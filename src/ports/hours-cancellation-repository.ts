/** pending: residents not told yet (it can be undone); told: they were told; undone: it was taken back. */
export type CancellationStatus = 'pending' | 'told' | 'undone';

/**
 * Staff called off a day or one booking. The residents are told after a short grace period
 * (CANCEL_UNDO_SECONDS), so a mistake can be undone before anyone hears of it.
 */
export interface HoursCancellation {
  /** uuid */
  id: string;
  aldermanId: string;
  /** The called-off local date (YYYY-MM-DD), or null when one booking was cancelled. */
  date: string | null;
  /** The bookings this cancelled (to tell, or to give back on undo). */
  bookingIds: string[];
  reason: string | null;
  status: CancellationStatus;
  /** When the residents are told, unless it is undone first. */
  tellAt: Date;
  /** `staff:<account id>` or `cli`. */
  actor: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Storage of cancellations, in `hours_cancellations`. */
export interface HoursCancellationRepository {
  insert(cancellation: HoursCancellation): Promise<void>;
  findById(id: string): Promise<HoursCancellation | undefined>;
  /** Moves a cancellation from `from` to `to`; false when it was not in `from` (someone else won). */
  transition(id: string, from: CancellationStatus, to: CancellationStatus, now: Date): Promise<boolean>;
  /** Cancellations made at `since` or later, in any status, oldest first. */
  madeSince(since: Date): Promise<HoursCancellation[]>;
  /** Pending cancellations, oldest first; of one alderman if given; only those due by `dueBy` if given. */
  pending(query?: { aldermanId?: string; dueBy?: Date }): Promise<HoursCancellation[]>;
}
