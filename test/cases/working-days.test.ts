import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  isWorkingDay,
  shiftWorkingDays,
  workingDaysBetween,
} from '../../src/features/cases/working-days.js';
import { DateTime } from 'luxon';
import { addDays, addMonths, atLocalTime, endOfLocalDay, localDateOf } from '../../src/shared/local-date.js';
import { answerByOf } from '../../src/features/cases/case-service.js';
import { holidays, options, timeZone } from './support.js';

/** The local answer-by date for a question received at `at` with an `n`-day norm. */
const answerDay = (at: string, n: number): string =>
  localDateOf(addWorkingDays(new Date(at), n, options), timeZone);

describe('isWorkingDay', () => {
  it.each([
    ['2026-03-13', true, 'a Friday'],
    ['2026-03-14', false, 'a Saturday'],
    ['2026-03-15', false, 'a Sunday'],
    ['2026-04-03', true, 'Good Friday (open in Rijswijk)'],
    ['2026-04-06', false, 'Easter Monday'],
    ['2026-04-27', false, "King's Day on a Monday"],
    ['2026-05-05', false, 'Liberation Day (the municipality closes)'],
    ['2026-05-14', false, 'Ascension Day'],
    ['2026-05-25', false, 'Whit Monday'],
    ['2026-12-25', false, 'Christmas Day'],
    ['2027-01-01', false, "New Year's Day"],
  ])('%s is %s: %s', (date, expected) => {
    expect(isWorkingDay(date, holidays)).toBe(expected);
  });
});

describe('addWorkingDays', () => {
  it('skips the weekend', () => {
    expect(answerDay('2026-03-13T09:00:00Z', 5)).toBe('2026-03-20');
    expect(answerDay('2026-03-13T09:00:00Z', 1)).toBe('2026-03-16');
  });

  it('does not count the day of receipt, so Saturday and Monday morning give the same date', () => {
    expect(answerDay('2026-03-14T12:00:00Z', 1)).toBe('2026-03-16');
    expect(answerDay('2026-03-16T07:00:00Z', 1)).toBe('2026-03-17');
    expect(answerDay('2026-03-15T12:00:00Z', 5)).toBe(answerDay('2026-03-14T12:00:00Z', 5));
  });

  it('counts from the local day, not the UTC day (00:30 Monday in Amsterdam is Sunday in UTC)', () => {
    expect(answerDay('2026-03-15T23:30:00Z', 1)).toBe('2026-03-17');
  });

  it('returns the last millisecond of the local day, in winter and in summer time', () => {
    expect(addWorkingDays(new Date('2026-03-13T09:00:00Z'), 5, options).toISOString()).toBe(
      '2026-03-20T22:59:59.999Z',
    );
    // The clocks go forward on Sunday 29 March 2026.
    expect(addWorkingDays(new Date('2026-03-27T09:00:00Z'), 1, options).toISOString()).toBe(
      '2026-03-30T21:59:59.999Z',
    );
  });

  it('skips Easter Monday 2026 (Easter is 5 April)', () => {
    expect(answerDay('2026-04-02T10:00:00Z', 5)).toBe('2026-04-10');
    expect(answerDay('2026-04-03T10:00:00Z', 1)).toBe('2026-04-07');
  });

  it('skips Easter Monday 2027 (Easter is 28 March)', () => {
    expect(answerDay('2027-03-25T10:00:00Z', 3)).toBe('2027-03-31');
  });

  it("skips King's Day 2026 (a Monday); in 2025 it falls on Saturday 26 April and changes nothing", () => {
    expect(answerDay('2026-04-24T10:00:00Z', 1)).toBe('2026-04-28');
    expect(answerDay('2025-04-25T10:00:00Z', 1)).toBe('2025-04-28');
  });

  it('crosses Christmas and New Year', () => {
    expect(answerDay('2025-12-24T10:00:00Z', 5)).toBe('2026-01-05');
    // Christmas Day 2026 is a Friday, Boxing Day a Saturday.
    expect(answerDay('2026-12-23T10:00:00Z', 3)).toBe('2026-12-29');
    expect(answerDay('2026-12-30T10:00:00Z', 1)).toBe('2026-12-31');
    expect(answerDay('2026-12-31T10:00:00Z', 1)).toBe('2027-01-04');
  });

  it('skips Ascension Day and Whit Monday 2026', () => {
    expect(answerDay('2026-05-13T10:00:00Z', 1)).toBe('2026-05-15');
    expect(answerDay('2026-05-22T10:00:00Z', 1)).toBe('2026-05-26');
    // Liberation Day, Ascension and Whit Monday in one stretch.
    expect(answerDay('2026-05-04T10:00:00Z', 10)).toBe('2026-05-20');
  });

  it('with 0 days gives the day itself, or the next working day', () => {
    expect(answerDay('2026-03-13T09:00:00Z', 0)).toBe('2026-03-13');
    expect(answerDay('2026-03-14T09:00:00Z', 0)).toBe('2026-03-16');
  });

  it('refuses half days and unknown time zones', () => {
    expect(() => addWorkingDays(new Date('2026-03-13T09:00:00Z'), 1.5, options)).toThrow(RangeError);
    expect(() =>
      addWorkingDays(new Date('2026-03-13T09:00:00Z'), 1, { timeZone: 'Mars/Olympus', holidays }),
    ).toThrow(/time zone/);
  });
});

describe('shiftWorkingDays backwards', () => {
  it('steps back over Easter Monday and the weekend', () => {
    expect(shiftWorkingDays('2026-04-07', -1, holidays)).toBe('2026-04-03');
    expect(shiftWorkingDays('2026-01-02', -1, holidays)).toBe('2025-12-31');
  });
});

