import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { BOOK_FIRST_SLOT, bookFirstSlot, startTestApp, type TestApp } from '../support/app-driver.js';
import { playScenario, readScenario } from '../support/scenario.js';
import { redisAvailable, sqliteUrl } from '../support/services.js';
import { privateRedis } from '../support/private-redis.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const reminders = (t: TestApp) => t.sent.filter((m) => m.to === 'r1' && /Herinnering: morgen/.test(m.text));

describe('the live session is kept', () => {
  it('keeps the transcript, the end and the rating with the booking for the operators', async () => {
    const t = await startTestApp({ databaseUrl: sqliteUrl() });
    cleanups.push(() => t.driver.close());
    await playScenario(readScenario('test/scenarios/live-session.jsonl'), t.driver);
    const bookings = await t.app.uow.run((r) =>
      r.bookings.listByStart({ from: new Date('2026-12-01'), until: new Date('2027-01-01') }),
    );
    expect(bookings).toHaveLength(1);
    const [booking] = bookings;
    expect(booking?.status).toBe('completed');
    expect(booking?.rating).toBe(4);
    expect(booking?.transcript.map((l) => `${l.from}: ${l.text}`)).toEqual([
      'resident: Goedemorgen, het gaat over de speeltuin.',
      'alderman: Goedemorgen! Vertelt u maar.',
      'resident: Dank u wel voor het gesprek.',
    ]);
  });
});

describe('reminders', () => {
  it('are still sent after a restart, and never twice', async () => {
    const url = sqliteUrl();
    const clock = new ManualClock('2026-12-01T09:00:00Z');
    const first = await startTestApp({ databaseUrl: url, clock });
    await bookFirstSlot(first.driver);
    await first.driver.close();

    clock.set('2026-12-03T08:05:00Z'); // the day before, after the reminder's time
    const second = await startTestApp({ databaseUrl: url, clock });
    await second.driver.advance!(1000);
    expect(reminders(second)).toHaveLength(1);
    await second.driver.close();

    const third = await startTestApp({ databaseUrl: url, clock });
    cleanups.push(() => third.driver.close());
    await third.app.sweep();
    await third.driver.advance!(1000);
    expect(reminders(third)).toHaveLength(0);
  });

  it('move with the booking and are dropped when it is cancelled', async () => {
    const t = await startTestApp({ databaseUrl: sqliteUrl() });
    cleanups.push(() => t.driver.close());
    await bookFirstSlot(t.driver);
    for (const text of ['mijn afspraken', '1', '2', 'ja']) await t.driver.send('r1', text); // move to 09:20 (09:00 is their own)
    for (const text of ['mijn afspraken', '2', 'Ja, afzeggen']) await t.driver.send('r1', text); // cancel
    expect(t.sent.map((m) => m.text).join('\n')).toMatch(
      /verzet naar vrijdag 4 december om 09:20[\s\S]*afgezegd/,
    );
    await t.driver.advance!(2 * 24 * 60 * 60_000);
    await t.driver.advance!(24 * 60 * 60_000);
    expect(t.sent.filter((m) => m.to === 'r1' && /Herinnering|Over een uur|begint nu/.test(m.text))).toEqual(
      [],
    );
  });
});

describe.skipIf(!redisAvailable)('BullMQ: a Redis restart', () => {
  it('loses no reminder: the sweep puts the booking timers back', async () => {
    let redis = await privateRedis();
    const port = redis.port;
    cleanups.push(() => redis.stop());
    const options = {
      databaseUrl: sqliteUrl(),
      redisUrl: `redis://127.0.0.1:${port}`,
      queuePrefix: `t-${randomUUID()}`,
    };
    const web = await startTestApp({ ...options, app: { runJobs: false } });
    await bookFirstSlot(web.driver);
    const [booking] = await web.app.uow.run((r) => r.bookings.activeForResident('console:r1', new Date(0)));
    await web.driver.close();
    const jobId = `reminder.day-before.${booking?.id}.${booking?.slotStart.getTime()}`;

    await redis.stop();
    redis = await privateRedis({ port });

    const worker = await startTestApp({ ...options, app: { sweepMs: 100 } });
    cleanups.push(() => worker.driver.close());
    await worker.app.sweep();
    // cancel() is true only when the job was there to remove: the sweep put it back.
    expect(await worker.app.queue.cancel(jobId)).toBe(true);
  });
});

describe('the alderman sees who is writing', () => {
  it("prefixes the resident's messages with the first name the channel gave (only the first name is kept)", async () => {
    const t = await startTestApp({ databaseUrl: sqliteUrl() });
    cleanups.push(() => t.driver.close());
    const code = await t.driver.staffCode!('fatma-yilmaz');
    await t.driver.send('a1', `koppel ${code}`);
    for (const [i, text] of BOOK_FIRST_SLOT.entries()) {
      await t.app.engine.receive({
        channel: 'console',
        userId: 'r1',
        messageId: `n${i}`,
        text,
        displayName: 'Sanne de Boer',
      });
      await t.app.settle();
    }
    await t.driver.advance!(71 * 60 * 60_000);
    await t.app.engine.receive({
      channel: 'console',
      userId: 'r1',
      messageId: 'live-1',
      text: 'Goedemorgen',
      displayName: 'Sanne de Boer',
    });
    await t.app.settle();
    expect(t.sent.filter((m) => m.to === 'a1').map((m) => m.text)).toContainEqual(
      expect.stringMatching(/^Sanne \(AFS-[A-Z0-9]+\): Goedemorgen$/),
    );
    const names = await t.app.db.run((m) =>
      m.query<{ first_name: string | null }[]>(
        `SELECT DISTINCT first_name FROM inbound WHERE conversation_key = 'console:r1' AND kind = 'message'`,
      ),
    );
    expect(names.map((n) => n.first_name)).toEqual(['Sanne']);
  });
});
