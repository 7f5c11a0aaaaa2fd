import type { Repositories } from '../../ports/unit-of-work.js';
import type { Booking } from '../../ports/booking-repository.js';
import { newBookingId, newIcsToken, newReference } from './booking-ids.js';
import type { HoursConfig } from '../../municipality/hours-schema.js';
import type { HolidayCalendar } from '../../municipality/holidays.js';
import type { Municipality } from '../../municipality/municipality.js';
import { localDateOf, localDayBounds, plusLocalWeeks } from '../../shared/local-date.js';
import { DomainError } from '../../shared/errors.js';
import {
  beforeChangeDeadline,
  bookingWindowProblem,
  computeSlots,
  findSlot,
  freeSlots,
  type Slot,
} from './slots.js';

export {
  appendTranscript,
  bookingsInSession,
  complete,
  findByIcsToken,
  markNoShow,
  rate,
  upcomingFor,
  type RateResult,
  type SessionEndResult,
} from './booking-records.js';

/** The hours, the municipality's zone and the current time: what every booking rule needs. */
export interface SchedulingContext {
  hours: HoursConfig;
  timeZone: string;
  now: Date;
  /** Public holidays close the recurring sessions (holidays.json). */
  holidays: HolidayCalendar;
}

/** The scheduling context of a municipality at `now`: its hours, zone and holidays. */
export function schedulingContext(m: Municipality, now: Date): SchedulingContext {
  return { hours: m.hours, timeZone: m.timeZone, now, holidays: m.cases.holidays };
}

export interface BookRequest {
  aldermanId: string;
  /** The slot's start, as a Slot from `listFreeSlots` gives it. */
  start: Date;
  residentKey: string;
  residentFirstName?: string | null;
  topic: string;
}

export type BookFailure = 'taken' | 'not-a-slot' | 'too-soon' | 'too-far' | 'already-booked';
export type BookResult = { ok: true; booking: Booking } | { ok: false; reason: BookFailure };

export type ChangeFailure = 'not-found' | 'not-active' | 'past-deadline';
export type MoveResult =
  | { ok: true; booking: Booking; previous: Booking }
  | { ok: false; reason: ChangeFailure | BookFailure | 'same-slot' };
export type CancelResult = { ok: true; booking: Booking } | { ok: false; reason: ChangeFailure };

/**
 * The free slots residents may book now: within notice and horizon, without called-off days and
 * without slots an active booking holds. Of one alderman if given.
 */
export async function listFreeSlots(
  repos: Pick<Repositories, 'bookings'>,
  ctx: SchedulingContext,
  query: { aldermanId?: string; from?: Date; until?: Date } = {},
): Promise<Slot[]> {
  const { hours, timeZone, now } = ctx;
  const from = query.from ?? now;
  const until =
    query.until ?? new Date(plusLocalWeeks(now, hours.rules.horizonWeeks, timeZone).getTime() + 1);
  const days = await repos.bookings.cancelledDays({
    fromDate: localDateOf(from, timeZone),
    untilDate: localDateOf(until, timeZone),
    ...pick(query),
  });
  const slots = computeSlots({
    sessions: hours.sessions,
    exceptions: hours.exceptions,
    from,
    until,
    timeZone,
    now,
    rules: hours.rules,
    cancelledDays: days,
    holidays: ctx.holidays,
    ...pick(query),
  });
  const booked = await repos.bookings.listByStart({ from, until, statuses: ['active'], ...pick(query) });
  return freeSlots(
    slots,
    booked.map((b) => ({ aldermanId: b.aldermanId, start: b.slotStart })),
  );
}

/**
 * Books a slot for a resident. Run it in `uow.transaction`. Never throws for a rule: when another
 * resident holds the slot, the database's unique index refuses the insert and the answer is 'taken'.
 */
export async function book(
  repos: Pick<Repositories, 'bookings'>,
  ctx: SchedulingContext,
  request: BookRequest,
): Promise<BookResult> {
  const { aldermanId, start, residentKey } = request;
  await lockForBooking(repos, ctx, residentKey, aldermanId, start);
  const slot = await bookableSlot(repos, ctx, aldermanId, start);
  if (!slot.ok) return slot;
  const upcoming = await repos.bookings.activeForResident(residentKey, ctx.now, aldermanId);
  if (upcoming.length >= ctx.hours.rules.maxUpcomingPerResidentPerAlderman)
    return { ok: false, reason: 'already-booked' };
  const booking = newBooking(slot.slot, request, ctx.now);
  return insertBooking(repos, booking);
}