describe('workingDaysBetween', () => {
  it('undoes addWorkingDays for every start day of 2026 and norms 1 to 10', () => {
    for (let day = '2026-01-01'; day <= '2026-12-31'; day = addDays(day, 1)) {
      const start = new Date(`${day}T10:00:00Z`);
      for (let n = 1; n <= 10; n++) {
        const end = addWorkingDays(start, n, options);
        expect(workingDaysBetween(start, end, options)).toBe(n);
        expect(isWorkingDay(localDateOf(end, timeZone), holidays)).toBe(true);
      }
    }
  });

  it('is zero within a day and negative backwards', () => {
    const a = new Date('2026-04-02T08:00:00Z');
    const b = new Date('2026-04-10T08:00:00Z');
    expect(workingDaysBetween(a, a, options)).toBe(0);
    expect(workingDaysBetween(a, b, options)).toBe(5);
    expect(workingDaysBetween(b, a, options)).toBe(-5);
  });
});

describe('endOfLocalDay', () => {
  // Regression guard for the arithmetic fast path (every answer-by date passes here): it must give
  // what luxon's endOf('day') gives, also on clock-change days, where midnight itself is skipped
  // (Santiago, Havana) and on the day Samoa skipped (30 December 2011).
  it.each(['Europe/Amsterdam', 'America/Santiago', 'America/Havana', 'Australia/Lord_Howe', 'Pacific/Apia'])(
    'agrees with luxon on every day of 2011 to 2013 and 2026 in %s',
    (zone) => {
      const days = [...daysOf(2011, 3 * 366), ...daysOf(2026, 366)];
      const differing = days.filter(
        (d) => endOfLocalDay(d, zone).getTime() !== DateTime.fromISO(d, { zone }).endOf('day').toMillis(),
      );
      expect(differing).toEqual([]);
    },
  );

  it('refuses an unknown time zone', () => {
    expect(() => endOfLocalDay('2026-03-13', 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('localDateOf', () => {
  // Regression guard for the arithmetic fast path (every case's answer-by date and timers): the
  // date luxon gives, every half hour and a millisecond before it, on clock-change days too.
  it.each(['Europe/Amsterdam', 'America/Santiago', 'America/Havana', 'Australia/Lord_Howe', 'Pacific/Apia'])(
    'agrees with luxon every half hour of 2011 and 2026 in %s',
    (zone) => {
      const instants = [...daysOf(2011, 365), ...daysOf(2026, 365)].flatMap((d) =>
        Array.from({ length: 48 }, (_, i) => Date.parse(`${d}T00:00:00Z`) + i * 1_800_000).flatMap((ms) => [
          ms,
          ms - 1,
        ]),
      );
      const differing = instants.filter(
        (ms) => localDateOf(new Date(ms), zone) !== DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd'),
      );
      expect(differing).toEqual([]);
    },
  );

  it('refuses an unknown time zone and an invalid date', () => {
    expect(() => localDateOf(new Date('2026-03-13T09:00:00Z'), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => localDateOf(new Date(Number.NaN), 'Europe/Amsterdam')).toThrow(RangeError);
  });
});

describe('atLocalTime', () => {
  // Regression guard for the arithmetic fast path (every case's reminder and delay notice): the
  // instant luxon gives, on clock-change days too (a skipped or a repeated hour, midnight skipped).
  it.each(['Europe/Amsterdam', 'America/Santiago', 'America/Havana', 'Australia/Lord_Howe', 'Pacific/Apia'])(
    'agrees with luxon at six times on every day of 2011 and 2026 in %s',
    (zone) => {
      const days = [...daysOf(2011, 365), ...daysOf(2026, 365)];
      const times = ['00:00', '00:30', '02:30', '09:00', '15:00', '23:59'];
      const differing = days.flatMap((d) =>
        times.filter(
          (t) => atLocalTime(d, t, zone).getTime() !== DateTime.fromISO(`${d}T${t}`, { zone }).toMillis(),
        ),
      );
      expect(differing).toEqual([]);
    },
  );

  it('refuses an unknown time zone and a date that does not exist', () => {
    expect(() => atLocalTime('2026-03-13', '09:00', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => atLocalTime('2026-02-30', '09:00', 'Europe/Amsterdam')).toThrow(RangeError);
  });
});

function daysOf(year: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(`${year}-01-01`, i));
}
describe('a term in calendar months (a privacy request: AVG art. 12(3))', () => {
  it('adds months to a local date, to the last day of a shorter month', () => {
    expect(addMonths('2026-12-01', 1)).toBe('2027-01-01');
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-03-31', 1)).toBe('2026-04-30');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
  });

  it('answers by the end of that local day, over a change of clock and whatever the holidays', () => {
    const rules = { norm: 5, months: 1, holidays, timeZone };
    // Received Saturday 28 March 2026 23:30 in Amsterdam (winter time); due Tuesday 28 April (summer time).
    expect(answerByOf(new Date('2026-03-28T22:30:00Z'), rules).toISOString()).toBe(
      '2026-04-28T21:59:59.999Z',
    );
    // Christmas and New Year do not move it: one month is a month.
    expect(answerByOf(new Date('2026-12-21T09:00:00Z'), rules).toISOString()).toBe(
      '2027-01-21T22:59:59.999Z',
    );
    // Without months: the working-day norm as before.
    const { months: _, ...workingDays } = rules;
    expect(answerByOf(new Date('2026-12-01T09:00:00Z'), workingDays)).toEqual(
      addWorkingDays(new Date('2026-12-01T09:00:00Z'), 5, options),
    );
  });
});
