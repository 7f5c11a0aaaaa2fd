import { randomUUID } from 'node:crypto';
import { ConsoleAdapter, type ConsoleLine } from '../../bots/console/console-adapter.js';
import { createApp, type App, type AppOptions, type ChannelFactory } from '../../src/app/create-app.js';
import type { ChannelAdapter } from '../../src/ports/channel.js';
import { parseConfig } from '../../src/config/config.js';
import { ManualClock, type Clock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import type { Logger } from 'pino';
import type { ScenarioDriver, SentMessage } from './scenario.js';
import { freshTarget } from './services.js';

export interface TestApp {
  app: App;
  sent: SentMessage[];
  driver: ScenarioDriver;
  clock: Clock;
}

/**
 * The whole service in this process on a console channel, with a clock the test moves.
 * `databaseUrl` defaults to a fresh SQLite file; `redisUrl` switches the queue to BullMQ.
 */
export async function startTestApp(options: {
  databaseUrl: string;
  redisUrl?: string;
  clock?: ManualClock;
  env?: Record<string, string>;
  queuePrefix?: string;
  /** More channels besides the console (Telegram and WhatsApp adapters on their fakes). */
  channels?: ChannelAdapter[];
  /** Channels made by the app once storage is open (the web chat, which reads its history). */
  factories?: ChannelFactory[];
  /** Passed to the app as they are (runJobs, sweeps, fault injection). */
  app?: Pick<AppOptions, 'runJobs' | 'sweepMs' | 'restoreEveryMs' | 'unroutedAfterMs' | 'faults'>;
  /** Where the app logs (default: nowhere). */
  logger?: Logger;
}): Promise<TestApp> {
  const clock = options.clock ?? new ManualClock('2026-12-01T09:00:00Z');
  const config = parseConfig({
    DATABASE_URL: options.databaseUrl,
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...options.env,
  });
  const sent: SentMessage[] = [];
  const write = (line: ConsoleLine) => sent.push(line);
  const app = await createApp({
    config,
    clock,
    logger: options.logger ?? createLogger({ level: 'silent', production: true }),
    channels: [
      ...[new ConsoleAdapter(write), ...(options.channels ?? [])].map((adapter) => () => ({ adapter })),
      ...(options.factories ?? []),
    ],
    queue: { pollIntervalMs: 20, ...(options.queuePrefix ? { prefix: options.queuePrefix } : {}) },
    ...options.app,
  });
  await app.start();
  const collect = async (fn: () => Promise<void>) => {
    const from = sent.length;
    await fn();
    await app.settle();
    return sent.slice(from);
  };
  const driver: ScenarioDriver = {
    send: (from, text) =>
      collect(() => app.engine.receive({ channel: 'console', userId: from, messageId: randomUUID(), text })),
    advance: (ms) =>
      collect(async () => {
        clock.advance(ms);
        await new Promise((resolve) => setTimeout(resolve, 60));
      }),
    cancelSession: (aldermanId, date, reason) =>
      collect(async () => {
        const { cancellation } = await app.commands.scheduling.cancelDay({
          aldermanId,
          localDate: date,
          actor: 'test',
          ...(reason ? { reason } : {}),
        });
        // The residents are told once the grace period (CANCEL_UNDO_SECONDS) is over.
        clock.advance(Math.max(0, cancellation.tellAt.getTime() - clock.now().getTime()));
        await app.settle();
      }),
    staffCode: async (aldermanId) => (await app.commands.staff.linkCode(aldermanId)).code,
    close: () => app.stop(),
  };
  return { app, sent, driver, clock };
}

/** What a resident in Rijswijk-Buiten types to book the first free slot with Fatma Yilmaz (Friday 4 December 2026, 09:00 on the default clock). */
/**
 * The whole service (`startTestApp`) on a fresh database of `kind`, at the suites' usual moment:
 * Tuesday 1 December 2026, 10:00 in Rijswijk. What tears it down goes on `stops`; each chat id in
 * `linked` is first linked to its alderman with a one-time code (`koppel <code>`).
 */
export async function startOnFreshDatabase(
  kind: 'sqlite' | 'postgres',
  stops: (() => Promise<void>)[],
  linked: Record<string, string> = {},
): Promise<TestApp> {
  const fresh = await freshTarget(kind);
  const t = await startTestApp({ databaseUrl: fresh.url, clock: new ManualClock('2026-12-01T09:00:00Z') });
  stops.push(fresh.cleanup, () => t.app.stop());
  for (const [chat, alderman] of Object.entries(linked)) {
    const code = await t.driver.staffCode!(alderman);
    await t.driver.send(chat, `koppel ${code}`);
  }
  return t;
}

export const BOOK_FIRST_SLOT = [
  'hallo',
  'afspraak',
  '2288 GD',
  'nee',
  'Ja, met Fatma Yilmaz',
  '1',
  'De speeltuin',
  '1',
];

/**
 * Books that slot for `from`; returns everything the service sent meanwhile. A resident whose
 * district is known in this visit already (looked up for a question just before) is not asked the
 * postcode again: then the postcode and the answer to "Zullen we uw wijk onthouden?" are left out.
 */
export async function bookFirstSlot(driver: ScenarioDriver, from = 'r1'): Promise<SentMessage[]> {
  const sent: SentMessage[] = [];
  const [hello, book, postcode, remember, ...rest] = BOOK_FIRST_SLOT;
  for (const text of [hello, book]) sent.push(...(await driver.send(from, text!)));
  const asked = sent.at(-1)?.text ?? '';
  const steps = /postcode/i.test(asked) ? [postcode!, remember!, ...rest] : rest;
  for (const text of steps) sent.push(...(await driver.send(from, text)));
  return sent;
}
