/**
 * The hours-cancellation repository's contract (src/ports/hours-cancellation-repository.ts) on every
 * database (test/storage/storage-targets.ts): what is stored comes back as it was, pending ones are
 * found by alderman and due time, and of a tell and an undo racing for one cancellation exactly one wins.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HoursCancellation } from '../../src/ports/hours-cancellation-repository.js';
import { settle, storageTargets, type OpenStore } from './storage-targets.js';

const T0 = Date.UTC(2026, 9, 25, 0, 30, 0, 0); // half an hour before Amsterdam falls back
const at = (seconds: number) => new Date(T0 + seconds * 1000);

function cancellation(over: Partial<HoursCancellation> = {}): HoursCancellation {
  return {
    id: randomUUID(),
    aldermanId: `alderman-${randomUUID().slice(0, 8)}`,
    date: '2026-10-25',
    bookingIds: [randomUUID(), randomUUID()],
    reason: 'ziek — “griep”',
    status: 'pending',
    tellAt: at(120),
    actor: 'staff:1',
    createdAt: at(0),
    updatedAt: at(0),
    ...over,
  };
}

for (const target of storageTargets) {
  describe.skipIf(target.skip !== null)(
    `hours-cancellation repository contract on ${target.name}${target.skip ? ` (skipped: ${target.skip})` : ''}`,
    () => {
      let store: OpenStore;
      beforeAll(async () => {
        store = await target.open(3);
      });
      afterAll(() => store?.close());

      it('stores a cancellation and gives it back exactly, also one booking without a date or reason', async () => {
        const day = cancellation();
        const one = cancellation({ date: null, reason: null, bookingIds: [randomUUID()] });
        await store.uow.transaction(async (r) => {
          await r.hoursCancellations.insert(day);
          await r.hoursCancellations.insert(one);
        });
        expect(await store.uow.run((r) => r.hoursCancellations.findById(day.id))).toEqual(day);
        expect(await store.uow.run((r) => r.hoursCancellations.findById(one.id))).toEqual(one);
        expect(await store.uow.run((r) => r.hoursCancellations.findById(randomUUID()))).toBeUndefined();
      });

      it('finds the ones made since a moment, in any status, oldest first', async () => {
        const base = 1_000_000;
        const before = cancellation({ createdAt: at(base - 1) });
        const atSince = cancellation({ createdAt: at(base), status: 'undone' });
        const after = cancellation({ createdAt: at(base + 5), status: 'told' });
        await store.uow.transaction(async (r) => {
          for (const c of [after, before, atSince]) await r.hoursCancellations.insert(c);
        });
        const made = await store.uow.run((r) => r.hoursCancellations.madeSince(at(base)));
        const ours = new Set([before.id, atSince.id, after.id]);
        expect(made.filter((c) => ours.has(c.id))).toEqual([atSince, after]);
      });

      it('finds pending ones by alderman and by due time, oldest first; told and undone ones are not pending', async () => {
        const alderman = `alderman-${randomUUID().slice(0, 8)}`;
        const first = cancellation({ aldermanId: alderman, createdAt: at(0), tellAt: at(120) });
        const later = cancellation({ aldermanId: alderman, createdAt: at(30), tellAt: at(150) });
        const told = cancellation({ aldermanId: alderman, createdAt: at(10) });
        await store.uow.transaction(async (r) => {
          for (const c of [later, told, first]) await r.hoursCancellations.insert(c);
          expect(await r.hoursCancellations.transition(told.id, 'pending', 'told', at(130))).toBe(true);
        });
        const mine = await store.uow.run((r) => r.hoursCancellations.pending({ aldermanId: alderman }));
        expect(mine.map((c) => c.id)).toEqual([first.id, later.id]);
        const due = await store.uow.run((r) =>
          r.hoursCancellations.pending({ aldermanId: alderman, dueBy: at(120) }),
        );
        expect(due.map((c) => c.id)).toEqual([first.id]);
        const all = await store.uow.run((r) => r.hoursCancellations.pending());
        expect(all.map((c) => c.id)).toEqual(expect.arrayContaining([first.id, later.id]));
        expect(all.map((c) => c.id)).not.toContain(told.id);
      });

      it('lets exactly one of a tell and an undo claim a pending cancellation, 20 times', async () => {
        for (let round = 0; round < 20; round++) {
          const c = cancellation();
          await store.uow.run((r) => r.hoursCancellations.insert(c));
          const uows = store.uows;
          const { values, errors } = await settle(
            (['told', 'undone', 'told', 'undone'] as const).map((to, i) =>
              uows[i % uows.length]!.transaction((r) =>
                r.hoursCancellations.transition(c.id, 'pending', to, at(121)),
              ),
            ),
          );
          expect(errors).toEqual([]);
          expect(values.filter(Boolean)).toHaveLength(1);
          const stored = await store.uow.run((r) => r.hoursCancellations.findById(c.id));
          expect(['told', 'undone']).toContain(stored?.status);
          expect(stored?.updatedAt).toEqual(at(121));
        }
      });
    },
  );
}
