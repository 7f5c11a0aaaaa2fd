import { DateTime, IANAZone } from 'luxon';

/**
 * Calendar maths on local dates (`YYYY-MM-DD`) and wall-clock times. Calendar dates are handled
 * as UTC midnights, so the machine's zone and daylight saving never enter; only the functions that
 * take a zone turn a local date and time into an instant, or an instant into a local date.
 */

/** A calendar date without a time or zone, as `YYYY-MM-DD`. */
export type LocalDate = string;

const DAY_MS = 86_400_000;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written as `YYYY-MM-DD`. */
export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Writes a year, month (1-12) and day as a LocalDate. */
export function localDate(year: number, month: number, day: number): LocalDate {
  return fromUtcMidnight(Date.UTC(year, month - 1, day));
}

/** The date `n` calendar days after `date` (before, when negative). */
export function addDays(date: LocalDate, n: number): LocalDate {
  return fromUtcMidnight(toUtcMidnight(date) + n * DAY_MS);
}

/** ISO weekday: 1 is Monday, 7 is Sunday. */
export function weekday(date: LocalDate): number {
  return ((new Date(toUtcMidnight(date)).getUTCDay() + 6) % 7) + 1;
}

/** The year of a LocalDate. */
export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

/** The year, month (1-12) and day of a LocalDate. */
export function dateParts(date: LocalDate): { year: number; month: number; day: number } {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

/** How many days the month of `date` has. */
export function daysInMonth(date: LocalDate): number {
  const { year, month } = dateParts(date);
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The same day `n` months later; the month's last day when it has no such day (31 January plus
 * one month is 28 or 29 February), as a term "within one month" is counted.
 */
export function addMonths(date: LocalDate, n: number): LocalDate {
  const { year, month, day } = dateParts(date);
  const first = localDate(
    year + Math.floor((month - 1 + n) / 12),
    ((((month - 1 + n) % 12) + 12) % 12) + 1,
    1,
  );
  return localDate(yearOf(first), dateParts(first).month, Math.min(day, daysInMonth(first)));
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((toUtcMidnight(to) - toUtcMidnight(from)) / DAY_MS);
}

/** Minutes since midnight of an `HH:MM` time. */
export function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** The calendar date an instant falls on in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  // Arithmetic when the instant's day has one offset (every case's answer-by date and timers pass
  // here, a few times each); luxon on a day the clocks change, for an unknown zone or a bad date.
  const ms = instant.getTime();
  const utcMidnight = Math.floor(ms / DAY_MS) * DAY_MS;
  // The local date is the UTC date, the day after (east of UTC) or the day before (west).
  for (const midnight of [utcMidnight, utcMidnight + DAY_MS, utcMidnight - DAY_MS]) {
    if (!Number.isFinite(midnight)) break;
    const date = fromUtcMidnight(midnight);
    const offset = steadyOffset(date, timeZone);
    if (offset === null) break;
    const start = midnight - offset * 60_000;
    if (ms >= start && ms < start + DAY_MS) return date;
  }
  return zoned(DateTime.fromJSDate(instant, { zone: timeZone }), timeZone).toFormat('yyyy-MM-dd');
}

/** Every local date in `zone` from the one `from` falls on through the one `until` falls on. */
export function localDatesBetween(from: Date, until: Date, zone: string): LocalDate[] {
  const last = localDateOf(until, zone);
  const dates: LocalDate[] = [];
  for (let ms = toUtcMidnight(localDateOf(from, zone)); ; ms += DAY_MS) {
    const date = fromUtcMidnight(ms);
    if (date > last) return dates;
    dates.push(date);
  }
}

/** The last millisecond of `date` in `timeZone`. */
export function endOfLocalDay(date: LocalDate, timeZone: string): Date {
  // One millisecond before the next midnight: plain arithmetic on most days (every case's
  // answer-by date passes here); luxon's endOf when a clock change skips that midnight or the day.
  const nextMidnight = wallClock(addDays(date, 1), timeZone)(0);
  const end = nextMidnight && new Date(nextMidnight.getTime() - 1);
  if (end && localDateOf(end, timeZone) === date) return end;
  return zoned(DateTime.fromISO(date, { zone: timeZone }), timeZone)
    .endOf('day')
    .toJSDate();
}

