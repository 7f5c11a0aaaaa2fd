/**
 * The worker's safety-net sweep with some thousands of open cases on BullMQ (SQLite file, Redis): the
 * first sweep of a process puts back every open case's timers (as after a Redis that came back
 * empty); the sweeps after it, while Redis keeps its data, only do the cheap checks. Each figure is
 * the sweep's time, the job adds it made and the commands Redis processed meanwhile (the whole
 * server's count: run on a quiet Redis). Between sweeps the app's clock moves on by the default
 * interval, 30 s. Prints nothing; bench/index.ts prints.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createApp } from '../src/app/create-app.js';
import { parseConfig } from '../src/config/config.js';
import type { NewJob } from '../src/ports/queue.js';
import { ManualClock } from '../src/shared/clock.js';
import { createLogger } from '../src/shared/logger.js';
import { isReachable } from '../test/support/net.js';
import { askQuestion, deleteKeys } from './support.js';

/** Open cases (BENCH_SWEEP_CASES overrides). */
const CASES = Number(process.env.BENCH_SWEEP_CASES ?? 3000);
const STEADY_RUNS = 5;
/** The worker's default sweep interval (SWEEP_SECONDS). */
const SWEEP_MS = 30_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function benchSweep(): Promise<Record<string, number>> {
  if (!(await isReachable(REDIS_URL, 6379))) return { 'sweep.skipped_redis_unreachable': 0 };
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-bench-'));
  const prefix = `bench-${randomUUID()}`;
  const redis = new Redis(REDIS_URL);
  // The app's clock, moved on between the sweeps as the worker's timer would: a sweep plans again
  // the timers of cases changed since the sweep before (less a minute), not those of older ones.
  const clock = new ManualClock(new Date());
  const app = await createApp({
    clock,
    config: parseConfig({ DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`, LOG_LEVEL: 'silent', REDIS_URL }),
    logger: createLogger({ level: 'silent', production: true }),
    channels: [],
    queue: { prefix },
    // Sweeps run here, by hand, not on the worker's timer.
    sweepMs: 24 * 60 * 60_000,
  });
  try {
    await app.start();
    for (let i = 0; i < CASES; i++) await askQuestion(app, i);
    await app.settle();
    // The cases were made over weeks, not in the seconds before the first sweep.
    clock.advance(10 * 60_000);
    // Job adds, counted where every driver call passes (enqueue goes through enqueueMany).
    let adds = 0;
    const enqueueMany = app.queue.enqueueMany.bind(app.queue);
    app.queue.enqueueMany = (jobs: readonly NewJob[]) => {
      adds += jobs.length;
      return enqueueMany(jobs);
    };
    const commands = async () =>
      Number(/total_commands_processed:(\d+)/.exec(await redis.info('stats'))?.[1]);
    const sweep = async () => {
      const [before, addsBefore] = [await commands(), adds];
      const started = performance.now();
      await app.sweep();
      const ms = performance.now() - started;
      // Less the INFO call of `before` itself.
      return { ms, adds: adds - addsBefore, commands: (await commands()) - before - 1 };
    };
    const first = await sweep();
    const steady = [];
    for (let i = 0; i < STEADY_RUNS; i++) {
      clock.advance(SWEEP_MS);
      steady.push(await sweep());
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const key = `sweep.bullmq.open_cases_${CASES}`;
    return {
      [`${key}.restoring_ms`]: Math.round(first.ms),
      [`${key}.restoring.job_adds`]: first.adds,
      [`${key}.restoring.redis_commands`]: first.commands,
      [`${key}.steady_ms`]: Math.round(median(steady.map((s) => s.ms)) * 10) / 10,
      [`${key}.steady.job_adds`]: median(steady.map((s) => s.adds)),
      [`${key}.steady.redis_commands`]: median(steady.map((s) => s.commands)),
    };
  } finally {
    await app.stop();
    redis.disconnect();
    await deleteKeys(REDIS_URL, `${prefix}:*`);
    rmSync(dir, { recursive: true, force: true });
  }
}
