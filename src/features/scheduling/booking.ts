import type { SessionKind } from '../../municipality/hours-schema.js';

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
