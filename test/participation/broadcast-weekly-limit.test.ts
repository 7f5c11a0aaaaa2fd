/**
 * Regression: the weekly limit per resident was counted before the batches of other updates (running
 * at the same time, maybe in other worker processes) recorded theirs, so 4 updates reached a resident
 * with a limit of 3. Counting and claiming is now one step per resident; these tests run the batches
 * of several updates at once, on SQLite and on PostgreSQL with a connection pool per "process".
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  BROADCAST_BATCH,
  broadcastJobs,
  type BroadcastJobDeps,
} from '../../src/features/participation/broadcast.js';
import type { BroadcastBatchJob } from '../../src/features/participation/events.js';
import type { Notifier } from '../../src/ports/notifier.js';
import type { JobHandler } from '../../src/ports/queue.js';
import type { UnitOfWork } from '../../src/ports/unit-of-work.js';
import { SqlJobQueue } from '../../src/queue/sql-job-queue.js';
import { conversationKey } from '../../src/shared/address.js';
import { ManualClock } from '../../src/shared/clock.js';
import { Database } from '../../src/storage/database.js';
import { TypeOrmJobStore } from '../../src/storage/repositories/job-store.js';
import { createUnitOfWork } from '../../src/storage/unit-of-work.js';
import { databaseKinds, freshTarget } from '../support/services.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const LIMIT = 3;
const RESIDENTS = ['r1', 'r2', 'r3', 'r4'];
const key = (userId: string) => conversationKey({ channel: 'console', userId });

/** `processes` databases opened on one fresh store (SQLite: one connection per process, so one). */
async function open(kind: 'sqlite' | 'postgres', processes: number) {
  const fresh = await freshTarget(kind);
  const dbs: Database[] = [];
  for (let i = 0; i < processes; i++) dbs.push(await Database.open(fresh.target));
  cleanups.push(fresh.cleanup, async () => {
    await Promise.all(dbs.map((db) => db.close()));
  });
  return dbs;
}

/** What the conversations were told: broadcast ids per resident key, as the engine would get them. */
function recordingNotifier(options: {
  delayMs?: number;
  failOnce?: (to: string, broadcastId: number) => boolean;
}) {
  const told: { key: string; broadcastId: number; eventId: string }[] = [];
  const failed = new Set<string>();
  const notifier: Notifier = {
    async notify(address, _name, payload, eventId) {
      const to = conversationKey(address);
      const { broadcastId } = payload as { broadcastId: number };
      // Gives the other batches time to run in between, as a busy engine would.
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));
      if (options.failOnce?.(to, broadcastId) && !failed.has(`${to}:${broadcastId}`)) {
        failed.add(`${to}:${broadcastId}`);
        throw new Error('the worker died after the claim, before the conversation was told');
      }
      told.push({ key: to, broadcastId, eventId });
    },
    // Broadcasts tell conversations through notify alone; anything else would go unrecorded here.
    storeEvent: () => Promise.reject(new Error('broadcasts store no events in their own transactions')),
    handOver: () => Promise.reject(new Error('broadcasts hand nothing over after their own transactions')),
  };
  return { notifier, told };
}

function depsFor(db: Database, clock: ManualClock, notifier: Notifier): BroadcastJobDeps {
  return {
    uow: createUnitOfWork(db),
    clock,
    notifier,
    // A real queue on the store: a batch that fills its size queues the next one there.
    queue: new SqlJobQueue({ store: new TypeOrmJobStore(db), queueName: 'broadcast-limit', clock }),
    broadcast: { perSecond: { '*': 50 }, perResidentPerWeek: LIMIT, whatsapp: 'none' },
  };
}

async function subscribeAll(uow: UnitOfWork, at: Date, residents = RESIDENTS) {
  await uow.run(async (r) => {
    for (const userId of residents)
      await r.participation.subscribe({
        conversationKey: key(userId),
        address: { channel: 'console', userId },
        districtId: 'muziekbuurt',
        topic: null,
        consentedAt: at,
      });
  });
}

async function createBroadcast(uow: UnitOfWork, n: number, at: Date, capped = true): Promise<number> {
  const { id } = await uow.transaction((r) =>
    r.broadcasts.create(
      {
        kind: 'update',
        subjectId: String(n),
        event: { name: 'participation.update', payload: { title: `update ${n}` } },
        districts: ['muziekbuurt'],
        topic: null,
        capped,
      },
      at,
    ),
  );
  return id;
}

function run(handler: JobHandler<BroadcastBatchJob>, broadcastId: number, attempt = 1) {
  return handler({
    id: `broadcast:${broadcastId}:console:0`,
    name: BROADCAST_BATCH,
    data: { broadcastId, channel: 'console', round: 0 },
    attempt,
  });
}

