import type { Repositories } from '../../ports/unit-of-work.js';
import type { Booking, BookingStatus, TranscriptLine } from '../../ports/booking-repository.js';
import { localDayBounds } from '../../shared/local-date.js';

export type SessionEndResult =
  { ok: true; booking: Booking } | { ok: false; reason: 'not-found' | 'not-active' | 'not-started' };
export type RateResult =
  { ok: true } | { ok: false; reason: 'not-found' | 'not-completed' | 'invalid-rating' };

/** The resident's active bookings that have not ended yet, with every alderman, by start. */
export async function upcomingFor(
  repos: Pick<Repositories, 'bookings'>,
  residentKey: string,
  now: Date,
): Promise<Booking[]> {
  return repos.bookings.activeForResident(residentKey, now);
}

/**
 * An alderman's bookings on one local date, by start: by default those still held or held
 * (active, completed, no_show), not the cancelled or moved ones.
 */
export async function bookingsInSession(
  repos: Pick<Repositories, 'bookings'>,
  query: { aldermanId: string; localDate: string; timeZone: string; statuses?: readonly BookingStatus[] },
): Promise<Booking[]> {
  const { start, end } = localDayBounds(query.localDate, query.timeZone);
  const statuses = query.statuses ?? ['active', 'completed', 'no_show'];
  return repos.bookings.listByStart({ from: start, until: end, aldermanId: query.aldermanId, statuses });
}

/** The booking behind a calendar link; undefined for an unknown or malformed token. */
export async function findByIcsToken(
  repos: Pick<Repositories, 'bookings'>,
  token: string,
): Promise<Booking | undefined> {
  if (!/^[A-Za-z0-9_-]{32}$/.test(token)) return undefined;
  return repos.bookings.findByIcsToken(token);
}

/** The resident did not turn up: active → no_show, once the slot has started. */
export async function markNoShow(
  repos: Pick<Repositories, 'bookings'>,
  bookingId: string,
  now: Date,
): Promise<SessionEndResult> {
  return endSession(repos, bookingId, 'no_show', now);
}

/** The session took place: active → completed, once the slot has started. */
export async function complete(
  repos: Pick<Repositories, 'bookings'>,
  bookingId: string,
  now: Date,
): Promise<SessionEndResult> {
  return endSession(repos, bookingId, 'completed', now);
}

/** Adds one line to the booking's chat transcript, stamped with `now`; false when there is no such booking. */
export async function appendTranscript(
  repos: Pick<Repositories, 'bookings'>,
  bookingId: string,
  line: Pick<TranscriptLine, 'from' | 'text' | 'via' | 'event'>,
  now: Date,
): Promise<boolean> {
  return repos.bookings.appendTranscript(
    bookingId,
    {
      at: now.toISOString(),
      from: line.from,
      text: line.text,
      ...(line.via ? { via: line.via } : {}),
      ...(line.event ? { event: line.event } : {}),
    },
    now,
  );
}

/** Stores the resident's rating (a whole number 1–5) of a completed session; a later rating replaces it. */
export async function rate(
  repos: Pick<Repositories, 'bookings'>,
  bookingId: string,
  rating: number,
  now: Date,
): Promise<RateResult> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) return { ok: false, reason: 'invalid-rating' };
  if (await repos.bookings.setRating(bookingId, rating, 'completed', now)) return { ok: true };
  const booking = await repos.bookings.findById(bookingId);
  return { ok: false, reason: booking ? 'not-completed' : 'not-found' };
}

async function endSession(
  repos: Pick<Repositories, 'bookings'>,
  bookingId: string,
  to: 'no_show' | 'completed',
  now: Date,
): Promise<SessionEndResult> {
  const booking = await repos.bookings.findById(bookingId);
  if (!booking) return { ok: false, reason: 'not-found' };
  if (booking.status !== 'active') return { ok: false, reason: 'not-active' };
  if (now < booking.slotStart) return { ok: false, reason: 'not-started' };
  if (!(await repos.bookings.transition(bookingId, 'active', to, now)))
    return { ok: false, reason: 'not-active' };
  return { ok: true, booking: { ...booking, status: to, updatedAt: now } };
}
