/**
 * The hours repository's contract (src/ports/hours-repository.ts) on every database
 * (test/storage/storage-targets.ts): entries come back exactly as stored, by kind then id in byte
 * order, a save with the same kind and id replaces the row, and a deleted row keeps no entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredHoursEntry } from '../../src/ports/hours-repository.js';
import { storageTargets, type OpenStore } from './storage-targets.js';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 29, 0, 55 + minute));

const weekly: StoredHoursEntry = {
  kind: 'recurring',
  id: 'fatma-vrijdag',
  aldermanId: 'fatma-yilmaz',
  entry: {
    kind: 'recurring',
    session: {
      id: 'fatma-vrijdag',
      aldermanId: 'fatma-yilmaz',
      rule: 'weekly',
      weekday: 'fri',
      intervalWeeks: 2,
      validFrom: '2026-01-02',
      start: '09:00',
      end: '10:00',
      slotMinutes: 10,
      kind: 'chat',
      place: 'Gemeentehuis, “zaal” Ä',
    },
  },
  deleted: false,
  updatedAt: at(0),
  updatedBy: 'staff:1',
};
const cancelled: StoredHoursEntry = {
  kind: 'cancelled',
  id: 'fatma-vrijdag@2026-12-18',
  aldermanId: 'fatma-yilmaz',
  entry: {
    kind: 'cancelled',
    cancelled: { sessionId: 'fatma-vrijdag', date: '2026-12-18', reason: 'reces' },
  },
  deleted: false,
  updatedAt: at(1),
  updatedBy: 'staff:2',
};
const extra: StoredHoursEntry = {
  kind: 'extra',
  id: 'Extra-b',
  aldermanId: 'anna-de-vries',
  entry: {
    kind: 'extra',
    session: {
      id: 'Extra-b',
      aldermanId: 'anna-de-vries',
      date: '2026-12-25',
      start: '19:00',
      end: '20:00',
      slotMinutes: 15,
      kind: 'phone',
      place: 'Telefoon',
    },
  },
  deleted: false,
  updatedAt: at(2),
  updatedBy: 'staff:1',
};

for (const target of storageTargets) {
  describe.skipIf(target.skip !== null)(
    `hours repository contract on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let store: OpenStore;
      beforeAll(async () => {
        store = await target.open();
      });
      afterAll(() => store?.close());

      it('gives back what was stored, by kind then id in byte order; the same kind and id replaces', async () => {
        const extraA: StoredHoursEntry = { ...extra, id: 'extra-a' };
        await store.uow.transaction(async (r) => {
          for (const e of [weekly, extra, cancelled, extraA]) await r.hours.save(e);
        });
        expect(await store.uow.run((r) => r.hours.all())).toEqual([cancelled, extra, extraA, weekly]);
        const deleted: StoredHoursEntry = {
          ...weekly,
          entry: null,
          deleted: true,
          updatedAt: at(5),
          updatedBy: 'staff:3',
        };
        await store.uow.run((r) => r.hours.save(deleted));
        const all = await store.uow.run((r) => r.hours.all());
        expect(all).toHaveLength(4);
        expect(all.find((e) => e.kind === 'recurring')).toEqual(deleted);
      });
    },
  );
}
