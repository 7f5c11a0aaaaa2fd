import { DateTime } from 'luxon';

/** A calendar date without a time or zone, as `YYYY-MM-DD`. */
export type LocalDate = string;

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
  return fromUtcMidnight(new Date(Date.UTC(year, month - 1, day)));
}

/** The date `n` calendar days after `date` (before, when negative). */
export function addDays(date: LocalDate, n: number): LocalDate {
  const t = toUtcMidnight(date);
  t.setUTCDate(t.getUTCDate() + n);
  return fromUtcMidnight(t);
}

/** ISO weekday: 1 is Monday, 7 is Sunday. */
export function weekday(date: LocalDate): number {
  const day = toUtcMidnight(date).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The year of a LocalDate. */
export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

/** The calendar date an instant falls on in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): LocalDate {
  return zoned(DateTime.fromJSDate(instant, { zone: timeZone }), timeZone).toFormat('yyyy-MM-dd');
}

/** The last millisecond of `date` in `timeZone`. */
export function endOfLocalDay(date: LocalDate, timeZone: string): Date {
  return zoned(DateTime.fromISO(date, { zone: timeZone }), timeZone)
    .endOf('day')
    .toJSDate();
}

/** The instant a wall-clock time (`HH:mm`) on `date` happens in `timeZone`. */
export function atLocalTime(date: LocalDate, time: string, timeZone: string): Date {
  return zoned(DateTime.fromISO(`${date}T${time}`, { zone: timeZone }), timeZone).toJSDate();
}

function zoned(value: DateTime, timeZone: string): DateTime {
  // luxon returns an invalid DateTime instead of throwing; a bad zone must not pass silently.
  if (!value.isValid)
    throw new RangeError(`invalid date or time zone "${timeZone}": ${value.invalidExplanation}`);
  return value;
}

function toUtcMidnight(date: LocalDate): Date {
  if (!isLocalDate(date)) throw new RangeError(`not a YYYY-MM-DD date: "${date}"`);
  return new Date(`${date}T00:00:00Z`);
}

function fromUtcMidnight(t: Date): LocalDate {
  return t.toISOString().slice(0, 10);
}
