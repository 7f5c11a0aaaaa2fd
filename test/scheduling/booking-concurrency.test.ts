import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  book,
  cancelSession,
  listFreeSlots,
  move,
  type BookResult,
  type SchedulingContext,
} from '../../src/features/scheduling/booking-service.js';
import { localDateOf } from '../../src/shared/local-date.js';
import type { Slot } from '../../src/features/scheduling/slots.js';
import { databaseKinds } from '../support/services.js';
import { ZONE, exampleHolidays, openDatabases, testHours } from './fixtures.js';

const ctx: SchedulingContext = {
  hours: testHours(),
  timeZone: ZONE,
  now: new Date('2026-03-02T09:00:00Z'),
  holidays: exampleHolidays(),
};
const RUNS = 20;
const RESIDENTS = 50;
// Separate connections compete for real: on SQLite several Database instances on one file (each
// its own connection and lock), on PostgreSQL several pools.
const CONNECTIONS = { sqlite: 5, postgres: 3 };

for (const { kind, available } of databaseKinds) {
  describe.skipIf(!available)(`booking under contention on ${kind}`, () => {
    let handle: Awaited<ReturnType<typeof openDatabases>>;
    let slots: Slot[];

    beforeAll(async () => {
      handle = await openDatabases(kind, CONNECTIONS[kind]);
      slots = await handle.uows[0]!.run((r) => listFreeSlots(r, ctx, { aldermanId: 'anna-de-vries' }));
      expect(slots.length).toBeGreaterThanOrEqual(RUNS + 1);
    });
    afterAll(() => handle.close());

    it(`never double-books: ${RESIDENTS} residents race for one slot, ${RUNS} times`, async () => {
      for (let run = 0; run < RUNS; run++) {
        const slot = slots[run]!;
        const attempts = Array.from({ length: RESIDENTS }, (_, i) => {
          const uow = handle.uows[i % handle.uows.length]!;
          const request = {
            aldermanId: slot.aldermanId,
            start: slot.start,
            residentKey: `whatsapp:${run}-${i}`,
            topic: 'race',
          };
          return uow.transaction((repos) => book(repos, ctx, request));
        });
        // allSettled, so that a thrown error is counted and reported rather than hiding the others.
        const settled = await Promise.allSettled(attempts);
        const errors = settled.filter((s) => s.status === 'rejected').map((s) => String(s.reason));
        const results = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
        expect(errors, `run ${run}`).toEqual([]);
        expect(
          results.filter((r) => r.ok),
          `run ${run}`,
        ).toHaveLength(1);
        expect(
          results.filter((r) => !r.ok && r.reason === 'taken'),
          `run ${run}`,
        ).toHaveLength(RESIDENTS - 1);
        const stored = await handle.uows[0]!.run((r) =>
          r.bookings.listByStart({ from: slot.start, until: slot.end, aldermanId: slot.aldermanId }),
        );
        expect(
          stored.filter((b) => b.status === 'active'),
          `run ${run}`,
        ).toHaveLength(1);
        expect(stored[0]!.id).toBe(
          (results.find((r) => r.ok) as Extract<BookResult, { ok: true }>).booking.id,
        );
      }
    });

    it('never double-books when residents move their bookings onto one free slot at once', async () => {
      const target = slots[RUNS]!;
      // Each resident first holds a different, already won slot of the race above; now 20 of
      // them try to move onto the same free slot.
      const holders = await handle.uows[0]!.run((r) =>
        r.bookings.listByStart({
          from: slots[0]!.start,
          until: target.start,
          aldermanId: 'anna-de-vries',
          statuses: ['active'],
        }),
      );
      expect(holders).toHaveLength(RUNS);
      const settled = await Promise.allSettled(
        holders.map((b, i) =>
          handle.uows[i % handle.uows.length]!.transaction((repos) =>
            move(repos, ctx, { bookingId: b.id, newStart: target.start }),
          ),
        ),
      );
      expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
      const results = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'taken')).toHaveLength(RUNS - 1);
      const after = await handle.uows[0]!.run((r) =>
        r.bookings.listByStart({
          from: slots[0]!.start,
          until: target.end,
          aldermanId: 'anna-de-vries',
          statuses: ['active'],
        }),
      );
      // Still one active booking per resident, and one per slot.
      expect(after).toHaveLength(RUNS);
      expect(new Set(after.map((b) => b.slotStart.getTime())).size).toBe(RUNS);
    });

    it('lets one resident win only one of many simultaneous bookings with one alderman', async () => {
      const free = await handle.uows[0]!.run((r) =>
        listFreeSlots(r, ctx, { aldermanId: 'mohamed-el-amrani' }),
      );
      const settled = await Promise.allSettled(
        free.slice(0, 12).map((slot, i) =>
          handle.uows[i % handle.uows.length]!.transaction((repos) =>
            book(repos, ctx, {
              aldermanId: slot.aldermanId,
              start: slot.start,
              residentKey: 'telegram:eager',
              topic: 'x',
            }),
          ),
        ),
      );
      expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
      const results = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.reason === 'already-booked')).toHaveLength(11);
    });

    it('leaves no active booking on a day the alderman cancels while residents are booking it', async () => {
      const free = await handle.uows[0]!.run((r) =>
        listFreeSlots(r, ctx, { aldermanId: 'mohamed-el-amrani' }),
      );
      const day = localDateOf(free.at(-1)!.start, ZONE);
      const daySlots = free.filter((s) => localDateOf(s.start, ZONE) === day);
      const bookings = daySlots.map((slot, i) =>
        handle.uows[i % handle.uows.length]!.transaction((repos) =>
          book(repos, ctx, {
            aldermanId: slot.aldermanId,
            start: slot.start,
            residentKey: `telegram:day-${i}`,
            topic: 'x',
          }),
        ),
      );
      const cancelling = handle.uows[1 % handle.uows.length]!.transaction((repos) =>
        cancelSession(repos, ctx, { aldermanId: 'mohamed-el-amrani', localDate: day }),
      );
      const [cancelled, ...results] = await Promise.all([cancelling, ...bookings]);
      const won = results.filter((r) => r.ok).length;
      // Bookings that came first are cancelled and returned; later ones find the day gone.
      expect(cancelled).toHaveLength(won);
      expect(results.filter((r) => !r.ok && r.reason === 'not-a-slot')).toHaveLength(daySlots.length - won);
      const after = await handle.uows[0]!.run((r) =>
        r.bookings.listByStart({
          from: daySlots[0]!.start,
          until: daySlots.at(-1)!.end,
          statuses: ['active'],
        }),
      );
      expect(after).toEqual([]);
    });
  });
}
