import type { SessionKind } from '../../municipality/hours-schema.js';
import { DAY_PART_HOURS, type DayPart } from '../../shared/day-parts.js';
import { dateParts, localDateOf, localMinute, weekday } from '../../shared/local-date.js';

/**
 * What a resident asks of a slot when none of those shown fits ("heeft u iets op dinsdag?", "liever
 * 's avonds", "in januari", "telefonisch"): every part given must fit, in the municipality's zone.
 */
export interface SlotWish {
  /** ISO weekdays: 1 is Monday, 7 is Sunday. */
  weekdays?: readonly number[];
  dayPart?: DayPart;
  /** The month, 1 to 12. */
  month?: number;
  /** A day of that month. */
  day?: number;
  kind?: SessionKind;
}

/** Whether a slot starting at `start`, of `kind`, fits the wish (local time in `timeZone`). */
export function fitsWish(
  slot: { start: Date; kind: SessionKind },
  wish: SlotWish,
  timeZone: string,
): boolean {
  const date = localDateOf(slot.start, timeZone);
  const { month, day } = dateParts(date);
  if (wish.weekdays?.length && !wish.weekdays.includes(weekday(date))) return false;
  if (wish.month !== undefined && wish.month !== month) return false;
  if (wish.day !== undefined && wish.day !== day) return false;
  if (wish.kind !== undefined && wish.kind !== slot.kind) return false;
  if (wish.dayPart === undefined) return true;
  const hour = Number(localMinute(slot.start, timeZone).slice(11, 13));
  const [from, to] = DAY_PART_HOURS[wish.dayPart];
  return hour >= from && hour < to;
}