/**
 * Moves a booking to another slot of the same alderman, until the change deadline. The old
 * booking becomes 'moved' and a new one (new id, reference and calendar token) holds the new
 * slot; on any refusal nothing changes. Run it in `uow.transaction`. With `residentKey`, only
 * that resident's booking is found.
 */
export async function move(
  repos: Pick<Repositories, 'bookings'>,
  ctx: SchedulingContext,
  request: { bookingId: string; newStart: Date; residentKey?: string },
): Promise<MoveResult> {
  const current = await changeableBooking(repos, ctx, request.bookingId, request.residentKey);
  if (!current.ok) return current;
  const old = current.booking;
  if (old.slotStart.getTime() === request.newStart.getTime()) return { ok: false, reason: 'same-slot' };
  await lockForBooking(repos, ctx, old.residentKey, old.aldermanId, request.newStart);
  const slot = await bookableSlot(repos, ctx, old.aldermanId, request.newStart);
  if (!slot.ok) return slot;
  const others = await repos.bookings.activeForResident(old.residentKey, ctx.now, old.aldermanId);
  if (others.filter((b) => b.id !== old.id).length >= ctx.hours.rules.maxUpcomingPerResidentPerAlderman) {
    return { ok: false, reason: 'already-booked' };
  }
  // Claiming the old booking first means a concurrent cancel or move of it cannot also win.
  if (!(await repos.bookings.transition(old.id, 'active', 'moved', ctx.now)))
    return { ok: false, reason: 'not-active' };
  const inserted = await insertBooking(repos, newBooking(slot.slot, old, ctx.now));
  if (!inserted.ok) {
    await repos.bookings.transition(old.id, 'moved', 'active', ctx.now);
    return inserted;
  }
  return { ok: true, booking: inserted.booking, previous: { ...old, status: 'moved', updatedAt: ctx.now } };
}

/** Cancels a booking at the resident's request, until the change deadline. */
export async function cancel(
  repos: Pick<Repositories, 'bookings'>,
  ctx: SchedulingContext,
  request: { bookingId: string; residentKey?: string },
): Promise<CancelResult> {
  const current = await changeableBooking(repos, ctx, request.bookingId, request.residentKey);
  if (!current.ok) return current;
  if (!(await repos.bookings.transition(current.booking.id, 'active', 'cancelled', ctx.now))) {
    return { ok: false, reason: 'not-active' };
  }
  return { ok: true, booking: { ...current.booking, status: 'cancelled', updatedAt: ctx.now } };
}

/**
 * The alderman calls off all sessions of a local date: the day is no longer offered, and every
 * active booking that day is cancelled and returned (so the caller can tell those residents).
 * No deadline applies. Run it in `uow.transaction`.
 */
export async function cancelSession(
  repos: Pick<Repositories, 'bookings'>,
  ctx: SchedulingContext,
  request: { aldermanId: string; localDate: string; reason?: string },
): Promise<Booking[]> {
  const { aldermanId, localDate } = request;
  if (localDate < localDateOf(ctx.now, ctx.timeZone)) {
    throw new DomainError('hours.date-past', `${localDate} has passed`);
  }
  const { start: dayStart, end: dayEnd } = localDayBounds(localDate, ctx.timeZone);
  const sessions = computeSlots({
    sessions: ctx.hours.sessions,
    exceptions: ctx.hours.exceptions,
    aldermanId,
    from: dayStart,
    until: dayEnd,
    timeZone: ctx.timeZone,
    holidays: ctx.holidays,
  });
  if (sessions.length === 0) {
    throw new DomainError('hours.no-session', `no consultation hour of ${aldermanId} on ${localDate}`);
  }
  // Exclusive: waits for bookings of this day in flight, and keeps new ones out until committed.
  await repos.bookings.lock(dayLockKey(aldermanId, localDate), 'exclusive');
  await repos.bookings.addCancelledDay({
    aldermanId,
    date: localDate,
    reason: request.reason ?? null,
    createdAt: ctx.now,
  });
  const active = await repos.bookings.listByStart({
    from: dayStart,
    until: dayEnd,
    aldermanId,
    statuses: ['active'],
  });
  const cancelled: Booking[] = [];
  // A slot that already started is held (or was missed) as it is: calling off the day does not cut it.
  for (const booking of active.filter((b) => b.slotStart.getTime() > ctx.now.getTime())) {
    if (await repos.bookings.transition(booking.id, 'active', 'cancelled', ctx.now)) {
      cancelled.push({ ...booking, status: 'cancelled', updatedAt: ctx.now });
    }
  }
  return cancelled;
}