describe.each(databaseKinds)('the weekly limit per resident on $kind', ({ kind, available }) => {
  it.skipIf(!available)(
    'holds when the batches of several updates run at the same time in several processes',
    async () => {
      const dbs = await open(kind, kind === 'postgres' ? 3 : 1);
      const clock = new ManualClock('2026-12-01T09:00:00Z');
      const { notifier, told } = recordingNotifier({ delayMs: 30 });
      const handlers = dbs.map(
        (db) => broadcastJobs(depsFor(db, clock, notifier))[BROADCAST_BATCH] as JobHandler<BroadcastBatchJob>,
      );
      const uow = createUnitOfWork(dbs[0]!);
      // r1 already had one update this week: two more may reach them, three the others.
      await subscribeAll(uow, clock.now(), ['r1']);
      const earlier = await createBroadcast(uow, 0, clock.now());
      await run(handlers[0]!, earlier);
      await subscribeAll(uow, clock.now());
      clock.advance(3600_000);
      told.length = 0;
      const ids: number[] = [];
      for (let n = 1; n <= 5; n++) ids.push(await createBroadcast(uow, n, clock.now()));
      // A poll invitation does not count towards the limit and is not held back by it.
      const poll = await createBroadcast(uow, 6, clock.now(), false);
      await Promise.all([...ids, poll].map((id, i) => run(handlers[i % handlers.length]!, id)));

      const perResident = (k: string) =>
        told.filter((t) => t.key === k && ids.includes(t.broadcastId)).length;
      expect(perResident(key('r1'))).toBe(LIMIT - 1);
      for (const userId of ['r2', 'r3', 'r4']) expect(perResident(key(userId))).toBe(LIMIT);
      for (const userId of RESIDENTS)
        expect(told.filter((t) => t.key === key(userId) && t.broadcastId === poll)).toHaveLength(1);

      // The ones held back are recorded as capped (the weekly limit), and every row is settled.
      const counts = await uow.run(async (r) => Promise.all(ids.map((id) => r.broadcasts.counts(id))));
      const total = (status: 'sent' | 'capped' | 'queued' | 'held') =>
        counts.reduce((sum, c) => sum + c.byStatus[status], 0);
      expect(total('sent')).toBe(LIMIT - 1 + 3 * LIMIT);
      expect(total('capped')).toBe(5 * RESIDENTS.length - (LIMIT - 1 + 3 * LIMIT));
      expect(total('queued')).toBe(0);
      expect(total('held')).toBe(0);
    },
  );

  it.skipIf(!available)(
    'a batch that died between the claim and the telling tells the claimed again, counted once',
    async () => {
      const [db] = await open(kind, 1);
      const clock = new ManualClock('2026-12-01T09:00:00Z');
      const { notifier, told } = recordingNotifier({
        failOnce: (to, broadcastId) => to === key('r1') && broadcastId === first,
      });
      const deps = {
        ...depsFor(db!, clock, notifier),
        broadcast: { perSecond: { '*': 50 }, perResidentPerWeek: 2, whatsapp: 'none' as const },
      };
      const handler = broadcastJobs(deps)[BROADCAST_BATCH] as JobHandler<BroadcastBatchJob>;
      const uow = createUnitOfWork(db!);
      await subscribeAll(uow, clock.now());
      const first = await createBroadcast(uow, 1, clock.now());
      await expect(run(handler, first)).rejects.toThrow('worker died');
      expect(told.some((t) => t.key === key('r1'))).toBe(false);
      // The claim stands while the batch waits for its retry: it counts, and the sweep sees it unfinished.
      expect(await uow.run((r) => r.broadcasts.stalled(new Date(clock.now().getTime() + 1)))).toContainEqual({
        id: first,
        channel: 'console',
      });

      clock.advance(60_000);
      const second = await createBroadcast(uow, 2, clock.now());
      await run(handler, second);
      clock.advance(60_000);
      const third = await createBroadcast(uow, 3, clock.now());
      await run(handler, third);
      // The queue tries the first batch again.
      await run(handler, first, 2);

      const toR1 = told.filter((t) => t.key === key('r1')).map((t) => t.broadcastId);
      expect(toR1).toEqual([second, first]);
      const [c1, c3] = await uow.run(async (r) => [
        await r.broadcasts.counts(first),
        await r.broadcasts.counts(third),
      ]);
      expect(c1.byStatus).toEqual({ queued: 0, sent: RESIDENTS.length, held: 0, capped: 0 });
      // Every resident had two this week (the first one counted once, though it was told twice to some).
      expect(c3.byStatus).toEqual({ queued: 0, sent: 0, held: 0, capped: RESIDENTS.length });
      for (const userId of RESIDENTS)
        expect(new Set(told.filter((t) => t.key === key(userId)).map((t) => t.broadcastId))).toEqual(
          new Set([first, second]),
        );
    },
  );
});
