import {
  addDays,
  daysBetween,
  daysInMonth,
  dateParts,
  weekday,
  type LocalDate,
} from '../shared/local-date.js';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type WeekdayKey = (typeof weekdays)[number];

/** The recurrence fields of a session, as hours.json spells them. */
export type Recurrence = { validFrom?: string; validUntil?: string; weekday: WeekdayKey } & (
  { rule: 'weekly'; intervalWeeks?: number } | { rule: 'monthly'; nth: 1 | 2 | 3 | 4 | -1 }
);

/** True when a recurring session takes place on this local date. */
export function sessionOccursOn(session: Recurrence, date: LocalDate): boolean {
  if (session.validFrom && date < session.validFrom) return false;
  if (session.validUntil && date > session.validUntil) return false;
  if (weekday(date) !== weekdays.indexOf(session.weekday) + 1) return false;
  if (session.rule === 'monthly') {
    const { day } = dateParts(date);
    if (session.nth === -1) return day + 7 > daysInMonth(date);
    return Math.ceil(day / 7) === session.nth;
  }
  const interval = session.intervalWeeks ?? 1;
  if (interval === 1 || !session.validFrom) return true;
  // Both dates fall on the session's weekday, so whole weeks lie between them.
  const weeks = Math.round(daysBetween(mondayOf(session.validFrom), mondayOf(date)) / 7);
  return weeks % interval === 0;
}

function mondayOf(date: LocalDate): LocalDate {
  return addDays(date, 1 - weekday(date));
}
