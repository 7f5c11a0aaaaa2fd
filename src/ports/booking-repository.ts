import type { Counts, DataSubject, PurgeBatch, StoredRows } from './personal-data.js';
import type { SessionKind } from '../municipality/hours-schema.js';

/** active → cancelled | moved | no_show | completed; only an active booking holds its slot. */
export type BookingStatus = 'active' | 'cancelled' | 'no_show' | 'completed' | 'moved';

export const bookingStatuses: readonly BookingStatus[] = [
  'active',
  'cancelled',
  'no_show',
  'completed',
  'moved',
];

/** One line of the live chat during the slot. */
export interface TranscriptLine {
  /** ISO instant. */
  at: string;
  from: 'resident' | 'alderman' | 'system';
  text: string;
  /** Where the alderman wrote it when not in their own chat: the dashboard. */
  via?: 'dashboard';
  /** A `system` line marks what happened rather than what was said: the resident left the session. */
  event?: 'resident-left';
}

/** A resident's booking of one alderman's slot. */
export interface Booking {
  /** uuid */
  id: string;
  /** Readable, told to the resident: "AFS-" and six letters or digits. */
  reference: string;
  aldermanId: string;
  slotStart: Date;
  slotEnd: Date;
  /** The conversation key "channel:userId". */
  residentKey: string;
  residentFirstName: string | null;
  topic: string;
  kind: SessionKind;
  place: string;
  status: BookingStatus;
  /** Unguessable token of the calendar (.ics) link. */
  icsToken: string;
  transcript: TranscriptLine[];
  /** 1–5 after the session, or null. */
  rating: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A day an alderman called off at run time (stored with the bookings, not in hours.json). */
export interface CancelledDay {
  aldermanId: string;
  /** Local date, YYYY-MM-DD. */
  date: string;
}

/** What `insert` did; `slot` means another active booking holds the slot (the database said so). */
export type InsertBookingResult = { ok: true } | { ok: false; conflict: 'slot' | 'reference' };

/** A day an alderman called off, with why and when. */
export interface StoredCancelledDay extends CancelledDay {
  reason: string | null;
  createdAt: Date;
}

/** Storage of bookings. Implementations: src/storage/repositories/booking-repository.ts. */
export interface BookingRepository {
  /**
   * Inserts a booking. A second active booking of one alderman's slot is refused by a unique
   * index in the database, whatever the concurrency, and comes back as `{ ok: false, conflict: 'slot' }`;
   * inside a transaction the transaction stays usable.
   */
  insert(booking: Booking): Promise<InsertBookingResult>;
  findById(id: string): Promise<Booking | undefined>;
  findByReference(reference: string): Promise<Booking | undefined>;
  findByIcsToken(token: string): Promise<Booking | undefined>;
  /** The resident's active bookings whose slot ends after `endsAfter`, by start; of one alderman if given. */
  activeForResident(residentKey: string, endsAfter: Date, aldermanId?: string): Promise<Booking[]>;
  /** Bookings whose slot starts in [from, until), by start; optionally one alderman and some statuses. */
  listByStart(query: {
    from: Date;
    until: Date;
    aldermanId?: string;
    statuses?: readonly BookingStatus[];
  }): Promise<Booking[]>;
  /**
   * Bookings made or changed (status) at `since` or later whose slot starts after `startsAfter`, by
   * start; not those of an erased resident. The sweep reads back what residents did from them.
   */
  changedSince(query: { since: Date; startsAfter: Date }): Promise<Booking[]>;
  /** Moves a booking from status `from` to `to`; false when it was not in `from` (or does not exist). */
  transition(id: string, from: BookingStatus, to: BookingStatus, now: Date): Promise<boolean>;
  /** Appends one line atomically (two writers never lose each other's line); false when there is no such booking. */
  appendTranscript(id: string, line: TranscriptLine, now: Date): Promise<boolean>;
  /** Stores the rating of a booking in status `status`; false otherwise. */
  setRating(id: string, rating: number, status: BookingStatus, now: Date): Promise<boolean>;
  /**
   * Inside a transaction, waits for and holds a named lock until the transaction ends: shared
   * holders run together, an exclusive one runs alone. A no-op where transactions already run
   * one at a time (SQLite).
   */
  lock(key: string, mode: 'shared' | 'exclusive'): Promise<void>;
  /** Records a called-off day; false when it was recorded already. */
  addCancelledDay(day: StoredCancelledDay): Promise<boolean>;
  /** Takes a called-off day back (an undone cancellation); false when it was not recorded. */
  removeCancelledDay(day: CancelledDay): Promise<boolean>;
  /** Called-off days with a local date in [fromDate, untilDate] (YYYY-MM-DD); of one alderman if given. */
  cancelledDays(query: {
    fromDate: string;
    untilDate: string;
    aldermanId?: string;
  }): Promise<StoredCancelledDay[]>;
  /** Ids of the resident's bookings. */
  idsOfResident(residentKey: string): Promise<string[]>;
  /**
   * Retention: anonymises bookings whose slot ended before the batch's moment (resident, first name,
   * topic and transcript cleared, calendar link dead); alderman, slot, kind, status and rating stay.
   */
  anonymisePast(batch: PurgeBatch): Promise<number>;
  /** The resident's bookings (AVG access request). */
  personalData(subject: DataSubject): Promise<StoredRows>;
  /** Anonymises the resident's bookings; upcoming ones are cancelled (AVG erasure). */
  erasePersonalData(subject: DataSubject): Promise<Counts>;
}
