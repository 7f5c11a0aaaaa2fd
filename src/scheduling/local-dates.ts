import { DateTime, IANAZone } from 'luxon';

/**
 * Calendar maths on local dates ('YYYY-MM-DD') and wall-clock times ('HH:MM'). Calendar dates are
 * handled as UTC dates so that the machine's zone and daylight saving never enter; only
 * `localInstant` turns a local date and time into an instant, in the zone it is given.
 */

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type WeekdayKey = (typeof weekdays)[number];

/** The recurrence fields of a session, as hours.json spells them. */
export type Recurrence = { validFrom?: string; validUntil?: string; weekday: WeekdayKey } & (
  { rule: 'weekly'; intervalWeeks?: number } | { rule: 'monthly'; nth: 1 | 2 | 3 | 4 | -1 }
);

const DAY_MS = 86_400_000;

/** True for a real calendar date written as YYYY-MM-DD. */
export function isLocalDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const { month, day } = parts(value);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(value);
}

/** Minutes since midnight of an 'HH:MM' time. */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** True when a recurring session takes place on this local date. */
export function sessionOccursOn(session: Recurrence, date: string): boolean {
  if (session.validFrom && date < session.validFrom) return false;
  if (session.validUntil && date > session.validUntil) return false;
  if (isoWeekday(date) !== weekdays.indexOf(session.weekday) + 1) return false;
  if (session.rule === 'monthly') {
    const { day } = parts(date);
    if (session.nth === -1) return day + 7 > daysInMonth(date);
    return Math.ceil(day / 7) === session.nth;
  }
  const interval = session.intervalWeeks ?? 1;
  if (interval === 1 || !session.validFrom) return true;
  const weeks = Math.round((mondayOf(date) - mondayOf(session.validFrom)) / (7 * DAY_MS));
  return weeks % interval === 0;
}

/** Every local date in `zone` from the one `from` falls on through the one `until` falls on. */
export function localDatesBetween(from: Date, until: Date, zone: string): string[] {
  const last = toLocalDate(until, zone);
  const dates: string[] = [];
  for (let ms = utcMidnight(toLocalDate(from, zone)); ; ms += DAY_MS) {
    const date = new Date(ms).toISOString().slice(0, 10);
    if (date > last) return dates;
    dates.push(date);
  }
}

/** The local date ('YYYY-MM-DD') an instant falls on in `zone`. */
export function toLocalDate(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toISODate()!;
}

/**
 * The instant a local date and wall-clock time denote in `zone`; undefined when that time does not
 * exist there (skipped by the clocks going forward). In the repeated hour of autumn the earlier
 * instant is taken.
 */
export function localInstant(date: string, minutes: number, zone: string): Date | undefined {
  const [year, month, day] = date.split('-').map(Number);
  const hour = Math.floor(minutes / 60);
  const minute = minutes % 60;
  const dt = DateTime.fromObject({ year, month, day, hour, minute }, { zone });
  // Luxon moves a non-existent time forward; a changed hour or minute tells us it did.
  if (!dt.isValid || dt.hour !== hour || dt.minute !== minute) return undefined;
  const earliest = Math.min(...dt.getPossibleOffsets().map((candidate) => candidate.toMillis()));
  return new Date(earliest);
}

/**
 * A converter from minutes of the day to instants on one local date. On the 363 or so days a
 * year without a clock change it is plain arithmetic with the day's one UTC offset (slot maths
 * runs per day, so this is the hot path); on a changeover day each time goes through
 * `localInstant`, which skips and disambiguates.
 */
export function wallClock(date: string, zone: string): (minutes: number) => Date | undefined {
  const midnight = utcMidnight(date);
  const tz = IANAZone.create(zone);
  // A local day lies within 15 hours before and 39 after its UTC-midnight label (offsets are at
  // most ±14 h); one offset at both ends means no change in between (changes are months apart).
  const offset = tz.offset(midnight - 15 * 3_600_000);
  if (offset !== tz.offset(midnight + 39 * 3_600_000)) return (m) => localInstant(date, m, zone);
  return (m) => new Date(midnight + (m - offset) * 60_000);
}

/** The instant `weeks` calendar weeks after `now`, counted in local time (so a DST change does not shorten it). */
export function plusLocalWeeks(now: Date, weeks: number, zone: string): Date {
  return DateTime.fromJSDate(now, { zone }).plus({ weeks }).toJSDate();
}

/** The start and end instants of one local date in `zone` (23 or 25 hours on DST days). */
export function localDayBounds(date: string, zone: string): { start: Date; end: Date } {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return { start: start.toJSDate(), end: start.plus({ days: 1 }).toJSDate() };
}

// Calendar dates as UTC midnights: plain arithmetic, no zone, and fast (slot maths runs per day).

function parts(date: string): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

function utcMidnight(date: string): number {
  const { year, month, day } = parts(date);
  return Date.UTC(year, month - 1, day);
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekday(date: string): number {
  return ((new Date(utcMidnight(date)).getUTCDay() + 6) % 7) + 1;
}

function daysInMonth(date: string): number {
  const { year, month } = parts(date);
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function mondayOf(date: string): number {
  return utcMidnight(date) - (isoWeekday(date) - 1) * DAY_MS;
}
