/**
 * The booking repository's contract (src/ports/booking-repository.ts), one suite run on every
 * database (test/storage/storage-targets.ts). Each test books for aldermen of its own, so tests do
 * not see each other's bookings.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Booking, TranscriptLine } from '../../src/ports/booking-repository.js';
import type { Repositories } from '../../src/ports/unit-of-work.js';
import { addressOfKey } from '../../src/shared/address.js';
import { describeContract, inZone, settle } from './storage-targets.js';

const T0 = Date.UTC(2026, 2, 3, 18, 0, 0, 0); // Tuesday 3 March 2026, 19:00 in Amsterdam
/** An instant `minutes` after T0. */
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

let counter = 0;
const newAlderman = () => `alderman-${randomUUID().slice(0, 12)}`;

/** A booking no other test uses: its own id, reference, ICS token and resident. */
function aBooking(over: Partial<Booking> = {}): Booking {
  counter++;
  const start = over.slotStart ?? at(0);
  return {
    id: randomUUID(),
    reference: `AFS-${String(counter).padStart(6, '0')}`,
    aldermanId: 'anna-de-vries',
    slotStart: start,
    slotEnd: new Date(start.getTime() + 10 * 60_000),
    residentKey: `whatsapp:${randomUUID()}`,
    residentFirstName: 'Anna',
    topic: 'Speeltuin in de wijk',
    kind: 'chat',
    place: 'WhatsApp',
    status: 'active',
    icsToken: randomUUID().replace(/-/g, ''),
    transcript: [],
    rating: null,
    createdAt: at(-600),
    updatedAt: at(-600),
    ...over,
  };
}

const line = (text: string, from: TranscriptLine['from'] = 'resident', minute = 0): TranscriptLine => ({
  at: at(minute).toISOString(),
  from,
  text,
});

