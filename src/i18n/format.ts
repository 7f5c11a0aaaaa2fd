import { locales, type Language } from './translator.js';

type Style = 'date' | 'dateWithYear' | 'time' | 'short' | 'year';

const styles: Record<Style, Intl.DateTimeFormatOptions> = {
  date: { weekday: 'long', day: 'numeric', month: 'long' },
  dateWithYear: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
  time: { hour: '2-digit', minute: '2-digit', hour12: false },
  short: {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  },
  year: { year: 'numeric' },
};

// Building an Intl.DateTimeFormat costs far more than formatting with one (a tenth of a
// millisecond and more; every notice with a date formats several), so each is made once.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, style: Style, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${style}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...styles[style], timeZone });
    formatters.set(key, f);
  }
  return f;
}

/** A date as a resident reads it: "dinsdag 8 december" (the year only when it is not this year's). */
export function formatDate(date: Date, lang: Language, timeZone: string, now?: Date): string {
  const sameYear = now && year(now, timeZone) === year(date, timeZone);
  if (sameYear) return formatter(locales[lang], 'date', timeZone).format(date);
  // British English puts a comma after the weekday only when the year is there too ("Tuesday, 5
  // January 2027"); written the same way as this year's dates ("Thursday 17 December").
  return formatter(locales[lang], 'dateWithYear', timeZone)
    .formatToParts(date)
    .map((part, i) => (i === 1 && part.type === 'literal' ? ' ' : part.value))
    .join('');
}

/** A time of day: "19:00". */
export function formatTime(date: Date, lang: Language, timeZone: string): string {
  return formatter(locales[lang], 'time', timeZone).format(date);
}

/** A short date and time for lists: "di 8 dec 19:00". */
export function formatShort(date: Date, lang: Language, timeZone: string): string {
  return formatter(locales[lang], 'short', timeZone).format(date);
}

function year(date: Date, timeZone: string): string {
  return formatter('en', 'year', timeZone).format(date);
}

/** A retention term in the unit a resident reads best: a whole number of years, months or days. */
export type Term = { count: number; unit: 'year' | 'month' | 'day' };

/**
 * The term of `days` as `data/retention.json` gives it: whole years of 365 days ("730" is 2 years),
 * whole months of 30 days from 120 days up ("180" is 6 months), else days (up to 90 days read well
 * as days). Any year, and any run of four or more calendar months, is at least that many days, so
 * the notice never states a shorter term than the purge keeps to.
 */
export function retentionTerm(days: number): Term {
  if (days >= 365 && days % 365 === 0) return { count: days / 365, unit: 'year' };
  if (days >= 120 && days % 30 === 0) return { count: days / 30, unit: 'month' };
  return { count: days, unit: 'day' };
}

const units = new Map<string, Intl.NumberFormat>();

/** A retention term in words: "2 jaar", "6 maanden", "90 dagen"; "2 years", "1 day". */
export function formatTerm(days: number, lang: Language): string {
  const { count, unit } = retentionTerm(days);
  const key = `${lang}|${unit}`;
  let f = units.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locales[lang], { style: 'unit', unit, unitDisplay: 'long' });
    units.set(key, f);
  }
  return f.format(count);
}