type SlotCheck = { ok: true; slot: Slot } | { ok: false; reason: 'not-a-slot' | 'too-soon' | 'too-far' };

async function bookableSlot(
  repos: Pick<Repositories, 'bookings'>,
  ctx: SchedulingContext,
  aldermanId: string,
  start: Date,
): Promise<SlotCheck> {
  const date = localDateOf(start, ctx.timeZone);
  const cancelledDays = await repos.bookings.cancelledDays({ fromDate: date, untilDate: date, aldermanId });
  const slot = findSlot(ctx.hours, {
    aldermanId,
    start,
    timeZone: ctx.timeZone,
    cancelledDays,
    holidays: ctx.holidays,
  });
  if (!slot) return { ok: false, reason: 'not-a-slot' };
  const problem = bookingWindowProblem(start, ctx.now, ctx.hours.rules, ctx.timeZone);
  return problem ? { ok: false, reason: problem } : { ok: true, slot };
}

async function changeableBooking(
  repos: Pick<Repositories, 'bookings'>,
  ctx: SchedulingContext,
  bookingId: string,
  residentKey: string | undefined,
): Promise<{ ok: true; booking: Booking } | { ok: false; reason: ChangeFailure }> {
  const booking = await repos.bookings.findById(bookingId);
  if (!booking || (residentKey !== undefined && booking.residentKey !== residentKey)) {
    return { ok: false, reason: 'not-found' };
  }
  if (booking.status !== 'active') return { ok: false, reason: 'not-active' };
  if (!beforeChangeDeadline(booking.slotStart, ctx.now, ctx.hours.rules))
    return { ok: false, reason: 'past-deadline' };
  return { ok: true, booking };
}

/** Takes the locks booking needs on PostgreSQL, always in this order: resident, then day. */
async function lockForBooking(
  repos: Pick<Repositories, 'bookings'>,
  ctx: SchedulingContext,
  residentKey: string,
  aldermanId: string,
  start: Date,
): Promise<void> {
  // One resident's attempts with one alderman run one at a time, so the limit check holds.
  await repos.bookings.lock(`booking-resident:${aldermanId}:${residentKey}`, 'exclusive');
  await repos.bookings.lock(dayLockKey(aldermanId, localDateOf(start, ctx.timeZone)), 'shared');
}

function dayLockKey(aldermanId: string, localDate: string): string {
  return `booking-day:${aldermanId}:${localDate}`;
}

async function insertBooking(repos: Pick<Repositories, 'bookings'>, booking: Booking): Promise<BookResult> {
  // A reference is 6 of 31 characters; a clash is rare, and another draw settles it.
  for (let attempt = 1; ; attempt++) {
    const result = await repos.bookings.insert(booking);
    if (result.ok) return { ok: true, booking };
    if (result.conflict === 'slot') return { ok: false, reason: 'taken' };
    if (attempt >= 5) throw new Error('could not draw an unused booking reference in 5 tries');
    booking = { ...booking, reference: newReference() };
  }
}

function newBooking(
  slot: Slot,
  request: { residentKey: string; residentFirstName?: string | null; topic: string },
  now: Date,
): Booking {
  return {
    id: newBookingId(),
    reference: newReference(),
    aldermanId: slot.aldermanId,
    slotStart: slot.start,
    slotEnd: slot.end,
    residentKey: request.residentKey,
    residentFirstName: request.residentFirstName ?? null,
    topic: request.topic,
    kind: slot.kind,
    place: slot.place,
    status: 'active',
    icsToken: newIcsToken(),
    transcript: [],
    rating: null,
    createdAt: now,
    updatedAt: now,
  };
}

/** `{ aldermanId }` when given, `{}` otherwise (an absent filter, not an undefined one). */
function pick(query: { aldermanId?: string }): { aldermanId?: string } {
  return query.aldermanId !== undefined ? { aldermanId: query.aldermanId } : {};
}
