import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobHandler } from '../../src/ports/queue.js';
import { startTestApp, type TestApp } from '../support/app-driver.js';
import type { SentMessage } from '../support/scenario.js';
import { REDIS_URL, redisAvailable, redisPrefix, removeRedisKeys, sqliteUrl } from '../support/services.js';
import { privateRedis } from '../support/private-redis.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** Links a1 to Fatma Yilmaz (Rijswijk-Buiten), then r1 asks a question there; returns everything sent. */
async function askQuestion(t: TestApp): Promise<SentMessage[]> {
  const code = await t.driver.staffCode!('fatma-yilmaz');
  await t.driver.send('a1', `koppel ${code}`);
  const sent: SentMessage[] = [];
  for (const text of [
    'hallo',
    'vraag',
    'De lantaarnpaal bij mij voor de deur is kapot.',
    'klaar',
    '2288 GD',
    'nee',
    '2',
    '1',
  ]) {
    sent.push(...(await t.driver.send('r1', text)));
  }
  return sent;
}

const noticesTo = (t: TestApp, who: string) =>
  t.sent.filter((m) => m.to === who && /Nieuwe vraag RSW-/.test(m.text));

async function until(
  done: () => boolean | Promise<boolean>,
  ms: number,
  step: () => Promise<unknown>,
): Promise<void> {
  const start = Date.now();
  while (!(await done())) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await step();
  }
}

const drivers = [
  { name: 'SQL (SQLite)', available: true, redis: false },
  { name: 'BullMQ (Redis)', available: redisAvailable, redis: true },
];

describe.each(drivers)('routing a new case on the $name queue', ({ available, redis }) => {
  const start = (extra: Parameters<typeof startTestApp>[0]['app'] = {}) => {
    const queuePrefix = redisPrefix('routing');
    // Runs after the app closed (cleanups run last-in, first-out): no key of this test stays in Redis.
    if (redis) cleanups.push(() => removeRedisKeys(queuePrefix));
    return startTestApp({
      databaseUrl: sqliteUrl(),
      ...(redis ? { redisUrl: REDIS_URL, queuePrefix } : {}),
      app: extra,
    }).then((t) => {
      cleanups.push(() => t.driver.close());
      return t;
    });
  };

  it.skipIf(!available)('the case reaches its assignee in their linked chat', async () => {
    const t = await start();
    const sent = await askQuestion(t);
    expect(sent.some((m) => m.to === 'r1' && /RSW-\d{4}-\d{6}/.test(m.text))).toBe(true);
    await until(
      () => noticesTo(t, 'a1').length > 0,
      15_000,
      () => t.driver.advance!(1000),
    );
    expect(noticesTo(t, 'a1')).toHaveLength(1);
    expect(noticesTo(t, 'a1')[0]?.text).toMatch(/Rijswijk-Buiten.*Verkeer en parkeren/s);
  });

  it.skipIf(!available)(
    'a routing job that fails twice succeeds on its third attempt, with one notification',
    async () => {
      const attempts: number[] = [];
      const wrapJob = (name: string, handler: JobHandler<never>): JobHandler<never> =>
        name !== 'case.route'
          ? handler
          : async (job) => {
              attempts.push(job.attempt);
              await handler(job);
              // Fails after the notice went out: a retry must not send it again.
              if (job.attempt < 3) throw new Error(`injected failure on attempt ${job.attempt}`);
            };
      const t = await start({ faults: { wrapJob } });
      await askQuestion(t);
      await until(
        () => attempts.length >= 3,
        20_000,
        () => t.driver.advance!(5_000),
      ).catch((e: unknown) => {
        throw new Error(`${String(e)}; attempts ${JSON.stringify(attempts)}`);
      });
      await t.app.settle();
      expect(attempts).toEqual([1, 2, 3]);
      expect(noticesTo(t, 'a1')).toHaveLength(1);
      const cases = await t.app.uow.run((r) =>
        r.cases.listForAssignee('alderman', 'fatma-yilmaz', ['routed']),
      );
      expect(cases).toHaveLength(1);
    },
  );
});

