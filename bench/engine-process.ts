/**
 * One service process for the distributed engine benchmark (bench/engine-distributed.ts starts it
 * with `node bin/run-ts.mjs`): the whole App on PostgreSQL + BullMQ with a console channel that
 * counts deliveries. The parent sends `{ walk: [from, to], inFlight }` over IPC; the process walks
 * those conversations (four messages each, one after the other) and answers with every message's
 * latency and its memory.
 */
import { ConsoleAdapter } from '../bots/console/console-adapter.js';
import { createApp } from '../src/app/create-app.js';
import { parseConfig } from '../src/config/config.js';
import { createLogger } from '../src/shared/logger.js';

/** The district flow as a resident walks it: four messages. */
export const WALK = ['hallo', 'wie is mijn wijkwethouder?', '2288 GD', 'ja'];

export interface WalkRequest {
  walk: [number, number];
  inFlight: number;
}

export interface WalkResult {
  latencies: number[];
  delivered: number;
  rssBytes: number;
  heapUsedBytes: number;
}

const config = parseConfig({
  DATABASE_URL: process.env.DATABASE_URL,
  REDIS_URL: process.env.REDIS_URL,
  LOG_LEVEL: 'silent',
  // The benchmark's residents type faster than people do.
  RATE_LIMIT_PER_MINUTE: '1000',
});
let delivered = 0;
const app = await createApp({
  config,
  logger: createLogger({ level: 'silent', production: true }),
  channels: [() => ({ adapter: new ConsoleAdapter(() => delivered++) })],
  queue: { prefix: process.env.BENCH_QUEUE_PREFIX ?? 'bench' },
});
await app.start();

process.on('message', (raw) => {
  void walk(raw as WalkRequest).then((result) => process.send?.(result));
});
process.on('disconnect', () => {
  void app.stop().finally(() => process.exit(0));
});
process.send?.({ ready: true });

async function walk(request: WalkRequest): Promise<WalkResult> {
  const [from, to] = request.walk;
  const latencies: number[] = [];
  let next = from;
  const walker = async () => {
    for (let c = next++; c < to; c = next++) {
      for (const [i, text] of WALK.entries()) {
        const start = performance.now();
        await app.engine.receive({ channel: 'console', userId: `bench-${c}`, messageId: `${c}-${i}`, text });
        latencies.push(performance.now() - start);
      }
    }
  };
  await Promise.all(Array.from({ length: request.inFlight }, walker));
  await app.dispatcher.idle();
  const memory = process.memoryUsage();
  return { latencies, delivered, rssBytes: memory.rss, heapUsedBytes: memory.heapUsed };
}
