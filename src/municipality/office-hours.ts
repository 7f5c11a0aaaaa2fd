import { DateTime } from 'luxon';
import type { DayKey } from './municipality-schema.js';

const dayKeys: DayKey[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export type OfficeHours = Partial<Record<DayKey, [string, string]>>;

/** When staff are next at work: `open` now, or the day and local time they start again. */
export type Availability = { open: true } | { open: false; day: DayKey; time: string; daysAhead: number };

/**
 * Tells whether the office is open at `now`, and if not, when it opens next (local time).
 * `isClosedDay` lets the caller skip public holidays.
 */
export function officeAvailability(params: {
  now: Date;
  timeZone: string;
  hours: OfficeHours;
  isClosedDay?: (localDate: string) => boolean;
}): Availability {
  const local = DateTime.fromJSDate(params.now, { zone: params.timeZone });
  for (let ahead = 0; ahead < 21; ahead++) {
    const day = local.plus({ days: ahead }).startOf('day');
    const key = dayKeys[day.weekday - 1] as DayKey;
    const span = params.hours[key];
    if (!span || params.isClosedDay?.(day.toISODate() ?? '')) continue;
    const [from, to] = span.map((hhmm) => day.set(time(hhmm)));
    if (!from || !to) continue;
    if (ahead === 0 && local >= from && local < to) return { open: true };
    if (local < from) return { open: false, day: key, time: span[0], daysAhead: ahead };
  }
  return { open: false, day: 'mon', time: params.hours.mon?.[0] ?? '09:00', daysAhead: 7 };
}

function time(hhmm: string): { hour: number; minute: number } {
  const [hour, minute] = hhmm.split(':').map(Number);
  return { hour: hour ?? 0, minute: minute ?? 0 };
}
