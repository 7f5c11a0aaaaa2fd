import type { CancelledDate, ExtraSession, RecurringSession } from '../municipality/hours-schema.js';

/** What a stored entry changes: a recurring session, an extra session, or a cancelled date of a session. */
export type HoursEntry =
  | { kind: 'recurring'; session: RecurringSession }
  | { kind: 'extra'; session: ExtraSession }
  | { kind: 'cancelled'; cancelled: CancelledDate };

export type HoursEntryKind = HoursEntry['kind'];

/**
 * A change staff made to the consultation hours in the dashboard, over data/hours.json: an entry
 * with the same kind and id replaces the file's (or hides it when deleted); others are added.
 * The id of a cancelled date is `<session id>@<date>`.
 */
export interface StoredHoursEntry {
  kind: HoursEntryKind;
  id: string;
  aldermanId: string;
  /** The entry as it is now; null when deleted. */
  entry: HoursEntry | null;
  deleted: boolean;
  updatedAt: Date;
  /** `staff:<account id>`. */
  updatedBy: string;
}

/** The dashboard's changes to the consultation hours, one row per (kind, id). */
export interface HoursRepository {
  /** Every stored row, deleted ones included, by kind then id. */
  all(): Promise<StoredHoursEntry[]>;
  /** Inserts or replaces the row with this kind and id. */
  save(entry: StoredHoursEntry): Promise<void>;
}
