import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UnitOfWork } from '../../src/ports/unit-of-work.js';
import {
  appendTranscript,
  book,
  bookingsInSession,
  cancel,
  cancelSession,
  complete,
  findByIcsToken,
  listFreeSlots,
  markNoShow,
  move,
  rate,
  upcomingFor,
  type BookRequest,
  type SchedulingContext,
} from '../../src/features/scheduling/booking-service.js';
import type { Booking } from '../../src/ports/booking-repository.js';
import { databaseKinds } from '../support/services.js';
import { ZONE, exampleHolidays, openDatabases, testHours } from './fixtures.js';

const hours = testHours();
// Monday 2 March 2026, 10:00 local. Sessions: Tuesdays 19:00–20:00 local (18:00Z in winter).
const NOW = new Date('2026-03-02T09:00:00Z');
const holidays = exampleHolidays();
const ctx = (now = NOW): SchedulingContext => ({ hours, timeZone: ZONE, now, holidays });
const at = (iso: string) => new Date(iso);
const TUE_1900 = at('2026-03-03T18:00:00Z');
const TUE_1910 = at('2026-03-03T18:10:00Z');

function request(residentKey: string, start = TUE_1900, aldermanId = 'anna-de-vries'): BookRequest {
  return { aldermanId, start, residentKey, residentFirstName: 'Sam', topic: 'Parkeren in de wijk' };
}

