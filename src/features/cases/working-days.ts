import { holidayOn, type HolidayCalendar } from '../../municipality/holidays.js';
import { addDays, endOfLocalDay, localDateOf, weekday, type LocalDate } from '../../shared/local-date.js';

/** Where working days are counted: the municipality's zone and its closing days. */
export interface WorkingDayOptions {
  timeZone: string;
  holidays: HolidayCalendar;
}

/** Monday to Friday, and not a day the municipality is closed. */
export function isWorkingDay(date: LocalDate, holidays: HolidayCalendar): boolean {
  return weekday(date) <= 5 && !holidayOn(holidays, date);
}

/**
 * The working day `n` working days after `date` (before it when `n` is negative). With `n = 0`,
 * `date` itself when it is a working day, else the next one.
 */
export function shiftWorkingDays(date: LocalDate, n: number, holidays: HolidayCalendar): LocalDate {
  if (!Number.isInteger(n)) throw new RangeError(`working days must be a whole number, got ${n}`);
  const step = n < 0 ? -1 : 1;
  let day = date;
  if (n === 0) {
    while (!isWorkingDay(day, holidays)) day = addDays(day, 1);
    return day;
  }
  for (let left = Math.abs(n); left > 0;) {
    day = addDays(day, step);
    if (isWorkingDay(day, holidays)) left--;
  }
  return day;
}

/**
 * The answer-by moment for something received at `start`: the END (23:59:59.999 local) of the
 * `n`-th working day after the local day of `start`. The day of receipt never counts, as with
 * Dutch statutory terms (Awb 'de dag na'), so a question sent on Saturday or at 08:00 on Monday
 * both get the same date.
 */
export function addWorkingDays(start: Date, n: number, options: WorkingDayOptions): Date {
  const day = shiftWorkingDays(localDateOf(start, options.timeZone), n, options.holidays);
  return endOfLocalDay(day, options.timeZone);
}

/**
 * Working days after the local day of `from` up to and including the local day of `to`; negative
 * when `to` is earlier. So `workingDaysBetween(s, addWorkingDays(s, n)) === n` for n >= 1.
 */
export function workingDaysBetween(from: Date, to: Date, options: WorkingDayOptions): number {
  const a = localDateOf(from, options.timeZone);
  const b = localDateOf(to, options.timeZone);
  if (b < a) return -countWorkingDays(b, a, options.holidays);
  return countWorkingDays(a, b, options.holidays);
}

function countWorkingDays(after: LocalDate, upTo: LocalDate, holidays: HolidayCalendar): number {
  let count = 0;
  for (let day = addDays(after, 1); day <= upTo; day = addDays(day, 1)) {
    if (isWorkingDay(day, holidays)) count++;
  }
  return count;
}
