import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { parseHours, type HoursConfig } from '../../src/municipality/hours-schema.js';
import { localDatesBetween, localInstant, wallClock } from '../../src/shared/local-date.js';
import {
  bookingWindowProblem,
  computeSlots,
  findSlot,
  freeSlots,
  type SlotQuery,
} from '../../src/features/scheduling/slots.js';
import { ALDERMEN, ZONE, exampleHolidays, exampleHours } from './fixtures.js';

/** Hours with one weekly session on `weekday` from `start` to `end`. */
function weekly(
  weekday: string,
  start: string,
  end: string,
  extra: Record<string, unknown> = {},
): HoursConfig {
  return parseHours(
    {
      rules: {
        minNoticeMinutes: 120,
        horizonWeeks: 8,
        maxUpcomingPerResidentPerAlderman: 1,
        changeDeadlineMinutes: 60,
      },
      sessions: [
        {
          id: 's',
          aldermanId: 'anna-de-vries',
          rule: 'weekly',
          weekday,
          start,
          end,
          slotMinutes: 10,
          kind: 'chat',
          place: 'WhatsApp',
        },
      ],
      ...extra,
    },
    ALDERMEN,
  );
}

function query(hours: HoursConfig, from: string, until: string, more: Partial<SlotQuery> = {}): SlotQuery {
  return {
    sessions: hours.sessions,
    exceptions: hours.exceptions,
    from: new Date(from),
    until: new Date(until),
    timeZone: ZONE,
    ...more,
  };
}

const local = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm');
const iso = (d: Date) => d.toISOString();

describe('computeSlots across daylight saving (TZ=UTC, zone Europe/Amsterdam)', () => {
  const sunday = weekly('sun', '19:00', '20:00');
  const cases = [
    { name: 'last Sunday of March 2026', before: '2026-03-22', day: '2026-03-29', utcBefore: 18, utcOn: 17 },
    {
      name: 'last Sunday of October 2026',
      before: '2026-10-18',
      day: '2026-10-25',
      utcBefore: 17,
      utcOn: 18,
    },
    { name: 'last Sunday of March 2027', before: '2027-03-21', day: '2027-03-28', utcBefore: 18, utcOn: 17 },
    {
      name: 'last Sunday of October 2027',
      before: '2027-10-24',
      day: '2027-10-31',
      utcBefore: 17,
      utcOn: 18,
    },
  ];
  for (const c of cases) {
    it(`keeps a 19:00 session at 19:00 local on the ${c.name}, moving its UTC instant by an hour`, () => {
      const slots = computeSlots(query(sunday, `${c.before}T00:00:00Z`, `${c.day}T23:59:59Z`));
      expect(slots.map((s) => local(s.start))).toEqual([
        ...['19:00', '19:10', '19:20', '19:30', '19:40', '19:50'].map((t) => `${c.before} ${t}`),
        ...['19:00', '19:10', '19:20', '19:30', '19:40', '19:50'].map((t) => `${c.day} ${t}`),
      ]);
      expect(iso(slots[0]!.start)).toBe(`${c.before}T${c.utcBefore}:00:00.000Z`);
      expect(iso(slots[6]!.start)).toBe(`${c.day}T${c.utcOn}:00:00.000Z`);
      expect(iso(slots[11]!.end)).toBe(`${c.day}T${c.utcOn + 1}:00:00.000Z`);
    });
  }

  it('leaves out slots in the hour the clocks skip, instead of shifting them', () => {
    const night = weekly('sun', '01:40', '03:20');
    const slots = computeSlots(query(night, '2026-03-28T12:00:00Z', '2026-03-29T12:00:00Z'));
    expect(slots.map((s) => local(s.start))).toEqual([
      '2026-03-29 01:40',
      '2026-03-29 01:50',
      '2026-03-29 03:00',
      '2026-03-29 03:10',
    ]);
  });

  it('gives the repeated autumn hour once, at its first instant', () => {
    const night = weekly('sun', '02:00', '02:30');
    const slots = computeSlots(query(night, '2026-10-24T12:00:00Z', '2026-10-25T12:00:00Z'));
    expect(slots.map((s) => iso(s.start))).toEqual([
      '2026-10-25T00:00:00.000Z',
      '2026-10-25T00:10:00.000Z',
      '2026-10-25T00:20:00.000Z',
    ]);
  });
});

