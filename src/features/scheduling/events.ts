import type { Address } from '../../shared/address.js';
import type { AldermanBookingView } from './agenda.js';
import type { BookingTimer, BookingView } from './views.js';

/** What the scheduling feature tells conversations, by event name: the contract with the flows. */
export interface SchedulingEvents {
  /** To the resident: a day or an hour before the appointment. */
  'booking.reminder': { booking: BookingView; kind: 'day-before' | 'hour-before' };
  /**
   * To the resident: the alderman called the day off (or, with `one`, cancelled only this booking);
   * `reason` as the alderman gave it.
   */
  'booking.cancelled': { booking: BookingView; reason: string | null; one?: boolean };
  /** To both sides: the slot starts; `partner` is the other side's chat (null: the alderman has none). */
  'live.start': { booking: BookingView; role: 'resident' | 'alderman'; partner: Address | null };
  /**
   * To both sides: the session is over. With `left`, to the alderman: the resident left it ("menu",
   * "stop"), said in the alderman's own language before the close.
   */
  'live.end': { booking: BookingEnd; role: 'resident' | 'alderman'; left?: true };
  /** To the alderman: the resident did not write in the first minutes. */
  'live.noshow': { booking: BookingView };
  /**
   * To the resident: what the alderman wrote in the session from the dashboard, said as it is; with
   * `left` (the session's transcript said the resident left when it was written, as the page did)
   * said with who wrote it and for which appointment. `aldermanId` names the writer in the transcript
   * (events queued before it was carried have none).
   */
  'live.say': {
    bookingId: string;
    text: string;
    aldermanId?: string;
    left?: { reference: string; aldermanId: string };
  };
  /** To the resident: they missed their session. */
  'live.missed': { booking: BookingView };
  /** To the alderman's linked chats: a resident booked, moved (to this time) or cancelled an appointment. */
  'booking.alderman': { booking: AldermanBookingView; change: AldermanChange };
  /** To the alderman's linked chats: the municipality cancelled these appointments (one notice for them all). */
  'booking.alderman-cancelled': { bookings: AldermanBookingView[]; reason: string | null };
  /**
   * To the alderman's linked chats: an appointment with them is off because its resident's data was
   * erased. Only the slot: nothing of the resident is left to say.
   */
  'booking.alderman-erased': { slot: Pick<AldermanBookingView, 'start' | 'kind' | 'place'> };
}

/**
 * The event id of a session's end (the end timer, "einde", the dashboard's end, a back-to-back
 * close): one per booking, so each side hears the end once whoever ended it.
 */
export const sessionEndEventId = (bookingId: string): string => `live-end:${bookingId}`;

/**
 * The event id of the notice that the resident left (with "menu" or "stop"): its own, beside the
 * end's, so an end that reached the alderman first does not swallow it as a repeat.
 */
export const residentLeftEventId = (bookingId: string): string => `live-left:${bookingId}`;

/** What a resident did to an appointment with an alderman. */
export type AldermanChange = 'booked' | 'moved' | 'cancelled';

/** What an end notice needs of a booking: a session closed early may only know its id and reference. */
export type BookingEnd = Pick<BookingView, 'id' | 'reference'> & Partial<BookingView>;

/** The jobs the scheduling feature runs, by name, with their data. */
export interface SchedulingJobs {
  'booking.timer': BookingTimer['data'];
  /** Tells the alderman's linked chats of a resident's change, after the resident's reply. */
  'booking.tell-alderman': { bookingId: string; change: AldermanChange; slotStart: number };
}
