import type { SessionKind } from '../../municipality/hours-schema.js';
import type { Booking, StoredCancelledDay } from '../../ports/booking-repository.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { localDateOf, localDayBounds, plusLocalWeeks } from '../../shared/local-date.js';
import type { SchedulingContext } from './booking-service.js';
import { computeSlots, type Slot } from './slots.js';

/** One session on one day, as the agenda shows it: from its first slot's start to its last slot's end. */
export interface AgendaSession {
  sessionId: string;
  start: Date;
  end: Date;
  kind: SessionKind;
  place: string;
  slots: number;
}

/** A booking as staff see it on the agenda: the resident's first name only, no chat address. */
export interface AgendaBooking {
  id: string;
  reference: string;
  start: Date;
  end: Date;
  kind: SessionKind;
  topic: string;
  firstName: string | null;
}

/** One alderman's day: the sessions, the bookings, and whether the day was called off. */
export interface AgendaDay {
  aldermanId: string;
  /** Local date, YYYY-MM-DD. */
  date: string;
  cancelled: { reason: string | null } | null;
  sessions: AgendaSession[];
  bookings: AgendaBooking[];
}

/** The first word of what the channel gave as the resident's name: staff need no more. */
export function firstNameOnly(name: string | null): string | null {
  const first = name?.trim().split(/\s+/)[0];
  return first ? first : null;
}

function agendaBooking(b: Booking): AgendaBooking {
  const { id, reference, kind, topic } = b;
  return {
    id,
    reference,
    start: b.slotStart,
    end: b.slotEnd,
    kind,
    topic,
    firstName: firstNameOnly(b.residentFirstName),
  };
}

/** A booking as the alderman sees it in their own chat: first name only, no chat address; times in epoch ms. */
export interface AldermanBookingView {
  id: string;
  reference: string;
  start: number;
  end: number;
  kind: SessionKind;
  place: string;
  topic: string;
  firstName: string | null;
}

/**
 * One alderman's held bookings that are not over yet (one going on now included), earliest first,
 * up to the booking horizon as the agenda shows it; `more` when there are more than `limit`.
 */
export async function aldermanUpcoming(
  repos: Pick<Repositories, 'bookings'>,
  ctx: SchedulingContext,
  query: { aldermanId: string; limit: number },
): Promise<{ bookings: AldermanBookingView[]; more: boolean }> {
  const from = localDayBounds(localDateOf(ctx.now, ctx.timeZone), ctx.timeZone).start;
  const until = plusLocalWeeks(ctx.now, ctx.hours.rules.horizonWeeks, ctx.timeZone);
  const held = await repos.bookings.listByStart({
    from,
    until,
    aldermanId: query.aldermanId,
    statuses: ['active'],
  });
  const coming = held.filter((b) => b.slotEnd > ctx.now);
  const bookings = coming.slice(0, query.limit).map(aldermanBookingView);
  return { bookings, more: coming.length > query.limit };
}

/** A booking as its alderman reads it in their chat. */
export function aldermanBookingView(b: Booking): AldermanBookingView {
  return {
    id: b.id,
    reference: b.reference,
    start: b.slotStart.getTime(),
    end: b.slotEnd.getTime(),
    kind: b.kind,
    place: b.place,
    topic: b.topic,
    firstName: firstNameOnly(b.residentFirstName),
  };
}

/** Groups slots into sessions per (alderman, date, session). */
function sessionsOf(slots: readonly Slot[], timeZone: string): Map<string, AgendaSession[]> {
  const days = new Map<string, Map<string, AgendaSession>>();
  for (const slot of slots) {
    const key = `${slot.aldermanId}|${localDateOf(slot.start, timeZone)}`;
    const day = days.get(key) ?? new Map<string, AgendaSession>();
    days.set(key, day);
    const session = day.get(slot.sessionId);
    if (session) {
      session.end = slot.end;
      session.slots++;
    } else {
      const { sessionId, start, end, kind, place } = slot;
      day.set(sessionId, { sessionId, start, end, kind, place, slots: 1 });
    }
  }
  return new Map([...days].map(([key, day]) => [key, [...day.values()]]));
}

/**
 * The coming days of one alderman (or all) from today up to the booking horizon: every day with a
 * session, a booking still held, or a called-off day, by date then alderman. A called-off day keeps
 * its sessions (marked), so staff see what was cancelled; a held booking on a day without a session
 * (hours changed after it was booked) is shown too, never dropped.
 */
export async function agenda(
  repos: Pick<Repositories, 'bookings'>,
  ctx: SchedulingContext,
  query: { aldermanId?: string; weeks?: number } = {},
): Promise<AgendaDay[]> {
  const today = localDateOf(ctx.now, ctx.timeZone);
  const from = localDayBounds(today, ctx.timeZone).start;
  const until = plusLocalWeeks(ctx.now, query.weeks ?? ctx.hours.rules.horizonWeeks, ctx.timeZone);
  const only = query.aldermanId !== undefined ? { aldermanId: query.aldermanId } : {};
  const slots = computeSlots({
    sessions: ctx.hours.sessions,
    exceptions: ctx.hours.exceptions,
    from,
    until,
    timeZone: ctx.timeZone,
    holidays: ctx.holidays,
    ...only,
  });
  const cancelled = await repos.bookings.cancelledDays({
    fromDate: today,
    untilDate: localDateOf(until, ctx.timeZone),
    ...only,
  });
  const bookings = await repos.bookings.listByStart({ from: ctx.now, until, statuses: ['active'], ...only });
  return buildDays(sessionsOf(slots, ctx.timeZone), cancelled, bookings, ctx.timeZone);
}

function buildDays(
  sessions: Map<string, AgendaSession[]>,
  cancelled: readonly StoredCancelledDay[],
  bookings: readonly Booking[],
  timeZone: string,
): AgendaDay[] {
  const days = new Map<string, AgendaDay>();
  const dayOf = (aldermanId: string, date: string): AgendaDay => {
    const key = `${aldermanId}|${date}`;
    let day = days.get(key);
    if (!day) {
      day = { aldermanId, date, cancelled: null, sessions: sessions.get(key) ?? [], bookings: [] };
      days.set(key, day);
    }
    return day;
  };
  for (const key of sessions.keys()) {
    const [aldermanId = '', date = ''] = key.split('|');
    dayOf(aldermanId, date);
  }
  for (const c of cancelled) dayOf(c.aldermanId, c.date).cancelled = { reason: c.reason };
  for (const b of bookings)
    dayOf(b.aldermanId, localDateOf(b.slotStart, timeZone)).bookings.push(agendaBooking(b));
  return [...days.values()].sort(
    (a, b) => a.date.localeCompare(b.date) || a.aldermanId.localeCompare(b.aldermanId),
  );
}