for (const { kind, available } of databaseKinds) {
  describe.skipIf(!available)(`booking service on ${kind}`, () => {
    let handle: Awaited<ReturnType<typeof openDatabases>>;
    let uow: UnitOfWork;
    let n = 0;
    // Each test takes its own alderman-free week so tests do not see each other's bookings.
    const resident = () => `telegram:${kind}-${++n}`;
    const bookOk = async (r: BookRequest, c = ctx()): Promise<Booking> => {
      const result = await uow.transaction((repos) => book(repos, c, r));
      if (!result.ok) throw new Error(`booking refused: ${result.reason}`);
      return result.booking;
    };

    beforeAll(async () => {
      handle = await openDatabases(kind);
      uow = handle.uows[0]!;
    });
    afterAll(() => handle.close());

    it('books a slot and stores everything the flows need', async () => {
      const key = resident();
      const booking = await bookOk(request(key));
      expect(booking).toMatchObject({
        aldermanId: 'anna-de-vries',
        slotStart: TUE_1900,
        slotEnd: TUE_1910,
        residentKey: key,
        residentFirstName: 'Sam',
        kind: 'chat',
        place: 'WhatsApp',
        status: 'active',
        transcript: [],
        rating: null,
      });
      expect(booking.reference).toMatch(/^AFS-[A-HJKMNP-Z2-9]{6}$/);
      expect(booking.icsToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
      const stored = await uow.run((r) => r.bookings.findById(booking.id));
      expect(stored).toEqual(booking);
      expect(await uow.run((r) => findByIcsToken(r, booking.icsToken))).toEqual(booking);
      expect(await uow.run((r) => findByIcsToken(r, 'x'.repeat(32)))).toBeUndefined();
      expect(await uow.run((r) => r.bookings.findByReference(booking.reference))).toEqual(booking);
    });

    it('answers taken, not-a-slot, too-soon and too-far instead of throwing', async () => {
      const first = await uow.transaction((r) => book(r, ctx(), request(resident(), TUE_1910)));
      expect(first.ok).toBe(true);
      const second = await uow.transaction((r) => book(r, ctx(), request(resident(), TUE_1910)));
      expect(second).toEqual({ ok: false, reason: 'taken' });
      const odd = await uow.transaction((r) =>
        book(r, ctx(), request(resident(), at('2026-03-03T18:05:00Z'))),
      );
      expect(odd).toEqual({ ok: false, reason: 'not-a-slot' });
      const late = ctx(new Date(at('2026-03-03T18:20:00Z').getTime() - 119 * 60_000));
      expect(
        await uow.transaction((r) => book(r, late, request(resident(), at('2026-03-03T18:20:00Z')))),
      ).toEqual({
        ok: false,
        reason: 'too-soon',
      });
      const far = at('2026-05-12T17:00:00Z'); // ten weeks on
      expect(await uow.transaction((r) => book(r, ctx(), request(resident(), far)))).toEqual({
        ok: false,
        reason: 'too-far',
      });
    });

    it('lets a resident hold only one upcoming booking per alderman', async () => {
      const key = resident();
      await bookOk(request(key, at('2026-03-10T18:00:00Z')));
      const again = await uow.transaction((r) => book(r, ctx(), request(key, at('2026-03-10T18:10:00Z'))));
      expect(again).toEqual({ ok: false, reason: 'already-booked' });
      const otherAlderman = await uow.transaction((r) =>
        book(r, ctx(), request(key, at('2026-03-10T18:00:00Z'), 'mohamed-el-amrani')),
      );
      expect(otherAlderman.ok).toBe(true);
      expect((await uow.run((r) => upcomingFor(r, key, NOW))).map((b) => b.aldermanId)).toEqual([
        'anna-de-vries',
        'mohamed-el-amrani',
      ]);
      // Once the slot is over, the old booking no longer counts as upcoming.
      const later = new Date('2026-03-10T19:00:00Z');
      expect(await uow.run((r) => upcomingFor(r, key, later))).toEqual([]);
    });

    it('frees the slot on cancel, so another resident can book it (the unique index is partial)', async () => {
      const slot = at('2026-03-17T18:00:00Z');
      const first = await bookOk(request(resident(), slot));
      const cancelled = await uow.transaction((r) =>
        cancel(r, ctx(), { bookingId: first.id, residentKey: first.residentKey }),
      );
      expect(cancelled).toMatchObject({ ok: true, booking: { status: 'cancelled' } });
      const second = await bookOk(request(resident(), slot));
      expect(second.slotStart).toEqual(slot);
      const third = await bookOk(request(first.residentKey, at('2026-03-17T18:10:00Z')));
      expect(third.status).toBe('active');
      const all = await uow.run((r) =>
        r.bookings.listByStart({ from: slot, until: new Date(slot.getTime() + 1) }),
      );
      expect(all.map((b) => b.status).sort()).toEqual(['active', 'cancelled']);
    });

    it('refuses a cancel past the deadline, by another resident, or twice', async () => {
      const b = await bookOk(request(resident(), at('2026-03-17T18:20:00Z')));
      const stranger = await uow.transaction((r) =>
        cancel(r, ctx(), { bookingId: b.id, residentKey: 'telegram:someone' }),
      );
      expect(stranger).toEqual({ ok: false, reason: 'not-found' });
      const late = ctx(new Date(b.slotStart.getTime() - 59 * 60_000));
      expect(await uow.transaction((r) => cancel(r, late, { bookingId: b.id }))).toEqual({
        ok: false,
        reason: 'past-deadline',
      });
      const inTime = ctx(new Date(b.slotStart.getTime() - 60 * 60_000));
      expect((await uow.transaction((r) => cancel(r, inTime, { bookingId: b.id }))).ok).toBe(true);
      expect(await uow.transaction((r) => cancel(r, inTime, { bookingId: b.id }))).toEqual({
        ok: false,
        reason: 'not-active',
      });
    });

    it('moves a booking to a free slot and keeps every slot unique', async () => {
      const mine = await bookOk(request(resident(), at('2026-03-24T18:00:00Z')));
      const theirs = await bookOk(request(resident(), at('2026-03-24T18:10:00Z')));
      const onto = await uow.transaction((r) =>
        move(r, ctx(), { bookingId: mine.id, newStart: theirs.slotStart }),
      );
      expect(onto).toEqual({ ok: false, reason: 'taken' });
      expect((await uow.run((r) => r.bookings.findById(mine.id)))?.status).toBe('active');

      const moved = await uow.transaction((r) =>
        move(r, ctx(), {
          bookingId: mine.id,
          newStart: at('2026-03-24T18:20:00Z'),
          residentKey: mine.residentKey,
        }),
      );
      if (!moved.ok) throw new Error(moved.reason);
      expect(moved.booking).toMatchObject({
        slotStart: at('2026-03-24T18:20:00Z'),
        status: 'active',
        topic: mine.topic,
      });
      expect(moved.booking.id).not.toBe(mine.id);
      expect(moved.booking.icsToken).not.toBe(mine.icsToken);
      expect(moved.previous.status).toBe('moved');
      expect((await uow.run((r) => r.bookings.findById(mine.id)))?.status).toBe('moved');
      // The old slot is free again.
      expect((await bookOk(request(resident(), mine.slotStart))).status).toBe('active');
      const same = await uow.transaction((r) =>
        move(r, ctx(), { bookingId: moved.booking.id, newStart: moved.booking.slotStart }),
      );
      expect(same).toEqual({ ok: false, reason: 'same-slot' });
      const odd = await uow.transaction((r) =>
        move(r, ctx(), { bookingId: moved.booking.id, newStart: at('2026-03-24T18:25:00Z') }),
      );
      expect(odd).toEqual({ ok: false, reason: 'not-a-slot' });
    });

    it('cancels a whole session day, returns the bookings and stops offering that day', async () => {
      const day = '2026-03-31';
      const a = await bookOk(request(resident(), at('2026-03-31T17:00:00Z'))); // 19:00 summer time
      const b = await bookOk(request(resident(), at('2026-03-31T17:30:00Z')));
      const other = await bookOk(request(resident(), at('2026-03-31T17:00:00Z'), 'mohamed-el-amrani'));
      const free = await uow.run((r) => listFreeSlots(r, ctx(), { aldermanId: 'anna-de-vries' }));
      expect(free.filter((s) => s.start.toISOString().startsWith(day))).toHaveLength(4);

      const cancelled = await uow.transaction((r) =>
        cancelSession(r, ctx(), { aldermanId: 'anna-de-vries', localDate: day, reason: 'ziek' }),
      );
      expect(cancelled.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
      expect(cancelled.every((x) => x.status === 'cancelled')).toBe(true);
      expect((await uow.run((r) => r.bookings.findById(other.id)))?.status).toBe('active');

      const after = await uow.run((r) => listFreeSlots(r, ctx(), { aldermanId: 'anna-de-vries' }));
      expect(after.filter((s) => s.start.toISOString().startsWith(day))).toEqual([]);
      expect(after.length).toBeGreaterThan(0);
      const retry = await uow.transaction((r) =>
        book(r, ctx(), request(resident(), at('2026-03-31T17:10:00Z'))),
      );
      expect(retry).toEqual({ ok: false, reason: 'not-a-slot' });
      const twice = await uow.transaction((r) =>
        cancelSession(r, ctx(), { aldermanId: 'anna-de-vries', localDate: day }),
      );
      expect(twice).toEqual([]);
    });

    it('refuses to cancel a day that has passed, or a day without a consultation hour', async () => {
      const cancelOn = (localDate: string) =>
        uow.transaction((r) => cancelSession(r, ctx(), { aldermanId: 'anna-de-vries', localDate }));
      await expect(cancelOn('2026-02-24')).rejects.toMatchObject({ code: 'hours.date-past' });
      // Anna holds her hour on Tuesdays; Wednesday has none.
      await expect(cancelOn('2026-03-04')).rejects.toMatchObject({ code: 'hours.no-session' });
      // Bevrijdingsdag 2026 is a Tuesday the municipality is closed: no hour to cancel.
      await expect(cancelOn('2026-05-05')).rejects.toMatchObject({ code: 'hours.no-session' });
      await expect(cancelOn('2026-04-21')).resolves.toEqual([]);
    });

    it('lists free slots without the booked ones', async () => {
      const free = await uow.run((r) =>
        listFreeSlots(r, ctx(), { aldermanId: 'mohamed-el-amrani', until: at('2026-03-04T00:00:00Z') }),
      );
      const b = await bookOk(request(resident(), free[0]!.start, 'mohamed-el-amrani'));
      const after = await uow.run((r) =>
        listFreeSlots(r, ctx(), { aldermanId: 'mohamed-el-amrani', until: at('2026-03-04T00:00:00Z') }),
      );
      expect(after).toEqual(free.filter((s) => s.start.getTime() !== b.slotStart.getTime()));
    });

    it('ends a session as completed or no-show, only after it started, and takes a rating', async () => {
      const b = await bookOk(request(resident(), at('2026-04-07T17:00:00Z')));
      const n2 = await bookOk(request(resident(), at('2026-04-07T17:10:00Z')));
      const before = new Date('2026-04-07T16:59:00Z');
      expect(await uow.run((r) => complete(r, b.id, before))).toEqual({ ok: false, reason: 'not-started' });
      expect(await uow.run((r) => rate(r, b.id, 5, before))).toEqual({ ok: false, reason: 'not-completed' });
      const end = new Date('2026-04-07T17:10:00Z');
      expect(await uow.run((r) => complete(r, b.id, end))).toMatchObject({
        ok: true,
        booking: { status: 'completed' },
      });
      expect(await uow.run((r) => markNoShow(r, n2.id, end))).toMatchObject({
        ok: true,
        booking: { status: 'no_show' },
      });
      expect(await uow.run((r) => markNoShow(r, n2.id, end))).toEqual({ ok: false, reason: 'not-active' });
      expect(await uow.run((r) => rate(r, b.id, 6, end))).toEqual({ ok: false, reason: 'invalid-rating' });
      expect(await uow.run((r) => rate(r, b.id, 4, end))).toEqual({ ok: true });
      expect(await uow.run((r) => rate(r, 'missing', 4, end))).toEqual({ ok: false, reason: 'not-found' });
      expect((await uow.run((r) => r.bookings.findById(b.id)))?.rating).toBe(4);
      const session = await uow.run((r) =>
        bookingsInSession(r, { aldermanId: 'anna-de-vries', localDate: '2026-04-07', timeZone: ZONE }),
      );
      expect(session.map((x) => [x.id, x.status])).toEqual([
        [b.id, 'completed'],
        [n2.id, 'no_show'],
      ]);
    });

    it('keeps every transcript line when the resident and the alderman write at once', async () => {
      const b = await bookOk(request(resident(), at('2026-04-14T17:00:00Z')));
      const lines = Array.from({ length: 40 }, (_, i) => ({
        from: i % 2 ? ('alderman' as const) : ('resident' as const),
        text: `regel ${i}, "met" \\ tekens`,
      }));
      const stamped = new Date('2026-04-14T17:01:00Z');
      const results = await Promise.all(
        lines.map((line) => uow.run((r) => appendTranscript(r, b.id, line, stamped))),
      );
      expect(results.every(Boolean)).toBe(true);
      const stored = await uow.run((r) => r.bookings.findById(b.id));
      expect(stored?.transcript).toHaveLength(40);
      expect(new Set(stored?.transcript.map((l) => l.text))).toEqual(new Set(lines.map((l) => l.text)));
      expect(stored?.transcript[0]).toMatchObject({ at: stamped.toISOString() });
      expect(await uow.run((r) => appendTranscript(r, 'missing', lines[0]!, stamped))).toBe(false);
    });

    it('refuses a second active booking of a slot in the database itself, and the transaction goes on', async () => {
      const base = await bookOk(request(resident(), at('2026-04-14T17:30:00Z')));
      const copy = (id: string, reference: string, icsToken: string): Booking => ({
        ...base,
        id,
        reference,
        icsToken,
      });
      const outcome = await uow.transaction(async (r) => {
        const clash = await r.bookings.insert(
          copy('00000000-0000-4000-8000-000000000001', 'AFS-TEST01', 'a'.repeat(32)),
        );
        // After the refused insert the same transaction must still work (PostgreSQL aborts it otherwise).
        const cancelledCopy = {
          ...copy('00000000-0000-4000-8000-000000000002', 'AFS-TEST02', 'b'.repeat(32)),
          status: 'cancelled' as const,
        };
        const ok = await r.bookings.insert(cancelledCopy);
        return { clash, ok };
      });
      expect(outcome).toEqual({ clash: { ok: false, conflict: 'slot' }, ok: { ok: true } });
      expect(
        (await uow.run((r) => r.bookings.findById('00000000-0000-4000-8000-000000000002')))?.status,
      ).toBe('cancelled');
      const sameReference = await uow.run((r) =>
        r.bookings.insert({
          ...copy('00000000-0000-4000-8000-000000000003', base.reference, 'c'.repeat(32)),
          status: 'cancelled',
        }),
      );
      expect(sameReference).toEqual({ ok: false, conflict: 'reference' });
    });
  });
}
