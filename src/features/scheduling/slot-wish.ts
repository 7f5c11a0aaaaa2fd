import type { SessionKind } from '../../municipality/hours-schema.js';
import { DAY_PART_HOURS, type DayPart } from '../../shared/day-parts.js';
import { dateParts, localDateOf, localMinute, weekday } from '../../shared/local-date.js';

/** The parts of a slot wish that name times: every part given must fit. */
export interface SlotParts {
  /** ISO weekdays: 1 is Monday, 7 is Sunday. */
  weekdays?: readonly number[];
  dayPart?: DayPart;
  /** The month, 1 to 12. */
  month?: number;
  /** A day of that month. */
  day?: number;
  /** The month or day is a bound: times after it, from it on, or before it. */
  bound?: 'after' | 'from' | 'before';
  kind?: SessionKind;
}

/**
 * What a resident asks of a slot when none of those shown fits ("heeft u iets op dinsdag?", "liever
 * 's avonds", "in januari", "telefonisch", "na 30 december"), and what they rule out ("niet in
 * december"), in the municipality's zone.
 */
export interface SlotWish extends SlotParts {
  /** Times that fit these parts are left out. */
  not?: SlotParts;
}

/** Whether a slot starting at `start`, of `kind`, fits the wish (local time in `timeZone`). */
export function fitsWish(
  slot: { start: Date; kind: SessionKind },
  wish: SlotWish,
  timeZone: string,
): boolean {
  if (!fitsParts(slot, wish, timeZone)) return false;
  return !wish.not || !fitsParts(slot, wish.not, timeZone);
}

function fitsParts(slot: { start: Date; kind: SessionKind }, wish: SlotParts, timeZone: string): boolean {
  const date = localDateOf(slot.start, timeZone);
  const parts = dateParts(date);
  if (wish.weekdays?.length && !wish.weekdays.includes(weekday(date))) return false;
  if (wish.month !== undefined && !fitsDate(parts, { month: wish.month, day: wish.day }, wish.bound))
    return false;
  if (wish.kind !== undefined && wish.kind !== slot.kind) return false;
  if (wish.dayPart === undefined) return true;
  const hour = Number(localMinute(slot.start, timeZone).slice(11, 13));
  const [from, to] = DAY_PART_HOURS[wish.dayPart];
  return hour >= from && hour < to;
}

/**
 * A slot's date against a month (or a day of it), on or in it, or as a bound. The month or day has
 * no year: the bound is its occurrence nearest the slot ("na 30 december" in the winter of 2026 is
 * 30 December 2026 for a time in January 2027), which is the one a resident means for times a few
 * months ahead.
 */
function fitsDate(
  slot: { year: number; month: number; day: number },
  named: { month: number; day?: number | undefined },
  bound: SlotParts['bound'],
): boolean {
  if (!bound) return named.month === slot.month && (named.day === undefined || named.day === slot.day);
  const at = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day) / 86_400_000;
  // Compared by day number when a day is named, by month number when only a month is.
  const own = named.day === undefined ? slot.year * 12 + slot.month : at(slot.year, slot.month, slot.day);
  const candidates = [slot.year - 1, slot.year, slot.year + 1].map((year) =>
    named.day === undefined ? year * 12 + named.month : at(year, named.month, named.day),
  );
  const nearest = candidates.reduce((a, b) => (Math.abs(b - own) < Math.abs(a - own) ? b : a));
  if (bound === 'after') return own > nearest;
  if (bound === 'from') return own >= nearest;
  return own < nearest;
}