describe('computeSlots rules', () => {
  const hours = exampleHours();

  it('finds the first Tuesday of every month (except the cancelled one) for a monthly rule', () => {
    const slots = computeSlots(
      query(hours, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', { aldermanId: 'anna-de-vries' }),
    );
    const days = [
      ...new Set(
        slots
          .filter((s) => s.sessionId === 'anna-chat-first-tuesday')
          .map((s) => local(s.start).slice(0, 10)),
      ),
    ];
    expect(days).toEqual([
      '2026-01-06',
      '2026-02-03',
      '2026-03-03',
      '2026-04-07',
      '2026-05-05',
      '2026-06-02',
      '2026-07-07',
      /* 2026-08-04 is cancelled */ '2026-09-01',
      '2026-10-06',
      '2026-11-03',
      '2026-12-01',
    ]);
    expect(
      slots.filter((s) => local(s.start).startsWith('2026-03-03')).map((s) => local(s.start).slice(11)),
    ).toEqual(['19:00', '19:10', '19:20', '19:30', '19:40', '19:50']);
  });

  it('finds the last Thursday of the month and every other Friday', () => {
    const pieter = computeSlots(
      query(hours, '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z', { aldermanId: 'pieter-jansen' }),
    );
    expect([...new Set(pieter.map((s) => local(s.start).slice(0, 10)))]).toEqual([
      '2026-01-29',
      '2026-02-26',
      '2026-03-26',
    ]);
    const fatma = computeSlots(
      query(hours, '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', { aldermanId: 'fatma-yilmaz' }),
    );
    expect([...new Set(fatma.map((s) => local(s.start).slice(0, 10)))]).toEqual([
      '2026-01-02',
      '2026-01-16',
      '2026-01-30',
    ]);
  });

  it('drops a cancelled date and adds an extra session', () => {
    const dec = computeSlots(
      query(hours, '2026-12-01T00:00:00Z', '2027-02-01T00:00:00Z', { aldermanId: 'pieter-jansen' }),
    );
    const days = [...new Set(dec.map((s) => `${local(s.start).slice(0, 10)} ${s.kind}`))];
    expect(days).toEqual(['2027-01-14 town-hall', '2027-01-28 chat']);
    expect(dec.find((s) => s.sessionId === 'pieter-extra-town-hall-2027-01-14')?.place).toBe(
      'Raadhuis, Bogaardplein 15',
    );
  });

  it('drops days an alderman called off at run time', () => {
    const all = computeSlots(
      query(hours, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', { aldermanId: 'anna-de-vries' }),
    );
    const without = computeSlots(
      query(hours, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z', {
        aldermanId: 'anna-de-vries',
        cancelledDays: [{ aldermanId: 'anna-de-vries', date: '2026-03-03' }],
      }),
    );
    expect(all.length - without.length).toBe(6);
    expect(without.some((s) => local(s.start).startsWith('2026-03-03'))).toBe(false);
  });

  it('returns every alderman sorted by start', () => {
    const slots = computeSlots(query(hours, '2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z'));
    expect(new Set(slots.map((s) => s.aldermanId))).toEqual(new Set(ALDERMEN));
    const starts = slots.map((s) => s.start.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('applies the minimum notice to the minute', () => {
    const slotStart = new Date('2026-03-03T18:00:00Z'); // 19:00 local
    const base = query(hours, '2026-03-03T00:00:00Z', '2026-03-04T00:00:00Z', {
      aldermanId: 'anna-de-vries',
      rules: hours.rules,
    });
    const at = (minutesBefore: number) => new Date(slotStart.getTime() - minutesBefore * 60_000);
    expect(computeSlots({ ...base, now: at(120) })[0]?.start).toEqual(slotStart);
    expect(computeSlots({ ...base, now: at(119) })[0]?.start).toEqual(new Date('2026-03-03T18:10:00Z'));
    expect(bookingWindowProblem(slotStart, at(119), hours.rules, ZONE)).toBe('too-soon');
    expect(bookingWindowProblem(slotStart, at(120), hours.rules, ZONE)).toBeUndefined();
  });

  it('counts the horizon in local weeks, so summer time does not cut off the last evening', () => {
    const tuesdays = weekly('tue', '19:00', '20:00');
    const now = new Date('2026-03-03T18:00:00Z'); // Tue 3 March 19:00 CET; 8 weeks on is 28 April 19:00 CEST
    const slots = computeSlots(
      query(tuesdays, '2026-03-01T00:00:00Z', '2026-06-01T00:00:00Z', { now, rules: tuesdays.rules }),
    );
    expect(local(slots.at(-1)!.start)).toBe('2026-04-28 19:00');
    expect(bookingWindowProblem(new Date('2026-04-28T17:10:00Z'), now, tuesdays.rules, ZONE)).toBe('too-far');
  });
});

describe('freeSlots and findSlot', () => {
  const hours = exampleHours();

  it('subtracts booked starts per alderman', () => {
    const slots = computeSlots(query(hours, '2026-03-03T00:00:00Z', '2026-03-05T00:00:00Z'));
    const annaFirst = slots.find((s) => s.aldermanId === 'anna-de-vries')!;
    const free = freeSlots(slots, [
      { aldermanId: 'anna-de-vries', start: annaFirst.start },
      { aldermanId: 'pieter-jansen', start: annaFirst.start }, // another alderman's booking blocks nothing here
    ]);
    expect(free.length).toBe(slots.length - 1);
    expect(free).not.toContainEqual(annaFirst);
  });

  it('finds a slot only at an exact slot start of that alderman', () => {
    const start = new Date('2026-03-03T18:10:00Z');
    expect(findSlot(hours, { aldermanId: 'anna-de-vries', start, timeZone: ZONE })).toMatchObject({
      sessionId: 'anna-chat-first-tuesday',
      end: new Date('2026-03-03T18:20:00Z'),
    });
    expect(
      findSlot(hours, {
        aldermanId: 'anna-de-vries',
        start: new Date('2026-03-03T18:05:00Z'),
        timeZone: ZONE,
      }),
    ).toBeUndefined();
    expect(findSlot(hours, { aldermanId: 'pieter-jansen', start, timeZone: ZONE })).toBeUndefined();
    expect(
      findSlot(hours, {
        aldermanId: 'anna-de-vries',
        start: new Date('2026-08-04T17:00:00Z'),
        timeZone: ZONE,
      }),
    ).toBeUndefined();
  });
});

describe('wallClock, the fast path of slot maths', () => {
  const zones = [
    'Europe/Amsterdam',
    'America/New_York',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
    'Pacific/Auckland',
  ];
  for (const zone of zones) {
    it(`agrees with the exact conversion on every day of 2026 and 2027 in ${zone}`, () => {
      const days = localDatesBetween(
        new Date('2026-01-01T12:00:00Z'),
        new Date('2027-12-31T12:00:00Z'),
        zone,
      );
      expect(days).toHaveLength(730);
      for (const date of days) {
        const clock = wallClock(date, zone);
        // Around the small hours, where clocks change, and a usual evening time.
        for (const m of [0, 90, 120, 150, 180, 1140]) {
          expect(clock(m)?.getTime(), `${zone} ${date} ${m}`).toBe(localInstant(date, m, zone)?.getTime());
        }
      }
    });
  }
});

describe('public holidays', () => {
  const holidays = exampleHolidays();
  const days = (q: SlotQuery) => [...new Set(computeSlots(q).map((s) => local(s.start).slice(0, 10)))];

  it("close a recurring session: New Year's Day 2027 (a Friday) offers no slots, the next Friday does", () => {
    const hours = weekly('fri', '09:00', '10:00');
    const range = ['2026-12-28T00:00:00Z', '2027-01-10T00:00:00Z'] as const;
    expect(days(query(hours, ...range))).toEqual(['2027-01-01', '2027-01-08']);
    expect(days(query(hours, ...range, { holidays }))).toEqual(['2027-01-08']);
    const start = localInstant('2027-01-01', 9 * 60, ZONE)!;
    const request = { aldermanId: 'anna-de-vries', start, timeZone: ZONE };
    expect(findSlot(hours, request)).toBeDefined();
    expect(findSlot(hours, { ...request, holidays })).toBeUndefined();
  });

  it('keep an extra session the municipality adds on a holiday (Koningsdag 2027)', () => {
    const hours = weekly('tue', '19:00', '20:00', {
      exceptions: {
        cancelled: [],
        extra: [
          {
            id: 'kingsday-extra',
            aldermanId: 'anna-de-vries',
            date: '2027-04-27',
            start: '11:00',
            end: '12:00',
            slotMinutes: 10,
            kind: 'town-hall',
            place: 'Raadhuis',
          },
        ],
      },
    });
    const slots = computeSlots(query(hours, '2027-04-26T00:00:00Z', '2027-04-28T00:00:00Z', { holidays }));
    expect(slots.map((s) => [s.sessionId, local(s.start)])).toEqual(
      ['11:00', '11:10', '11:20', '11:30', '11:40', '11:50'].map((t) => [
        'kingsday-extra',
        `2027-04-27 ${t}`,
      ]),
    );
  });
});
