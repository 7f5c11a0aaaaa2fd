import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Booking } from '../../src/ports/booking-repository.js';
import { residentChanges } from '../../src/features/scheduling/sweeper.js';
import { ManualClock } from '../../src/shared/clock.js';
import { translator } from '../../src/i18n/translator.js';
import { bookFirstSlot, startTestApp, type TestApp } from '../support/app-driver.js';
import { privateRedis } from '../support/private-redis.js';
import { databaseKinds, freshTarget, redisAvailable } from '../support/services.js';
import { shippedTexts } from '../support/texts.js';

const nl = translator(shippedTexts, 'nl');

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const line = (when: string) => ({
  when,
  kind: 'chat',
  name: nl('staff.appointments.resident'),
  topic: 'De speeltuin',
});

/** What a1 (Fatma Yilmaz's chat) was told, each notice text with how many times. */
function toldA1(t: TestApp): Map<string, number> {
  const told = new Map<string, number>();
  for (const m of t.sent) if (m.to === 'a1') told.set(m.text, (told.get(m.text) ?? 0) + 1);
  return told;
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
}

for (const { kind, available } of databaseKinds) {
  describe.skipIf(!available || !redisAvailable)(
    `BullMQ: Redis restarted before the aldermen's notices ran (${kind})`,
    () => {
      it('loses none: the sweep puts back the jobs of what residents did, and each is told once', async () => {
        let redis = await privateRedis();
        const port = redis.port;
        cleanups.push(() => redis.stop());
        const fresh = await freshTarget(kind);
        cleanups.push(fresh.cleanup);
        const clock = new ManualClock('2026-12-01T09:00:00Z');
        const options = {
          databaseUrl: fresh.url,
          redisUrl: `redis://127.0.0.1:${port}`,
          queuePrefix: `t-${randomUUID()}`,
          clock,
        };

        // The web process takes the residents' turns and queues the notices; no worker runs them.
        const web = await startTestApp({ ...options, app: { runJobs: false } });
        await web.driver.send('a1', `koppel ${await web.driver.staffCode!('fatma-yilmaz')}`);
        await bookFirstSlot(web.driver, 'r1'); // 09:00
        for (const text of ['mijn afspraken', '1', '2', 'ja']) await web.driver.send('r1', text); // to 09:20
        await bookFirstSlot(web.driver, 'r2'); // 09:00, given up again
        for (const text of ['afspraken', 'Afzeggen: vr 4 dec, 09:00', 'Ja, afzeggen'])
          await web.driver.send('r2', text);
        await bookFirstSlot(web.driver, 'r3'); // 09:00, kept
        await bookFirstSlot(web.driver, 'r4'); // 09:10, which the municipality cancels: not a resident's doing
        const [r4] = await web.app.uow.run((r) => r.bookings.activeForResident('console:r4', new Date(0)));
        const { cancellation } = await web.app.commands.scheduling.cancelBooking({
          bookingId: r4!.id,
          actor: 'cli',
        });
        await web.app.settle();
        await web.driver.close();
        const want = new Map([
          // r3's; r1's first booking was moved, r2's cancelled, r4's cancelled by the municipality:
          // their own notices tell that.
          [nl('staff.booking.booked', line('vr 4 dec, 09:00')), 1],
          [nl('staff.booking.moved', line('vr 4 dec, 09:20')), 1],
          [nl('staff.booking.cancelled', line('vr 4 dec, 09:00')), 1],
          [
            [
              nl('staff.booking.cancelled_by_municipality', { count: 1 }),
              `• vr 4 dec, 09:10 · chat · ${nl('staff.appointments.resident')}: “De speeltuin”`,
              nl('staff.booking.residents_told', { count: 1 }),
            ].join('\n'),
            1,
          ],
        ]);
        // Every notice waits on the queue.
        expect([...want.keys()].filter((text) => toldA1(web).has(text))).toEqual([]);

        // Redis dies with the jobs in it, and comes back empty.
        await redis.stop();
        redis = await privateRedis({ port });

        clock.set(cancellation.tellAt);
        const worker = await startTestApp(options);
        cleanups.push(() => worker.driver.close());
        await worker.app.sweep();
        const told = () => [...want.keys()].reduce((n, text) => n + (toldA1(worker).get(text) ?? 0), 0);
        await until(() => told() >= 4, 20_000);
        await worker.app.settle();

        // Swept again, and after a second loss of Redis: the jobs run again, and tell nobody twice.
        await worker.app.sweep();
        await redis.stop();
        redis = await privateRedis({ port });
        await worker.app.sweep();
        await new Promise((r) => setTimeout(r, 1000));
        await worker.app.settle();
        expect(toldA1(worker)).toEqual(want);
      });
    },
  );
}

describe('the jobs the sweep reads back from bookings', () => {
  const since = new Date('2026-12-01T08:00:00Z');
  const T = new Date('2026-12-01T09:00:00Z'); // one moment for everything: a clock that did not move
  const b = (id: string, over: Partial<Booking>): Booking => ({
    id,
    reference: `AFS-${id}`,
    aldermanId: 'fatma-yilmaz',
    slotStart: new Date('2026-12-04T08:00:00Z'),
    slotEnd: new Date('2026-12-04T08:10:00Z'),
    residentKey: 'console:r1',
    residentFirstName: null,
    topic: 'De speeltuin',
    kind: 'chat',
    place: 'WhatsApp',
    status: 'active',
    icsToken: id,
    transcript: [],
    rating: null,
    createdAt: T,
    updatedAt: T,
    ...over,
  });
  const jobIds = (changed: Booking[], byMunicipality: string[] = []) =>
    residentChanges(changed, new Set(byMunicipality), since).map((j) => j.jobId);

  it('tells a booking, a move (not the booking it replaced) and a resident’s cancellation apart', () => {
    const first = b('a', { status: 'moved' });
    const moved = b('b', { slotStart: new Date('2026-12-04T08:20:00Z') });
    const old = b('c', { residentKey: 'console:r2', status: 'cancelled', createdAt: new Date(0) });
    const start = (x: Booking) => x.slotStart.getTime();
    expect(jobIds([first, moved, old])).toEqual([
      `booking.tell-alderman.booked.a.${start(first)}`,
      `booking.tell-alderman.moved.b.${start(moved)}`,
      `booking.tell-alderman.cancelled.c.${start(old)}`,
    ]);
  });

  it('leaves a cancellation by the municipality to its own notice', () => {
    const cancelled = b('d', { status: 'cancelled', createdAt: new Date(0) });
    expect(jobIds([cancelled], ['d'])).toEqual([]);
  });
});