describe.skipIf(!redisAvailable)('BullMQ: Redis restarted during routing', () => {
  it('loses no case: the sweep routes it again and the alderman hears once', async () => {
    let redis = await privateRedis();
    const port = redis.port;
    cleanups.push(() => redis.stop());
    const databaseUrl = sqliteUrl();
    const redisUrl = `redis://127.0.0.1:${port}`;
    const prefix = `t-${randomUUID()}`;

    // The web process takes the question and queues its routing; no worker is running yet.
    const web = await startTestApp({ databaseUrl, redisUrl, queuePrefix: prefix, app: { runJobs: false } });
    await askQuestion(web);
    await web.driver.close();

    // Redis dies with the job in it, and comes back empty.
    await redis.stop();
    redis = await privateRedis({ port });

    const worker = await startTestApp({
      databaseUrl,
      redisUrl,
      queuePrefix: prefix,
      app: { sweepMs: 200, unroutedAfterMs: 0 },
    });
    cleanups.push(() => worker.driver.close());
    await until(
      async () =>
        (await worker.app.uow.run((r) => r.cases.listForAssignee('alderman', 'fatma-yilmaz', ['routed'])))
          .length === 1,
      20_000,
      () => new Promise((r) => setTimeout(r, 100)),
    );
    await worker.app.settle();
    // a1 is a console identity: the worker delivers the notice (no sweep or retry makes it twice).
    await new Promise((r) => setTimeout(r, 600));
    await worker.app.settle();
    expect(noticesTo(worker, 'a1')).toHaveLength(1);
  });
});

describe.skipIf(!redisAvailable)('BullMQ: the sweep puts case timers back when the queue lost them', () => {
  /** A worker on a Redis of its own (restarted below), the question asked and routed, its timers queued. */
  async function routedCase(app: { restoreEveryMs?: number } = {}) {
    let redis = await privateRedis();
    const port = redis.port;
    cleanups.push(() => redis.stop());
    const t = await startTestApp({
      databaseUrl: sqliteUrl(),
      redisUrl: `redis://127.0.0.1:${port}`,
      queuePrefix: `t-${randomUUID()}`,
      app: { sweepMs: 3_600_000, ...app },
    });
    cleanups.push(() => t.driver.close());
    await askQuestion(t);
    const [c] = await t.app.uow.run((r) => r.cases.listForAssignee('alderman', 'fatma-yilmaz', ['routed']));
    const timers = async () =>
      (await t.app.queue.findByContent([JSON.stringify(c!.id)]))
        .filter((job) => job.name === 'case.timer' && job.status === 'delayed')
        .map((job) => job.id)
        .sort();
    const planned = await timers();
    expect(planned).toHaveLength(3);
    const restartEmpty = async () => {
      await redis.stop();
      redis = await privateRedis({ port });
    };
    return { t, timers, planned, restartEmpty, caseId: c!.id };
  }

  it('adds no timer while the queue kept its data; after Redis came back empty, all of them, once', async () => {
    const { t, timers, planned, restartEmpty } = await routedCase();
    await t.app.sweep(); // the process's first sweep checks everything once
    // Later sweeps plan again what changed since the one before; the case was routed before it.
    await t.driver.advance!(5 * 60_000);
    await t.app.sweep();
    const adds = vi.spyOn(t.app.queue, 'enqueueMany');
    const timerAdds = () => adds.mock.calls.flat(2).filter((job) => job.name === 'case.timer').length;
    // A timer gone while Redis kept its data (a job removed by hand) is not what the sweep looks for.
    expect(await t.app.queue.cancel(planned[0]!)).toBe(true);
    await t.app.sweep();
    await t.app.sweep();
    expect(timerAdds()).toBe(0);
    expect(await timers()).toEqual(planned.slice(1));

    await restartEmpty();
    expect(await timers()).toEqual([]);
    await t.app.sweep();
    expect(await timers()).toEqual(planned);
    expect(timerAdds()).toBe(3);
    // The next sweep finds the same lifetime again: nothing added.
    await t.app.sweep();
    expect(timerAdds()).toBe(3);
  });

  it('plans again the timers of a case changed since the last sweep (a staff change plans them after its commit)', async () => {
    const { t, timers, planned, caseId } = await routedCase();
    await t.app.sweep();
    await t.driver.advance!(5 * 60_000);
    await t.app.sweep();
    // A staff change committed, and its timers' add lost in a Redis hiccup (Redis kept its data).
    expect(await t.app.queue.cancel(planned[2]!)).toBe(true);
    const changed = await t.app.uow.run((r) =>
      r.cases.update(caseId, { status: 'routed' }, { updatedAt: t.clock.now() }),
    );
    expect(changed).toBe(true);
    await t.app.sweep();
    expect(await timers()).toEqual(planned);
  });

  it('checks every timer again once its interval passed, also while the queue kept its data', async () => {
    const { t, timers, planned } = await routedCase({ restoreEveryMs: 0 });
    await t.app.sweep();
    expect(await t.app.queue.cancel(planned[1]!)).toBe(true);
    await t.app.sweep();
    expect(await timers()).toEqual(planned);
  });
});
