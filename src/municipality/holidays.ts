import type { HolidayCalendar, HolidayRule } from './case-data.js';
import { addDays, localDate, weekday, yearOf, type LocalDate } from '../shared/local-date.js';

export type { HolidayCalendar, HolidayRule } from './case-data.js';

/** One day the municipality is closed. */
export interface Holiday {
  date: LocalDate;
  /** The rule's id, or `extra` for a one-off date. */
  id: string;
  name: { nl: string; en: string };
}

/** Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian algorithm). */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return localDate(year, month, day);
}

/** The date a rule gives in `year`, or undefined when the rule has no date that year (29 February). */
export function ruleDate(rule: HolidayRule, year: number): LocalDate | undefined {
  if (rule.kind === 'easter') return addDays(easterSunday(year), rule.offset);
  const date = localDate(year, rule.month, rule.day);
  if (Number(date.slice(5, 7)) !== rule.month) return undefined;
  return rule.ifSunday !== undefined && weekday(date) === 7 ? addDays(date, rule.ifSunday) : date;
}

// Expanding the rules is cheap, but working-day loops ask per day; remember each calendar's years.
const cache = new WeakMap<HolidayCalendar, Map<number, Map<LocalDate, Holiday>>>();

/** The days the municipality is closed in `year`, in date order (rules with `closed: false` left out). */
export function holidaysInYear(calendar: HolidayCalendar, year: number): Holiday[] {
  return [...closedDays(calendar, year).values()].sort((x, y) => x.date.localeCompare(y.date));
}

/** The holiday on `date`, if the municipality is closed that day for one. */
export function holidayOn(calendar: HolidayCalendar, date: LocalDate): Holiday | undefined {
  return closedDays(calendar, yearOf(date)).get(date);
}

function closedDays(calendar: HolidayCalendar, year: number): Map<LocalDate, Holiday> {
  let years = cache.get(calendar);
  if (!years) {
    years = new Map<number, Map<LocalDate, Holiday>>();
    cache.set(calendar, years);
  }
  let days = years.get(year);
  if (!days) {
    days = expand(calendar, year);
    years.set(year, days);
  }
  return days;
}

function expand(calendar: HolidayCalendar, year: number): Map<LocalDate, Holiday> {
  const days = new Map<LocalDate, Holiday>();
  for (const rule of calendar.rules.filter((r) => r.closed)) {
    // A moved date can cross New Year (31 December moved a day later), so look at the neighbours too.
    for (const y of [year - 1, year, year + 1]) {
      const date = ruleDate(rule, y);
      if (date && yearOf(date) === year && !days.has(date))
        days.set(date, { date, id: rule.id, name: rule.name });
    }
  }
  for (const extra of calendar.extraDates) {
    if (yearOf(extra.date) === year && !days.has(extra.date)) {
      days.set(extra.date, { date: extra.date, id: 'extra', name: extra.name });
    }
  }
  return days;
}
