import type { SessionKind } from '../../municipality/hours-schema.js';
import type { Booking, BookingStatus } from '../../ports/booking-repository.js';
import { reminderPlan } from './reminders.js';
import type { Slot } from './slots.js';

/** A booking as flows see it: plain JSON, times in epoch milliseconds. */
export interface BookingView {
  id: string;
  reference: string;
  aldermanId: string;
  start: number;
  end: number;
  kind: SessionKind;
  place: string;
  topic: string;
  status: BookingStatus;
  residentKey: string;
  /** The resident's first name as their channel gave it, or null. */
  firstName: string | null;
  /** The calendar (.ics) link. */
  icsUrl: string;
}

/** A slot as flows see it. */
export interface SlotView {
  aldermanId: string;
  start: number;
  end: number;
  kind: SessionKind;
  place: string;
}

export function bookingView(b: Booking, publicUrl: string): BookingView {
  return {
    id: b.id,
    reference: b.reference,
    aldermanId: b.aldermanId,
    start: b.slotStart.getTime(),
    end: b.slotEnd.getTime(),
    kind: b.kind,
    place: b.place,
    topic: b.topic,
    status: b.status,
    residentKey: b.residentKey,
    firstName: b.residentFirstName,
    icsUrl: `${publicUrl}/calendar/${b.icsToken}.ics`,
  };
}

export function slotView(s: Slot): SlotView {
  return {
    aldermanId: s.aldermanId,
    start: s.start.getTime(),
    end: s.end.getTime(),
    kind: s.kind,
    place: s.place,
  };
}

export type BookingTimerKind = 'day-before' | 'hour-before' | 'start' | 'noshow' | 'end';

/** One timer of a booking, as queue job data. */
export interface BookingTimer {
  jobId: string;
  runAt: number;
  data: { bookingId: string; kind: BookingTimerKind; slotStart: number };
}

/** How long after the start the alderman hears that the resident has not written. */
export const NO_SHOW_AFTER_MS = 5 * 60_000;
/** The session closes this long after the slot's end. */
export const END_GRACE_MS = 60_000;

/**
 * Every timer of an active booking: reminders a day and an hour before, the live session's start,
 * the no-show check and the end. Ids carry booking and slot start, so a moved or cancelled
 * booking's timers are told apart (and their handlers find them stale).
 */
export function bookingTimers(
  b: Pick<Booking, 'id' | 'slotStart' | 'slotEnd' | 'status' | 'kind'>,
  now: Date,
): BookingTimer[] {
  const start = b.slotStart.getTime();
  const timer = (kind: BookingTimerKind, runAt: number): BookingTimer => ({
    jobId: `booking.${kind}.${b.id}.${start}`,
    runAt,
    data: { bookingId: b.id, kind, slotStart: start },
  });
  const reminders = reminderPlan(b, now).map((r) => ({
    ...timer(r.kind, r.runAt.getTime()),
    jobId: r.jobId,
  }));
  if (b.status !== 'active') return [];
  const end = timer('end', b.slotEnd.getTime() + END_GRACE_MS);
  // Only a chat session opens in the chat; a phone call or a town-hall visit just ends (for the rating).
  if (b.kind !== 'chat') return [...reminders, end];
  return [...reminders, timer('start', start), timer('noshow', start + NO_SHOW_AFTER_MS), end];
}

/**
 * Where the appointment is, as the resident reads it. A chat session happens in the chat the
 * resident booked from (WhatsApp, Telegram, the web chat), so the session's `place` in the hours
 * data is not shown for it: the text is channel-neutral.
 */
export function placeText(
  t: (key: PlaceKey) => string,
  kind: string,
  place: string,
  where: 'chat' | 'calendar' = 'chat',
): string {
  // A chat or a phone call has no place to go to: the hours data's "WhatsApp" or "Telefoon" is a
  // word in the municipality's own language, not a place, and an English resident read "Telefoon".
  if (kind === 'chat') return where === 'chat' ? t('scheduling.place.chat') : t('scheduling.ics.place.chat');
  if (kind === 'phone')
    return where === 'chat' ? t('scheduling.place.phone') : t('scheduling.ics.place.phone');
  return place;
}

type PlaceKey =
  | 'scheduling.place.chat'
  | 'scheduling.ics.place.chat'
  | 'scheduling.place.phone'
  | 'scheduling.ics.place.phone';
