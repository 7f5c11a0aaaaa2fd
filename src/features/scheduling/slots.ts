import type { CancelledDay } from '../../ports/booking-repository.js';
import type {
  BookingRules,
  ExtraSession,
  HoursConfig,
  HoursExceptions,
  RecurringSession,
  SessionKind,
} from '../../municipality/hours-schema.js';
import { holidayOn, type HolidayCalendar } from '../../municipality/holidays.js';
import { sessionOccursOn } from '../../municipality/recurrence.js';
import { localDatesBetween, minutesOfDay, plusLocalWeeks, wallClock } from '../../shared/local-date.js';

/** One bookable consultation slot. Derived from the hours on demand, never stored. */
export interface Slot {
  aldermanId: string;
  /** The recurring or extra session the slot belongs to. */
  sessionId: string;
  start: Date;
  end: Date;
  kind: SessionKind;
  place: string;
}

/** Everything `computeSlots` needs, in one object (Cal.com's habit). */
export interface SlotQuery {
  sessions: readonly RecurringSession[];
  exceptions: HoursExceptions;
  /** Only this alderman's slots; all aldermen when left out. */
  aldermanId?: string;
  /** Slots starting at or after this instant… */
  from: Date;
  /** …and before this one. */
  until: Date;
  /** The municipality's zone; session times are wall-clock times there. */
  timeZone: string;
  /** With `rules`: drops slots inside the minimum notice or beyond the booking horizon. */
  now?: Date;
  rules?: BookingRules;
  cancelledDays?: readonly CancelledDay[];
  /**
   * The municipality's closing days: a recurring session does not take place on a public holiday;
   * an extra session added on that date does.
   */
  holidays?: HolidayCalendar;
}

/** The slots of every session in [from, until), sorted by start, then alderman, then session. */
export function computeSlots(query: SlotQuery): Slot[] {
  const { from, until, timeZone } = query;
  const slots: Slot[] = [];
  for (const date of localDatesBetween(from, until, timeZone)) {
    const sessions = sessionsOn(query, date);
    if (sessions.length === 0) continue;
    const clock = wallClock(date, timeZone);
    for (const session of sessions) slots.push(...sessionSlots(session, clock));
  }
  const window = bookingWindow(query);
  return slots
    .filter((s) => s.start >= from && s.start < until)
    .filter((s) => !window || (s.start >= window.earliest && s.start <= window.latest))
    .sort(compareSlots);
}

/** The slots whose start is not booked yet for their alderman. */
export function freeSlots(
  slots: readonly Slot[],
  booked: ReadonlyArray<{ aldermanId: string; start: Date }>,
): Slot[] {
  const taken = new Set(booked.map((b) => slotKey(b.aldermanId, b.start)));
  return slots.filter((s) => !taken.has(slotKey(s.aldermanId, s.start)));
}

/** The alderman's slot that starts exactly at `start`, ignoring notice and horizon; undefined if none. */
export function findSlot(
  hours: HoursConfig,
  request: {
    aldermanId: string;
    start: Date;
    timeZone: string;
    cancelledDays?: readonly CancelledDay[];
    holidays?: HolidayCalendar;
  },
): Slot | undefined {
  const { aldermanId, start, timeZone, cancelledDays, holidays } = request;
  const until = new Date(start.getTime() + 1);
  const query = {
    sessions: hours.sessions,
    exceptions: hours.exceptions,
    aldermanId,
    from: start,
    until,
    timeZone,
    ...(cancelledDays ? { cancelledDays } : {}),
    ...(holidays ? { holidays } : {}),
  };
  return computeSlots(query)[0];
}

/** Why a slot starting at `start` cannot be booked (or changed) at `now`; undefined when it can. */
export function bookingWindowProblem(
  start: Date,
  now: Date,
  rules: BookingRules,
  timeZone: string,
): 'too-soon' | 'too-far' | undefined {
  const window = bookingWindow({ now, rules, timeZone });
  if (!window) return undefined;
  if (start < window.earliest) return 'too-soon';
  if (start > window.latest) return 'too-far';
  return undefined;
}

/** True while a booking starting at `start` may still be moved or cancelled by the resident. */
export function beforeChangeDeadline(start: Date, now: Date, rules: BookingRules): boolean {
  return now.getTime() <= start.getTime() - rules.changeDeadlineMinutes * 60_000;
}

function bookingWindow(q: {
  now?: Date;
  rules?: BookingRules;
  timeZone: string;
}): { earliest: Date; latest: Date } | undefined {
  if (!q.now || !q.rules) return undefined;
  return {
    earliest: new Date(q.now.getTime() + q.rules.minNoticeMinutes * 60_000),
    latest: plusLocalWeeks(q.now, q.rules.horizonWeeks, q.timeZone),
  };
}

type AnySession = RecurringSession | ExtraSession;

function sessionsOn(query: SlotQuery, date: string): AnySession[] {
  const { sessions, exceptions, aldermanId, cancelledDays = [], holidays } = query;
  const mine = (s: AnySession) => aldermanId === undefined || s.aldermanId === aldermanId;
  const dayOff = (s: AnySession) =>
    cancelledDays.some((c) => c.aldermanId === s.aldermanId && c.date === date);
  const cancelled = (s: AnySession) =>
    exceptions.cancelled.some((c) => c.sessionId === s.id && c.date === date);
  const closed = holidays !== undefined && holidayOn(holidays, date) !== undefined;
  const recurring = closed ? [] : sessions.filter((s) => mine(s) && sessionOccursOn(s, date));
  const extra = exceptions.extra.filter((s) => mine(s) && s.date === date);
  return [...recurring, ...extra].filter((s) => !cancelled(s) && !dayOff(s));
}

/** Cuts a session into slots by wall-clock time, so 19:00 stays 19:00 whatever the UTC offset. */
function sessionSlots(session: AnySession, startsAt: (minutes: number) => Date | undefined): Slot[] {
  const first = minutesOfDay(session.start);
  const last = minutesOfDay(session.end);
  const slots: Slot[] = [];
  for (let m = first; m + session.slotMinutes <= last; m += session.slotMinutes) {
    const start = startsAt(m);
    // A slot in the hour the clocks skip does not exist; leave it out rather than shift it.
    if (!start) continue;
    // A slot lasts its minutes in real time, also when the clocks change during it.
    const end = new Date(start.getTime() + session.slotMinutes * 60_000);
    const { aldermanId, id: sessionId, kind, place } = session;
    slots.push({ aldermanId, sessionId, start, end, kind, place });
  }
  return slots;
}

function compareSlots(a: Slot, b: Slot): number {
  return (
    a.start.getTime() - b.start.getTime() ||
    a.aldermanId.localeCompare(b.aldermanId) ||
    a.sessionId.localeCompare(b.sessionId)
  );
}

function slotKey(aldermanId: string, start: Date): string {
  return `${aldermanId}@${start.getTime()}`;
}
