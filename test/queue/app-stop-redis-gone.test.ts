import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { BOOK_FIRST_SLOT, startTestApp } from '../support/app-driver.js';
import { privateRedis } from '../support/private-redis.js';
import { redisAvailable, sqliteUrl } from '../support/services.js';

/**
 * SIGTERM in the distributed mode while Redis is gone: the stop waited for good (the outbox's hand-
 * over of jobs to BullMQ and BullMQ's worker wait for Redis), and BullMQ's timers kept the process
 * alive. Now the stop lets go of a queue that does not answer, says so in one line, and loses nothing:
 * what was being handed over stays in the outbox and reaches the queue after the restart.
 */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe.skipIf(!redisAvailable)('stopping the service while Redis is gone', () => {
  it(
    'resolves, logs one line about what it did not wait for, and the outbox keeps the jobs',
    { timeout: 120_000 },
    async () => {
      let redis = await privateRedis();
      const port = redis.port;
      const redisUrl = `redis://127.0.0.1:${port}`;
      const databaseUrl = sqliteUrl();
      type Line = { level: number; msg: string; left?: string[] };
      const lines: Line[] = [];
      const logger = pino(
        { level: 'info' },
        { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
      );
      cleanups.push(() => redis.stop());
      const t = await startTestApp({ databaseUrl, redisUrl, logger });
      for (const text of BOOK_FIRST_SLOT.slice(0, -1)) await t.driver.send('r1', text);

      await redis.stop();
      // The confirmation books the slot; its reminders are jobs the outbox hands to BullMQ, which waits for Redis.
      await t.app.engine.receive({ channel: 'console', userId: 'r1', messageId: 'confirm', text: '1' });
      expect(t.sent.at(-2)?.text).toMatch(/Uw afspraak staat/);
      expect(t.app.dispatcher.inProgress).toBeGreaterThan(0);

      await t.app.stop();
      expect(t.app.stoppedCleanly).toBe(false);
      // Besides the queue's own connection errors while Redis is away: one line about the stop.
      const warnings = lines.filter((l) => l.level >= 40 && l.msg !== 'queue error');
      expect(warnings.map((l) => l.msg)).toEqual([
        expect.stringMatching(/^stopped without closing the job queue \(bullmq\) cleanly: it did not answer/),
      ]);
      expect(warnings[0]!.left).toEqual([
        expect.stringMatching(/^\d+ outbox items being handed over/),
        expect.stringMatching(/^running jobs/),
      ]);

      // Redis back (empty): once the stopped process's claim on them ran out, the next start hands
      // the reminders over; nothing was lost.
      redis = await privateRedis({ port });
      const next = await startTestApp({ databaseUrl, redisUrl });
      await next.driver.advance!(61_000);
      const [booking] = await next.app.uow.run((r) =>
        r.bookings.activeForResident('console:r1', new Date(0)),
      );
      expect(booking).toBeDefined();
      expect((await next.app.queue.findByContent([JSON.stringify(booking!.id)])).length).toBeGreaterThan(0);
      await next.app.stop();
      expect(next.app.stoppedCleanly).toBe(true);
    },
  );
});
