import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type App } from '../src/app/create-app.js';
import { parseConfig } from '../src/config/config.js';
import type { ChannelAdapter, ChannelState } from '../src/ports/channel.js';
import type { OutboundMessage } from '../src/ports/messages.js';
import { createLogger } from '../src/shared/logger.js';
import { percentile, round2, sleep } from './support.js';

const SUBSCRIBERS = 50_000;
/** The configured broadcast rates: Telegram as Telegram allows bots, the web chat faster. */
const RATES = { telegram: 25, web: 50 } as const;
const CHATTERS = 16;
/** Each resident waits this long between messages (typing); without it 16 loops saturate the process. */
const THINK_MS = Number(process.env.BENCH_THINK_MS ?? 250);
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 15_000);
/** The district flow as a resident walks it. */
const WALK = ['hallo', 'wie is mijn wijkwethouder?', '2288 GD', 'ja'];

/** A channel that counts what it is asked to send (updates apart from replies) and accepts at once. */
class CountingChannel implements ChannelAdapter {
  updates = 0;
  replies = 0;
  constructor(readonly name: string) {}
  state(): ChannelState {
    return 'ready';
  }
  start(): Promise<void> {
    return Promise.resolve();
  }
  send(message: OutboundMessage): Promise<void> {
    if (message.text.startsWith('Nieuws uit uw wijk')) this.updates++;
    else this.replies++;
    return Promise.resolve();
  }
  stop(): Promise<void> {
    return Promise.resolve();
  }
}

/** Residents chatting on the web channel for `ms`: the time from each message in to its replies stored. */
async function chat(app: App, ms: number, label: string): Promise<number[]> {
  const latencies: number[] = [];
  const until = performance.now() + ms;
  let n = 0;
  const walker = async (w: number) => {
    while (performance.now() < until) {
      const user = `${label}-${w}-${n++}`;
      for (const [i, text] of WALK.entries()) {
        const start = performance.now();
        await app.engine.receive({ channel: 'web', userId: user, messageId: `${user}-${i}`, text });
        latencies.push(performance.now() - start);
        await sleep(THINK_MS);
      }
    }
  };
  await Promise.all(Array.from({ length: CHATTERS }, (_, w) => walker(w)));
  return latencies.sort((a, b) => a - b);
}

/** 50,000 subscriptions, split over Telegram and the web chat, in a few large statements. */
async function seed(app: App): Promise<void> {
  const now = Date.now();
  for (let from = 0; from < SUBSCRIBERS; from += 500) {
    const rows = Array.from({ length: Math.min(500, SUBSCRIBERS - from) }, (_, i) => {
      const n = from + i;
      const channel = n % 3 === 0 ? 'web' : 'telegram';
      return [`${channel}:sub-${n}`, n % 2 ? 'muziekbuurt' : 'oud-rijswijk', '', channel, `sub-${n}`, now];
    });
    await app.db.run((m) =>
      m.query(
        `INSERT INTO participation_subscriptions (conversation_key, district_id, topic, channel, user_id, consented_at)
         VALUES ${rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
        rows.flat(),
      ),
    );
  }
}

/**
 * An update to 50,000 subscribers: how long until it is queued (the recipients fixed, the first
 * batches on the queue), the rate each channel drains at against its configured rate, and the
 * reply p99 of residents chatting meanwhile against the same chat without a send. Embedded mode
 * (SQLite WAL, in-database queue), one process.
 */
export async function benchBroadcast(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-bench-broadcast-'));
  const config = parseConfig({
    DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
    BROADCAST_PER_SECOND: `telegram=${RATES.telegram},web=${RATES.web}`,
    UPDATES_PER_RESIDENT_PER_WEEK: '3',
  });
  const channels = { telegram: new CountingChannel('telegram'), web: new CountingChannel('web') };
  const app = await createApp({
    config,
    logger: createLogger({ level: 'silent', production: true }),
    channels: Object.values(channels).map((adapter) => () => ({ adapter })),
  });
  const cpuStart = process.cpuUsage();
  try {
    await app.start();
    await seed(app);
    await chat(app, 2_000, 'warm');
    const quiet = await chat(app, WINDOW_MS, 'quiet');

    const queuedStart = performance.now();
    const { recipients } = await app.commands.participation.updates.send(
      {
        title: 'Nieuw plein',
        text: 'Wij maken het plein groener.',
        districts: ['muziekbuurt', 'oud-rijswijk'],
        level: 'raadplegen',
      },
      { kind: 'cli' },
    );
    const queuedMs = performance.now() - queuedStart;
    if (recipients !== SUBSCRIBERS) throw new Error(`expected ${SUBSCRIBERS} recipients, got ${recipients}`);
    // The first batches have gone; measure the steady rate over the chat window.
    await sleep(3_000);
    const before = { telegram: channels.telegram.updates, web: channels.web.updates };
    const busyStart = performance.now();
    const busy = await chat(app, WINDOW_MS, 'busy');
    const seconds = (performance.now() - busyStart) / 1000;
    const rate = (c: keyof typeof RATES) => round2((channels[c].updates - before[c]) / seconds);
    const cpu = process.cpuUsage(cpuStart);
    return {
      'broadcast.subscribers': SUBSCRIBERS,
      'broadcast.queued_ms': Math.round(queuedMs),
      'broadcast.telegram.configured_per_s': RATES.telegram,
      'broadcast.telegram.drained_per_s': rate('telegram'),
      'broadcast.web.configured_per_s': RATES.web,
      'broadcast.web.drained_per_s': rate('web'),
      'broadcast.reply_p50_without_send_ms': round2(percentile(quiet, 0.5)),
      'broadcast.reply_p99_without_send_ms': round2(percentile(quiet, 0.99)),
      'broadcast.reply_p50_during_send_ms': round2(percentile(busy, 0.5)),
      'broadcast.reply_p99_during_send_ms': round2(percentile(busy, 0.99)),
      'broadcast.replies_without_send_count': quiet.length,
      'broadcast.replies_during_send_count': busy.length,
      'broadcast.cpu_user_ms': Math.round(cpu.user / 1000),
      'broadcast.cpu_system_ms': Math.round(cpu.system / 1000),
      'broadcast.load_average_1m': round2(loadavg()[0] ?? 0),
      'broadcast.cores_count': cpus().length,
    };
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
