import { describe, expect, it } from 'vitest';
import { easterSunday, holidayOn, holidaysInYear, ruleDate } from '../../src/municipality/holidays.js';
import { parseHolidayCalendar } from '../../src/municipality/case-data.js';
import { holidays } from './support.js';

describe('easterSunday (anonymous Gregorian algorithm)', () => {
  it.each([
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'], // the latest possible date
    [2285, '2285-03-22'], // the earliest possible date
  ])('Easter %i is on %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });
});

describe('holidaysInYear with the shipped Rijswijk calendar', () => {
  it('lists the closed days of 2026 in date order, without Good Friday (open in Rijswijk)', () => {
    expect(holidaysInYear(holidays, 2026).map((h) => `${h.date} ${h.id}`)).toEqual([
      '2026-01-01 nieuwjaarsdag',
      '2026-04-05 eerste-paasdag',
      '2026-04-06 tweede-paasdag',
      '2026-04-27 koningsdag',
      '2026-05-05 bevrijdingsdag',
      '2026-05-14 hemelvaartsdag',
      '2026-05-24 eerste-pinksterdag',
      '2026-05-25 tweede-pinksterdag',
      '2026-12-25 eerste-kerstdag',
      '2026-12-26 tweede-kerstdag',
    ]);
  });

  it('moves Koningsdag to 26 April when 27 April is a Sunday (2025, 2014)', () => {
    expect(holidayOn(holidays, '2025-04-26')?.id).toBe('koningsdag');
    expect(holidayOn(holidays, '2025-04-27')).toBeUndefined();
    expect(holidayOn(holidays, '2014-04-26')?.id).toBe('koningsdag');
  });

  it('puts 2027 Easter-relative days on the right dates', () => {
    const days = Object.fromEntries(holidaysInYear(holidays, 2027).map((h) => [h.id, h.date]));
    expect(days).toMatchObject({
      'tweede-paasdag': '2027-03-29',
      hemelvaartsdag: '2027-05-06',
      'tweede-pinksterdag': '2027-05-17',
    });
  });

  it('closes on Good Friday when a municipality flips closed to true', () => {
    const calendar = parseHolidayCalendar({
      rules: [
        { id: 'goede-vrijdag', name: { nl: 'Goede Vrijdag', en: 'Good Friday' }, kind: 'easter', offset: -2 },
      ],
    });
    expect(holidayOn(calendar, '2026-04-03')?.id).toBe('goede-vrijdag');
  });

  it('adds extra closing days only in their own year', () => {
    const calendar = parseHolidayCalendar({
      rules: [],
      extraDates: [{ date: '2026-12-31', name: { nl: 'Sluitingsdag', en: 'Closing day' } }],
    });
    expect(holidayOn(calendar, '2026-12-31')?.id).toBe('extra');
    expect(holidayOn(calendar, '2027-12-31')).toBeUndefined();
  });

  it('keeps a day moved across New Year in the year it lands in', () => {
    const calendar = parseHolidayCalendar({
      rules: [
        {
          id: 'oudjaar',
          name: { nl: 'Oudjaar', en: "New Year's Eve" },
          kind: 'fixed',
          month: 12,
          day: 31,
          ifSunday: 1,
        },
      ],
    });
    // 31 December 2028 is a Sunday, so the day moves to 1 January 2029.
    expect(holidayOn(calendar, '2029-01-01')?.id).toBe('oudjaar');
    expect(holidayOn(calendar, '2028-12-31')).toBeUndefined();
  });

  it('skips 29 February in years without one', () => {
    const rule = {
      id: 'x',
      name: { nl: 'x', en: 'x' },
      kind: 'fixed' as const,
      month: 2,
      day: 29,
      closed: true,
      municipalChoice: false,
    };
    expect(ruleDate(rule, 2028)).toBe('2028-02-29');
    expect(ruleDate(rule, 2027)).toBeUndefined();
  });
});
