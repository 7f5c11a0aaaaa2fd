import { describe, expect, it } from 'vitest';
import { fitsWish } from '../../src/features/scheduling/slot-wish.js';

const ZONE = 'Europe/Amsterdam';
/** Tuesday 8 December 2026, 19:00 in Rijswijk (18:00 UTC, winter time). */
const tuesdayEvening = { start: new Date('2026-12-08T18:00:00Z'), kind: 'chat' as const };
/** Friday 23 October 2026, 11:30 in Rijswijk (09:30 UTC, summer time). */
const fridayMorning = { start: new Date('2026-10-23T09:30:00Z'), kind: 'phone' as const };
/** Thursday 31 December 2026, 23:30 in Rijswijk (22:30 UTC); in Tokyo it is Friday 1 January already. */
const newYearsEve = { start: new Date('2026-12-31T22:30:00Z'), kind: 'town-hall' as const };

describe('a free slot fits a wish in local time (fitsWish)', () => {
  it('by weekday, part of the day, month, day and kind, all of them at once', () => {
    expect(fitsWish(tuesdayEvening, { weekdays: [2] }, ZONE)).toBe(true);
    expect(fitsWish(tuesdayEvening, { weekdays: [3, 4] }, ZONE)).toBe(false);
    expect(fitsWish(tuesdayEvening, { dayPart: 'evening' }, ZONE)).toBe(true);
    expect(fitsWish(tuesdayEvening, { dayPart: 'afternoon' }, ZONE)).toBe(false);
    expect(fitsWish(tuesdayEvening, { month: 12, day: 8 }, ZONE)).toBe(true);
    expect(fitsWish(tuesdayEvening, { month: 12, day: 9 }, ZONE)).toBe(false);
    expect(fitsWish(tuesdayEvening, { month: 1 }, ZONE)).toBe(false);
    expect(fitsWish(tuesdayEvening, { kind: 'chat', weekdays: [2], dayPart: 'evening' }, ZONE)).toBe(true);
    expect(fitsWish(tuesdayEvening, { kind: 'phone', weekdays: [2] }, ZONE)).toBe(false);
    expect(fitsWish(fridayMorning, { kind: 'phone', dayPart: 'morning', weekdays: [5] }, ZONE)).toBe(true);
  });

  it('reads the day and hour in the municipality zone, not in UTC (summer and winter time)', () => {
    // 09:30 UTC is 11:30 in summer time: still morning, on the Friday.
    expect(fitsWish(fridayMorning, { dayPart: 'morning' }, ZONE)).toBe(true);
    // 22:30 UTC on 31 December is 23:30 local: the evening of the Thursday, in December.
    expect(fitsWish(newYearsEve, { weekdays: [4], dayPart: 'evening', month: 12, day: 31 }, ZONE)).toBe(true);
    // In Tokyo the same instant is Friday 1 January, in the morning.
    expect(fitsWish(newYearsEve, { weekdays: [5], month: 1, dayPart: 'morning' }, 'Asia/Tokyo')).toBe(true);
  });

  it('an empty wish fits every slot', () => {
    expect(fitsWish(newYearsEve, {}, ZONE)).toBe(true);
  });

  // Regression: "niet in december" showed December times, "na 30 december" only 30 December.
  it('leaves out what the wish rules out, and reads a month or day as a bound', () => {
    expect(fitsWish(tuesdayEvening, { not: { month: 12 } }, ZONE)).toBe(false);
    expect(fitsWish(tuesdayEvening, { not: { month: 12, day: 9 } }, ZONE)).toBe(true);
    expect(fitsWish(tuesdayEvening, { weekdays: [2], not: { dayPart: 'evening' } }, ZONE)).toBe(false);
    expect(fitsWish(tuesdayEvening, { month: 12, day: 7, bound: 'after' }, ZONE)).toBe(true);
    expect(fitsWish(tuesdayEvening, { month: 12, day: 8, bound: 'after' }, ZONE)).toBe(false);
    expect(fitsWish(tuesdayEvening, { month: 12, day: 8, bound: 'from' }, ZONE)).toBe(true);
    expect(fitsWish(tuesdayEvening, { month: 12, day: 8, bound: 'before' }, ZONE)).toBe(false);
    expect(fitsWish(tuesdayEvening, { month: 12, day: 20, bound: 'before' }, ZONE)).toBe(true);
    expect(fitsWish(tuesdayEvening, { month: 11, bound: 'after' }, ZONE)).toBe(true);
    expect(fitsWish(tuesdayEvening, { month: 12, bound: 'after' }, ZONE)).toBe(false);
    expect(fitsWish(tuesdayEvening, { month: 1, bound: 'from' }, ZONE)).toBe(false);
    // The bound without a year is the one nearest the slot: after 30 December is January too.
    const january = { start: new Date('2027-01-05T18:00:00Z'), kind: 'chat' as const };
    expect(fitsWish(january, { month: 12, day: 30, bound: 'after' }, ZONE)).toBe(true);
    expect(fitsWish(january, { month: 12, bound: 'after' }, ZONE)).toBe(true);
    expect(fitsWish(january, { month: 12, day: 20, bound: 'before' }, ZONE)).toBe(false);
    expect(fitsWish(january, { month: 2, bound: 'from' }, ZONE)).toBe(false);
  });
});
