import type { Language } from './translator.js';

const locales: Record<Language, string> = { nl: 'nl-NL', en: 'en-GB' };

/** A date as a resident reads it: "dinsdag 8 december" (the year only when it is not this year's). */
export function formatDate(date: Date, lang: Language, timeZone: string, now?: Date): string {
  const sameYear = now && year(now, timeZone) === year(date, timeZone);
  return new Intl.DateTimeFormat(locales[lang], {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
    timeZone,
  }).format(date);
}

/** A time of day: "19:00". */
export function formatTime(date: Date, lang: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(locales[lang], {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  }).format(date);
}

/** A short date and time for lists: "di 8 dec 19:00". */
export function formatShort(date: Date, lang: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(locales[lang], {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone,
  }).format(date);
}

function year(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en', { year: 'numeric', timeZone }).format(date);
}
