/**
 * Cases created and routed per second, end to end through the real App (issue 5): each case is
 * created in its own transaction, its `case.route` job enqueued as the ask-question flow does, and
 * the job routes it, plans its timers and tells the linked alderman in their chat. Measured in
 * embedded mode (SQLite file, SQL job queue) and in BullMQ mode (SQLite file, Redis), next to a
 * no-op BullMQ job on the same Redis as the reference. Prints nothing; bench/index.ts prints.
 *
 * Each run's clock stops when its last piece of work is done: the CASES-th alderman notice reaches
 * the console (the route job's last step, after the route and its timers), the CASES-th no-op job
 * has run. Neither side polls for it: polling stopped the clock up to one interval late (20 ms for
 * the routed count, 25 ms in whenIdle), which is a few percent of a routed run and up to a fifth
 * of a short no-op run, so the reference came out slower than it is.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleAdapter, type ConsoleLine } from '../bots/console/console-adapter.js';
import { createApp, type App } from '../src/app/create-app.js';
import { parseConfig } from '../src/config/config.js';
import type { JobQueue } from '../src/ports/queue.js';
import { createJobQueue } from '../src/app/create-queue.js';
import { systemClock } from '../src/shared/clock.js';
import { createLogger } from '../src/shared/logger.js';
import { Database } from '../src/storage/database.js';
import { createUnitOfWork } from '../src/storage/unit-of-work.js';
import { createCase } from '../src/features/cases/case-service.js';
import { caseInput } from './cases.js';
import { isReachable } from '../test/support/net.js';
import { askQuestion, deleteKeys, pool } from './support.js';

/**
 * Cases per run (BENCH_ROUTED_CASES overrides), and no-op jobs in the reference. At 400 the no-op run
 * took 0.07 to 0.15 s and its rate moved between 2,500 and 5,900/s from run to run (warm-up and
 * timer jitter weigh on so short a run); at 2,000 two runs in a row gave the same ratio.
 */
const CASES = Number(process.env.BENCH_ROUTED_CASES ?? 2000);
/** Runs of the no-op reference; the median is the figure. */
const NOOP_RUNS = 5;
/** Residents asking at the same time (cases being created concurrently). */
const IN_FLIGHT = 8;
/** A hang guard only: a run that cannot finish stops with an error instead of waiting forever. */
const GIVE_UP_MS = 120_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Who askQuestion's cases (Rijswijk-Buiten) go to under the shipped routing rules ('wijkwethouder'). */
const ALDERMAN = 'fatma-yilmaz';
const STAFF_USER = 'bench-alderman';

interface Run {
  perSecond: number;
  /** Chat messages the alderman received: one per case when the whole path ran. */
  notices: number;
}

/** The whole service on a SQLite file in `dir`, on BullMQ when `redis` is given, with a console channel. */
async function startApp(dir: string, redis?: { url: string; prefix: string }) {
  const config = parseConfig({
    DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
    LOG_LEVEL: 'silent',
    ...(redis ? { REDIS_URL: redis.url } : {}),
  });
  const notices = counter();
  const write = (line: ConsoleLine) => {
    if (line.to === STAFF_USER) notices.add();
  };
  const app = await createApp({
    config,
    logger: createLogger({ level: 'silent', production: true }),
    channels: [() => ({ adapter: new ConsoleAdapter(write) })],
    ...(redis ? { queue: { prefix: redis.prefix } } : {}),
  });
  await app.start();
  return { app, notices };
}

/** Counts events; `reach(n)` resolves once the count is n (no polling), or fails after GIVE_UP_MS. */
function counter() {
  let count = 0;
  let waiting: { target: number; resolve: () => void } | undefined;
  return {
    get count() {
      return count;
    },
    add() {
      count++;
      if (waiting && count >= waiting.target) waiting.resolve();
    },
    reach(target: number, what: string): Promise<void> {
      if (count >= target) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`only ${count} of ${target} ${what} after ${GIVE_UP_MS / 1000} s`)),
          GIVE_UP_MS,
        );
        waiting = {
          target,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
      });
    },
  };
}

/** Links the alderman's console identity the way an alderman does it: `koppel <code>` in their chat. */
async function linkAlderman(app: App): Promise<void> {
  const { code } = await app.commands.staff.linkCode(ALDERMAN);
  await app.engine.receive({
    channel: 'console',
    userId: STAFF_USER,
    messageId: randomUUID(),
    text: `koppel ${code}`,
  });
  await app.settle();
  const identities = await app.uow.run((r) => r.staff.identitiesOf(ALDERMAN));
  if (!identities.some((a) => a.userId === STAFF_USER)) throw new Error('linking the alderman failed');
}

