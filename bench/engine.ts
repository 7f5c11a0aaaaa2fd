import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleAdapter } from '../bots/console/console-adapter.js';
import { createApp } from '../src/app/create-app.js';
import { parseConfig } from '../src/config/config.js';
import { createLogger } from '../src/shared/logger.js';
import { percentile, pool, round2 } from './support.js';

/** The district flow as a resident walks it: four messages. */
const WALK = ['hallo', 'wie is mijn wijkwethouder?', '2288 GD', 'ja'];

export interface EngineBench {
  conversations: number;
  messages: number;
  messagesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  outboundStored: number;
  delivered: number;
}

/**
 * End-to-end engine throughput in embedded mode (SQLite WAL file, in-database queue): every message is
 * stored, handled in its own transaction, and its replies stored in the outbox before it counts.
 * `inFlight` conversations walk at the same time, each one message after the other.
 */
export async function benchEngine(conversations: number, inFlight = 64): Promise<EngineBench> {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-bench-'));
  if (process.env.BENCH_DEBUG) console.error(dir);
  const config = parseConfig({ DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`, LOG_LEVEL: 'silent' });
  let delivered = 0;
  const app = await createApp({
    config,
    logger: createLogger({ level: 'silent', production: true }),
    channels: [() => ({ adapter: new ConsoleAdapter(() => delivered++) })],
  });
  await app.start();
  const latencies: number[] = [];
  const walk = async (c: number) => {
    for (const [i, text] of WALK.entries()) {
      const start = performance.now();
      await app.engine.receive({ channel: 'console', userId: `bench-${c}`, messageId: `${c}-${i}`, text });
      latencies.push(performance.now() - start);
    }
  };
  const started = performance.now();
  await pool(conversations, inFlight, walk);
  const seconds = (performance.now() - started) / 1000;
  await app.settle();
  const outboundStored = Number(
    (await app.db.run((m) => m.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM outbox')))[0]?.n ?? 0,
  );
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return {
    conversations,
    messages: latencies.length,
    messagesPerSecond: Math.round(latencies.length / seconds),
    p50Ms: round2(percentile(latencies, 0.5)),
    p99Ms: round2(percentile(latencies, 0.99)),
    outboundStored,
    delivered,
  };
}