/** The start and end instants of one local date in `zone` (23 or 25 hours on DST days). */
export function localDayBounds(date: LocalDate, zone: string): { start: Date; end: Date } {
  const start = zoned(DateTime.fromISO(date, { zone }), zone).startOf('day');
  return { start: start.toJSDate(), end: start.plus({ days: 1 }).toJSDate() };
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The instant a wall-clock time (`HH:mm`) on `date` happens in `timeZone`. */
export function atLocalTime(date: LocalDate, time: string, timeZone: string): Date {
  // Arithmetic on a day without a clock change (every case's timers pass here); luxon otherwise.
  const hhmm = HH_MM.exec(time);
  const offset = hhmm && isLocalDate(date) ? steadyOffset(date, timeZone) : null;
  if (hhmm && offset !== null) {
    const minutes = Number(hhmm[1]) * 60 + Number(hhmm[2]);
    return new Date(toUtcMidnight(date) + (minutes - offset) * 60_000);
  }
  return zoned(DateTime.fromISO(`${date}T${time}`, { zone: timeZone }), timeZone).toJSDate();
}

/**
 * The instant a local date and wall-clock time denote in `zone`; undefined when that time does not
 * exist there (skipped by the clocks going forward). In the repeated hour of autumn the earlier
 * instant is taken.
 */
export function localInstant(date: LocalDate, minutes: number, zone: string): Date | undefined {
  const { year, month, day } = dateParts(date);
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
export function wallClock(date: LocalDate, zone: string): (minutes: number) => Date | undefined {
  const midnight = toUtcMidnight(date);
  const offset = steadyOffset(date, zone);
  if (offset === null) return (m) => localInstant(date, m, zone);
  return (m) => new Date(midnight + (m - offset) * 60_000);
}

// Asking the zone for an offset formats a date through Intl each time; a zone's rules do not change
// while the process runs, so each day's answer is kept (bounded: cleared when it grows large).
const steadyOffsets = new Map<string, number | null>();

/** The one UTC offset (minutes) of `date` in `zone`, or null when the clocks change that day (or the zone is unknown). */
function steadyOffset(date: LocalDate, zone: string): number | null {
  const key = `${zone} ${date}`;
  const known = steadyOffsets.get(key);
  if (known !== undefined) return known;
  const midnight = toUtcMidnight(date);
  const tz = IANAZone.create(zone);
  // A local day lies within 15 hours before and 39 after its UTC-midnight label (offsets are at
  // most ±14 h); one offset at both ends means no change in between (changes are months apart).
  const before = tz.offset(midnight - 15 * 3_600_000);
  const offset = Number.isFinite(before) && before === tz.offset(midnight + 39 * 3_600_000) ? before : null;
  if (steadyOffsets.size >= 10_000) steadyOffsets.clear();
  steadyOffsets.set(key, offset);
  return offset;
}

/** The instant `weeks` calendar weeks after `now`, counted in local time (so a DST change does not shorten it). */
export function plusLocalWeeks(now: Date, weeks: number, zone: string): Date {
  return DateTime.fromJSDate(now, { zone }).plus({ weeks }).toJSDate();
}

function zoned(value: DateTime, timeZone: string): DateTime {
  // luxon returns an invalid DateTime instead of throwing; a bad zone must not pass silently.
  if (!value.isValid)
    throw new RangeError(`invalid date or time zone "${timeZone}": ${value.invalidExplanation}`);
  return value;
}

function toUtcMidnight(date: LocalDate): number {
  if (!LOCAL_DATE.test(date)) throw new RangeError(`not a YYYY-MM-DD date: "${date}"`);
  const { year, month, day } = dateParts(date);
  return Date.UTC(year, month - 1, day);
}

function fromUtcMidnight(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * An instant as staff read it: the municipality's wall-clock time with its UTC offset, ISO 8601
 * (`2027-01-08T09:00:00+01:00`). Machines parse it like a UTC time; people see their own clock.
 */
export function localIso(instant: Date, zone: string): string {
  return (
    DateTime.fromJSDate(instant, { zone }).toISO({ suppressMilliseconds: true }) ?? instant.toISOString()
  );
}

/** An instant as a form's `datetime-local` value: the municipality's wall-clock time to the minute. */
export function localMinute(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-LL-dd'T'HH:mm");
}