async function countRouted(app: App): Promise<number> {
  const rows = await app.db.run((m) =>
    m.query<{ n: number }[]>(`SELECT COUNT(*) AS n FROM cases WHERE status = 'routed'`),
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Creates and enqueues CASES cases, and times until the alderman has been told of every one; then
 * checks that every case is routed and lets the queue finish (its jobs' last bookkeeping).
 */
async function createAndRoute(app: App, notices: ReturnType<typeof counter>, first = 0): Promise<number> {
  const told = notices.count + CASES;
  const routedBefore = await countRouted(app);
  const started = performance.now();
  await pool(CASES, IN_FLIGHT, (i) => askQuestion(app, first + i));
  await notices.reach(told, 'alderman notices');
  const ms = performance.now() - started;
  const routed = (await countRouted(app)) - routedBefore;
  if (routed !== CASES) throw new Error(`${routed} of ${CASES} cases routed, yet every notice came`);
  await app.queue.whenIdle();
  return perSecond(CASES, ms);
}

/** One mode end to end: fresh app, linked alderman, the timed run, then every notice delivered. */
async function casesRouted(redis?: { url: string; prefix: string }): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-bench-'));
  try {
    const { app, notices } = await startApp(dir, redis);
    try {
      await linkAlderman(app);
      // One untimed run first, as the no-op reference's runs after its first are warm: a cold
      // process routed 705/s where the same run after a warm one routed 810-815/s.
      await createAndRoute(app, notices);
      const before = notices.count;
      const rate = await createAndRoute(app, notices, CASES);
      await app.settle();
      return { perSecond: rate, notices: notices.count - before };
    } finally {
      await app.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (redis) await deleteKeys(redis.url, `${redis.prefix}:*`);
  }
}

/**
 * The reference: CASES no-op jobs on a fresh BullMQ queue, enqueued and run the same way. With
 * `storeCase`, each job is enqueued after a case's own transaction on a SQLite file (reference,
 * row, event: what the route job's input is): the least any design needs that stores a case and
 * hands it to the queue, with nothing routed, timed or told. Its rate over the no-op rate bounds
 * the ratio from above.
 */
async function noopJobs(redisUrl: string, concurrency: number, storeCase = false): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-bench-'));
  const prefix = `bench-${randomUUID()}`;
  // createJobQueue takes a database for the SQL driver; with a Redis URL only storeCase uses it.
  const db = await Database.open({ kind: 'sqlite', file: join(dir, 'bench.db') }, { migrate: storeCase });
  const uow = createUnitOfWork(db);
  let queue: JobQueue | undefined;
  try {
    queue = await createJobQueue({ redisUrl, db, clock: systemClock, queueName: 'spreekuur', prefix });
    const q = queue;
    const ran = counter();
    await q.process({ noop: async () => ran.add() }, { concurrency });
    const job = async (i: number) => {
      if (storeCase) await uow.transaction((repos) => createCase(repos, caseInput(i)));
      await q.enqueue('noop', { i }, { jobId: `noop-${i}` });
    };
    // The case run warms up first, as the routed runs do (one untimed run): its SQL is the part a
    // cold process does slowest. The plain no-op runs warm up across NOOP_RUNS instead.
    if (storeCase) {
      await pool(CASES, IN_FLIGHT, (i) => job(CASES + i));
      await ran.reach(CASES, 'warm-up jobs');
    }
    const before = ran.count;
    const started = performance.now();
    await pool(CASES, IN_FLIGHT, job);
    await ran.reach(before + CASES, 'no-op jobs');
    const ms = performance.now() - started;
    await q.whenIdle();
    return perSecond(CASES, ms);
  } finally {
    await queue?.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    await deleteKeys(redisUrl, `${prefix}:*`);
  }
}

/** Cases created and routed per second in each mode that can run here, and the no-op BullMQ reference. */
export async function benchCasesRouted(): Promise<Record<string, number>> {
  const results: Record<string, number> = {};
  const embedded = await casesRouted();
  results['cases_routed_per_s.embedded'] = embedded.perSecond;
  results['cases_routed.embedded.alderman_notices'] = embedded.notices;
  if (!(await isReachable(REDIS_URL, 6379))) {
    results['cases_routed_per_s.bullmq.skipped_redis_unreachable'] = 0;
    return results;
  }
  const bullmq = await casesRouted({ url: REDIS_URL, prefix: `bench-${randomUUID()}` });
  results['cases_routed_per_s.bullmq'] = bullmq.perSecond;
  results['cases_routed.bullmq.alderman_notices'] = bullmq.notices;
  // The app's workers run QUEUE_CONCURRENCY jobs at a time; the reference gets the same. Its run is
  // short (0.2-0.5 s): two in a row gave 4,206 and 9,860/s, so it runs NOOP_RUNS times, and the
  // median counts.
  const concurrency = parseConfig({}).QUEUE_CONCURRENCY;
  const noopRuns = [];
  for (let i = 0; i < NOOP_RUNS; i++) noopRuns.push(await noopJobs(REDIS_URL, concurrency));
  const noop = [...noopRuns].sort((a, b) => a - b)[Math.floor(NOOP_RUNS / 2)]!;
  results['noop_bullmq_jobs_per_s'] = noop;
  results['noop_bullmq_jobs_per_s.lowest_of_runs'] = Math.min(...noopRuns);
  results['noop_bullmq_jobs_per_s.highest_of_runs'] = Math.max(...noopRuns);
  results['ratio.bullmq_cases_to_noop'] = Math.round((bullmq.perSecond / noop) * 1000) / 1000;
  // The ceiling of that ratio on this machine: a case stored and a no-op job run for it, nothing more.
  const floorRuns = [];
  for (let i = 0; i < NOOP_RUNS; i++) floorRuns.push(await noopJobs(REDIS_URL, concurrency, true));
  const storedAndQueued = [...floorRuns].sort((a, b) => a - b)[Math.floor(NOOP_RUNS / 2)]!;
  results['case_stored_and_noop_job_per_s'] = storedAndQueued;
  results['ratio.ceiling_case_stored_and_noop_job_to_noop'] =
    Math.round((storedAndQueued / noop) * 1000) / 1000;
  return results;
}

function perSecond(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}
