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