describeContract('booking repository', (store) => {
  const run = store.run;
  const insert = (b: Booking) => run((r) => r.bookings.insert(b));
  const byId = (id: string) => run((r) => r.bookings.findById(id));

  describe('insert and the finders', () => {
    it('stores every field as given and reads it back by id, reference and calendar token', async () => {
      const b = aBooking({
        aldermanId: newAlderman(),
        slotStart: new Date(T0 + 123),
        slotEnd: new Date(T0 + 600_456),
        residentFirstName: null,
        kind: 'town-hall',
        place: 'Stadhuis, Bogaardplein 15',
        transcript: [line('hallo'), line('Goedenavond!', 'alderman', 1)],
        rating: 3,
        status: 'completed',
        createdAt: new Date(T0 - 1),
        updatedAt: new Date(T0 + 1),
      });
      expect(await insert(b)).toEqual({ ok: true });
      expect(await byId(b.id)).toEqual(b);
      expect(await run((r) => r.bookings.findByReference(b.reference))).toEqual(b);
      expect(await run((r) => r.bookings.findByIcsToken(b.icsToken))).toEqual(b);
    });

    it('keeps any text exactly: accents, emoji, right-to-left script, quotes, new lines', async () => {
      const b = aBooking({
        aldermanId: newAlderman(),
        topic: 'Café \'De Ster\' — één vraag 🗑️👍🏽\nمرحبا \\ "x" %_ ? $1 :line',
        residentFirstName: 'Zoë-Þórunn 𝔘',
        place: 'Raadhuis “Oud”',
      });
      await insert(b);
      expect(await byId(b.id)).toEqual(b);
    });

    it('says undefined for what is not there', async () => {
      expect(await byId(randomUUID())).toBeUndefined();
      expect(await run((r) => r.bookings.findByReference('AFS-NONE00'))).toBeUndefined();
      expect(await run((r) => r.bookings.findByIcsToken('no-such-token'))).toBeUndefined();
    });
  });

  describe('one active booking per slot', () => {
    it('refuses a second active booking of a slot, but not of another alderman’s same slot', async () => {
      const alderman = newAlderman();
      const first = aBooking({ aldermanId: alderman });
      expect(await insert(first)).toEqual({ ok: true });
      const second = aBooking({ aldermanId: alderman });
      expect(await insert(second)).toEqual({ ok: false, conflict: 'slot' });
      expect(await byId(second.id)).toBeUndefined();
      expect(await insert(aBooking({ aldermanId: newAlderman() }))).toEqual({ ok: true });
      expect(await insert(aBooking({ aldermanId: alderman, slotStart: at(10) }))).toEqual({ ok: true });
    });

    it('frees the slot once the booking is no longer active, and keeps the old one', async () => {
      const alderman = newAlderman();
      const first = aBooking({ aldermanId: alderman });
      await insert(first);
      expect(await run((r) => r.bookings.transition(first.id, 'active', 'cancelled', at(-5)))).toBe(true);
      const again = aBooking({ aldermanId: alderman });
      expect(await insert(again)).toEqual({ ok: true });
      // Several inactive bookings of one slot may exist side by side.
      expect(await run((r) => r.bookings.transition(again.id, 'active', 'moved', at(-4)))).toBe(true);
      expect(await insert(aBooking({ aldermanId: alderman }))).toEqual({ ok: true });
      const all = await run((r) =>
        r.bookings.listByStart({ from: at(0), until: at(1), aldermanId: alderman }),
      );
      expect(all.map((b) => b.status)).toEqual(['cancelled', 'moved', 'active']);
    });

    it('says which unique thing clashed: a used reference', async () => {
      const first = aBooking({ aldermanId: newAlderman() });
      await insert(first);
      const clash = aBooking({ aldermanId: newAlderman(), reference: first.reference });
      expect(await insert(clash)).toEqual({ ok: false, conflict: 'reference' });
      expect(await byId(clash.id)).toBeUndefined();
    });

    it('gives a slot to exactly one of 30 residents racing on 3 connections', async () => {
      const alderman = newAlderman();
      const racers = Array.from({ length: 30 }, () => aBooking({ aldermanId: alderman }));
      const { values, errors } = await settle(
        racers.map((b, i) => store.uows[i % store.uows.length]!.transaction((r) => r.bookings.insert(b))),
      );
      expect(errors).toEqual([]);
      expect(values.filter((v) => v.ok)).toHaveLength(1);
      expect(values.filter((v) => !v.ok && v.conflict === 'slot')).toHaveLength(29);
      const stored = await run((r) =>
        r.bookings.listByStart({ from: at(0), until: at(1), aldermanId: alderman }),
      );
      expect(stored).toHaveLength(1);
    });

    it('keeps the transaction usable after a refused insert, and commits what came after', async () => {
      const alderman = newAlderman();
      await insert(aBooking({ aldermanId: alderman }));
      const next = aBooking({ aldermanId: alderman, slotStart: at(10) });
      const results = await store.uow.transaction(async (r) => [
        await r.bookings.insert(aBooking({ aldermanId: alderman })),
        await r.bookings.insert(next),
        await r.bookings.transition(next.id, 'active', 'completed', at(20)),
      ]);
      expect(results).toEqual([{ ok: false, conflict: 'slot' }, { ok: true }, true]);
      expect(await byId(next.id)).toMatchObject({ status: 'completed' });
    });

    it('rolls an insert back with its transaction', async () => {
      const b = aBooking({ aldermanId: newAlderman() });
      await expect(
        store.uow.transaction(async (r) => {
          await r.bookings.insert(b);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await byId(b.id)).toBeUndefined();
      expect(await insert(b)).toEqual({ ok: true });
    });
  });

  describe('lists', () => {
    it('lists a resident’s active bookings that end after a moment, by start; of one alderman if asked', async () => {
      const residentKey = `telegram:${randomUUID()}`;
      const [a, b] = [newAlderman(), newAlderman()];
      const later = aBooking({ residentKey, aldermanId: a, slotStart: at(60) });
      const sooner = aBooking({ residentKey, aldermanId: b, slotStart: at(20) });
      const endsExactly = aBooking({ residentKey, aldermanId: a, slotStart: at(-10) }); // ends at T0
      const endsJustAfter = aBooking({
        residentKey,
        aldermanId: b,
        slotStart: new Date(T0 - 600_000 + 1),
      });
      const cancelled = aBooking({ residentKey, aldermanId: a, slotStart: at(120), status: 'cancelled' });
      const someoneElse = aBooking({ aldermanId: a, slotStart: at(240) });
      for (const x of [later, sooner, endsExactly, endsJustAfter, cancelled, someoneElse]) await insert(x);
      const ids = (list: Booking[]) => list.map((x) => x.id);
      expect(ids(await run((r) => r.bookings.activeForResident(residentKey, at(0))))).toEqual([
        endsJustAfter.id,
        sooner.id,
        later.id,
      ]);
      expect(ids(await run((r) => r.bookings.activeForResident(residentKey, at(0), a)))).toEqual([later.id]);
      expect(await run((r) => r.bookings.activeForResident(`telegram:${randomUUID()}`, at(0)))).toEqual([]);
    });

    it('lists bookings starting in [from, until), by start then creation; by alderman and status if asked', async () => {
      const alderman = newAlderman();
      const other = newAlderman();
      const atFrom = aBooking({ aldermanId: alderman, slotStart: at(0), createdAt: at(-50) });
      const sameStartOlder = aBooking({
        aldermanId: alderman,
        slotStart: at(0),
        status: 'cancelled',
        createdAt: at(-60),
      });
      const inside = aBooking({ aldermanId: alderman, slotStart: new Date(at(30).getTime() - 1) });
      const atUntil = aBooking({ aldermanId: alderman, slotStart: at(30) });
      const before = aBooking({ aldermanId: alderman, slotStart: new Date(T0 - 1) });
      const others = aBooking({ aldermanId: other, slotStart: at(10), status: 'no_show' });
      for (const b of [atFrom, sameStartOlder, inside, atUntil, before, others]) await insert(b);
      const list = (q: Partial<Parameters<Repositories['bookings']['listByStart']>[0]>) =>
        run((r) => r.bookings.listByStart({ from: at(0), until: at(30), ...q })).then((l) =>
          l.filter((b) => b.aldermanId === alderman || b.aldermanId === other).map((b) => b.id),
        );
      expect(await list({ aldermanId: alderman })).toEqual([sameStartOlder.id, atFrom.id, inside.id]);
      expect(await list({})).toEqual([sameStartOlder.id, atFrom.id, others.id, inside.id]);
      expect(await list({ aldermanId: alderman, statuses: ['active'] })).toEqual([atFrom.id, inside.id]);
      expect(await list({ statuses: ['cancelled', 'no_show'] })).toEqual([sameStartOlder.id, others.id]);
      expect(await list({ statuses: [] })).toEqual([]);
    });

    it('lists bookings changed since a moment whose slot starts after another, not an erased resident’s', async () => {
      const alderman = newAlderman();
      const changed = aBooking({ aldermanId: alderman, slotStart: at(60), updatedAt: at(-5) });
      const atSince = aBooking({
        aldermanId: alderman,
        slotStart: at(30),
        updatedAt: at(-10),
        status: 'moved',
      });
      const unchanged = aBooking({
        aldermanId: alderman,
        slotStart: at(90),
        updatedAt: new Date(at(-10).getTime() - 1),
      });
      const startsAtLimit = aBooking({ aldermanId: alderman, slotStart: at(0), updatedAt: at(-5) });
      const erased = aBooking({ aldermanId: alderman, slotStart: at(120), updatedAt: at(-5) });
      for (const b of [changed, atSince, unchanged, startsAtLimit, erased]) await insert(b);
      const subject = {
        address: addressOfKey(erased.residentKey),
        key: erased.residentKey,
        needles: [],
        refs: [erased.id],
      };
      await run((r) => r.bookings.erasePersonalData(subject));
      const listed = await run((r) => r.bookings.changedSince({ since: at(-10), startsAfter: at(0) }));
      expect(listed.filter((b) => b.aldermanId === alderman)).toEqual([atSince, changed]);
    });

    it('compares instants, not the zone of the process or the database session', async () => {
      const alderman = newAlderman();
      // 2026-10-25 00:30 and 01:30 UTC: 02:30 local twice, the night Amsterdam falls back.
      const first = aBooking({ aldermanId: alderman, slotStart: new Date(Date.UTC(2026, 9, 25, 0, 30)) });
      const second = aBooking({
        aldermanId: alderman,
        slotStart: new Date(Date.UTC(2026, 9, 25, 1, 30)),
      });
      await inZone('Europe/Amsterdam', async () => {
        expect(await insert(first)).toEqual({ ok: true });
        expect(await insert(second)).toEqual({ ok: true });
      });
      for (const zone of ['UTC', 'Europe/Amsterdam', 'Pacific/Chatham']) {
        await inZone(zone, async () => {
          const listed = await run((r) =>
            r.bookings.listByStart({
              from: new Date(Date.UTC(2026, 9, 25, 1, 0)),
              until: new Date(Date.UTC(2026, 9, 25, 2, 0)),
              aldermanId: alderman,
            }),
          );
          expect(listed, zone).toEqual([second]);
          expect(await byId(first.id), zone).toEqual(first);
        });
      }
    });
  });

  describe('changes', () => {
    it('moves a booking between statuses only from the expected one', async () => {
      const b = aBooking({ aldermanId: newAlderman() });
      await insert(b);
      expect(await run((r) => r.bookings.transition(b.id, 'cancelled', 'active', at(1)))).toBe(false);
      expect(await run((r) => r.bookings.transition(b.id, 'active', 'no_show', at(2)))).toBe(true);
      expect(await byId(b.id)).toEqual({ ...b, status: 'no_show', updatedAt: at(2) });
      expect(await run((r) => r.bookings.transition(b.id, 'active', 'completed', at(3)))).toBe(false);
      expect(await run((r) => r.bookings.transition(randomUUID(), 'active', 'completed', at(3)))).toBe(false);
    });

    it('lets one of 10 concurrent cancellations of a booking win', async () => {
      const b = aBooking({ aldermanId: newAlderman() });
      await insert(b);
      const { values, errors } = await settle(
        Array.from({ length: 10 }, (_, i) =>
          store.uows[i % store.uows.length]!.transaction((r) =>
            r.bookings.transition(b.id, 'active', 'cancelled', at(i)),
          ),
        ),
      );
      expect(errors).toEqual([]);
      expect(values.filter(Boolean)).toHaveLength(1);
    });

    it('appends transcript lines in order, any text intact; false for no such booking', async () => {
      const b = aBooking({ aldermanId: newAlderman() });
      await insert(b);
      const lines = [
        line('Goedenavond, waar gaat het over?', 'alderman', 1),
        line('De speeltuin 🛝 — "kapot", zegt \'men\'.\nEn \\ de bank?', 'resident', 2),
        line('مرحبا', 'resident', 3),
        line('De wethouder heeft het gesprek beëindigd.', 'system', 4),
      ];
      for (const [i, l] of lines.entries()) {
        expect(await run((r) => r.bookings.appendTranscript(b.id, l, at(10 + i)))).toBe(true);
      }
      expect(await byId(b.id)).toEqual({ ...b, transcript: lines, updatedAt: at(13) });
      expect(await run((r) => r.bookings.appendTranscript(randomUUID(), lines[0]!, at(1)))).toBe(false);
    });

    it('loses no line when 24 writers on 3 connections append at once', async () => {
      const b = aBooking({ aldermanId: newAlderman(), transcript: [line('begin', 'system')] });
      await insert(b);
      const { errors } = await settle(
        Array.from({ length: 24 }, (_, i) =>
          store.uows[i % store.uows.length]!.transaction((r) =>
            r.bookings.appendTranscript(b.id, line(`regel ${i}`, i % 2 ? 'alderman' : 'resident'), at(1)),
          ),
        ),
      );
      expect(errors).toEqual([]);
      const transcript = (await byId(b.id))!.transcript;
      expect(transcript[0]?.text).toBe('begin');
      expect(
        transcript
          .slice(1)
          .map((l) => l.text)
          .sort(),
      ).toEqual(Array.from({ length: 24 }, (_, i) => `regel ${i}`).sort());
    });

    it('stores a rating only while the booking has the given status', async () => {
      const b = aBooking({ aldermanId: newAlderman(), status: 'completed' });
      await insert(b);
      expect(await run((r) => r.bookings.setRating(b.id, 5, 'active', at(1)))).toBe(false);
      expect(await run((r) => r.bookings.setRating(b.id, 4, 'completed', at(2)))).toBe(true);
      expect(await byId(b.id)).toEqual({ ...b, rating: 4, updatedAt: at(2) });
      expect(await run((r) => r.bookings.setRating(randomUUID(), 4, 'completed', at(2)))).toBe(false);
    });
  });

  describe('named locks', () => {
    /** Runs two transactions that take `first` then `second` on one key; says in which order they got through. */
    async function contend(first: 'shared' | 'exclusive', second: 'shared' | 'exclusive'): Promise<string[]> {
      const key = `booking-day:${newAlderman()}:2026-03-03 — één`;
      const order: string[] = [];
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const one = store.uow.transaction(async (r) => {
        await r.bookings.lock(key, first);
        order.push('one holds');
        holding();
        await released;
        order.push('one ends');
      });
      await held;
      const two = store.uow.transaction(async (r) => {
        await r.bookings.lock(key, second);
        order.push('two holds');
      });
      // Give the second transaction every chance to get through early; it must not.
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, 100));
      release();
      await Promise.all([one, two]);
      return order;
    }

    it('makes an exclusive holder wait for another exclusive holder to finish', async () => {
      expect(await contend('exclusive', 'exclusive')).toEqual(['one holds', 'one ends', 'two holds']);
    });

    it('makes an exclusive holder wait for shared holders to finish', async () => {
      expect(await contend('shared', 'exclusive')).toEqual(['one holds', 'one ends', 'two holds']);
    });

    it('makes a shared holder wait for an exclusive holder to finish', async () => {
      expect(await contend('exclusive', 'shared')).toEqual(['one holds', 'one ends', 'two holds']);
    });

    it('does not hold a lock past its transaction, and takes one outside a transaction without waiting', async () => {
      const key = `booking-resident:${newAlderman()}`;
      await store.uow.transaction((r) => r.bookings.lock(key, 'exclusive'));
      await store.uow.transaction((r) => r.bookings.lock(key, 'exclusive'));
      await run((r) => r.bookings.lock(key, 'exclusive'));
      await run((r) => r.bookings.lock(key, 'shared'));
    });
  });

  describe('called-off days', () => {
    it('records a day once, and lists days in an inclusive range by date, then alderman', async () => {
      const suffix = randomUUID().slice(0, 6);
      // Ids chosen so that a collation that ignores hyphens or case would order them otherwise.
      const [dash, plain, upper] = [`anna-de-vries-${suffix}`, `annabel-${suffix}`, `Zed-${suffix}`];
      const day = (aldermanId: string, date: string, reason: string | null = null) => ({
        aldermanId,
        date,
        reason,
        createdAt: at(0),
      });
      expect(await run((r) => r.bookings.addCancelledDay(day(plain, '2026-03-10', 'ziek 🤒')))).toBe(true);
      expect(await run((r) => r.bookings.addCancelledDay(day(plain, '2026-03-10', 'nog eens')))).toBe(false);
      for (const d of [
        day(dash, '2026-03-10'),
        day(upper, '2026-03-10', 'raadsvergadering'),
        day(dash, '2026-03-09'),
        day(plain, '2026-03-31'),
        day(plain, '2026-04-01'),
        day(upper, '2026-02-28'),
      ]) {
        expect(await run((r) => r.bookings.addCancelledDay(d))).toBe(true);
      }
      const mine = (list: { aldermanId: string }[]) => list.filter((d) => d.aldermanId.endsWith(suffix));
      const listed = mine(
        await run((r) => r.bookings.cancelledDays({ fromDate: '2026-03-01', untilDate: '2026-03-31' })),
      );
      expect(listed).toEqual([
        day(dash, '2026-03-09'),
        day(upper, '2026-03-10', 'raadsvergadering'),
        day(dash, '2026-03-10'),
        day(plain, '2026-03-10', 'ziek 🤒'),
        day(plain, '2026-03-31'),
      ]);
      expect(
        await run((r) =>
          r.bookings.cancelledDays({
            fromDate: '2026-03-10',
            untilDate: '2026-04-01',
            aldermanId: plain,
          }),
        ),
      ).toEqual([day(plain, '2026-03-10', 'ziek 🤒'), day(plain, '2026-03-31'), day(plain, '2026-04-01')]);
      expect(
        await run((r) => r.bookings.cancelledDays({ fromDate: '2026-05-01', untilDate: '2026-04-01' })),
      ).toEqual([]);
    });

    it('records one day once when 10 operators call it off at the same moment', async () => {
      const alderman = newAlderman();
      const { values, errors } = await settle(
        Array.from({ length: 10 }, (_, i) =>
          store.uows[i % store.uows.length]!.transaction((r) =>
            r.bookings.addCancelledDay({
              aldermanId: alderman,
              date: '2026-03-17',
              reason: `${i}`,
              createdAt: at(i),
            }),
          ),
        ),
      );
      expect(errors).toEqual([]);
      expect(values.filter(Boolean)).toHaveLength(1);
    });
  });
});
