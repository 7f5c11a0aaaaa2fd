import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { publicUrl, type Config } from '../config/config.js';
import type { ChannelAdapter, ChannelState } from '../engine/channel.js';
import { Dispatcher } from '../engine/dispatcher.js';
import { Engine } from '../engine/engine.js';
import { loadTexts, type Texts } from '../i18n/translator.js';
import { loadMunicipality, type Municipality } from '../municipality/municipality.js';
import type { JobHandler, JobQueue } from '../ports/queue.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import { createJobQueue, type CreateJobQueueOptions } from './create-queue.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { Database } from '../storage/database.js';
import { parseDatabaseUrl } from '../storage/database-url.js';
import { createUnitOfWork } from '../storage/unit-of-work.js';
import { flowSet } from '../../flows/index.js';
import { sweepBookingTimers } from '../features/scheduling/sweeper.js';
import { sweepCases } from '../features/cases/sweeper.js';
import { createJobHandlers } from './jobs.js';
import { createServices } from './services.js';

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** Channel adapters this process serves (the console, Telegram, WhatsApp). */
  channels?: ChannelAdapter[];
  /** Whether this process runs queue jobs (the `worker` role; default true). */
  runJobs?: boolean;
  queue?: Partial<CreateJobQueueOptions>;
  /** Fault injection for tests, passed to the engine. */
  afterStore?: (inboundId: number) => void;
  /** How often a worker runs the safety-net sweeps (lost routing jobs, lost timers); default 30 s. */
  sweepMs?: number;
  /** How long a new case waits for routing before the sweep routes it (default 60 s). */
  unroutedAfterMs?: number;
  /** Fault injection for tests: wraps job handlers by name. */
  wrapJob?: (name: string, handler: JobHandler<never>) => JobHandler<never>;
}

/** What /healthz reports. */
export interface Health {
  ok: boolean;
  municipality: string;
  database: { kind: string; ok: boolean };
  queue: { driver: string; ok: boolean };
  channels: Record<string, ChannelState>;
}

/** The composition root: data, database, queue, engine, dispatcher and channels, wired once. */
export class App {
  private started = false;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;
  sweepMs = 30_000;
  unroutedAfterMs = 60_000;
  wrapJob: AppOptions['wrapJob'];

  private constructor(
    readonly config: Config,
    readonly logger: Logger,
    readonly clock: Clock,
    readonly municipality: Municipality,
    readonly texts: Texts,
    readonly db: Database,
    readonly uow: UnitOfWork,
    readonly queue: JobQueue,
    readonly engine: Engine,
    readonly dispatcher: Dispatcher,
    readonly channels: Map<string, ChannelAdapter>,
    private readonly runJobs: boolean,
  ) {}

  /** Loads the municipality's data, opens the database (running migrations) and the queue. */
  static async create(o: AppOptions): Promise<App> {
    const clock = o.clock ?? systemClock;
    const dataDir = resolve(o.config.DATA_DIR);
    const municipality = loadMunicipality(dataDir);
    const texts = loadTexts(resolve(dataDir, 'i18n'));
    const db = await Database.open(parseDatabaseUrl(o.config.DATABASE_URL));
    const uow = createUnitOfWork(db);
    let queue: JobQueue;
    try {
      queue = await createJobQueue({
        db,
        clock,
        queueName: 'spreekuur',
        onError: (err) => o.logger.warn({ err: String(err) }, 'queue error'),
        ...(o.config.REDIS_URL ? { redisUrl: o.config.REDIS_URL } : {}),
        ...o.queue,
      });
    } catch (error) {
      await db.close();
      throw error;
    }
    const channels = new Map((o.channels ?? []).map((c) => [c.name, c]));
    const dispatcher = new Dispatcher({ uow, queue, clock, logger: o.logger, channels });
    const engine = new Engine({
      uow,
      flows: flowSet,
      texts,
      municipality,
      clock,
      services: createServices({ publicUrl: publicUrl(o.config) }),
      sink: dispatcher,
      logger: o.logger,
      idleMs: o.config.SESSION_IDLE_MINUTES * 60_000,
      rateLimit: { messages: o.config.RATE_LIMIT_PER_MINUTE, perMs: 60_000 },
      ...(o.afterStore ? { afterStore: o.afterStore } : {}),
    });
    const app = new App(
      o.config,
      o.logger,
      clock,
      municipality,
      texts,
      db,
      uow,
      queue,
      engine,
      dispatcher,
      channels,
      o.runJobs ?? true,
    );
    if (o.sweepMs) app.sweepMs = o.sweepMs;
    if (o.unroutedAfterMs !== undefined) app.unroutedAfterMs = o.unroutedAfterMs;
    app.wrapJob = o.wrapJob;
    return app;
  }

  /** Starts channels, job processing and the outbox sweep, and handles what a crash left behind. */
  async start(): Promise<void> {
    this.started = true;
    if (this.runJobs) {
      const handlers = createJobHandlers(this.jobDeps());
      const wrap = this.wrapJob;
      if (wrap) for (const [name, handler] of Object.entries(handlers)) handlers[name] = wrap(name, handler);
      await this.queue.process(handlers, { concurrency: this.config.QUEUE_CONCURRENCY });
    }
    for (const channel of this.channels.values()) await channel.start(this.engine);
    this.dispatcher.start();
    if (this.runJobs) this.scheduleSweep();
    const recovered = await this.engine.recover();
    if (recovered > 0)
      this.logger.info({ conversations: recovered }, 'handled messages left from before a restart');
  }

  /** Waits until everything caused so far has been handled and delivered (console, tests). */
  async settle(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      const before = this.dispatcher.handedOver;
      await this.dispatcher.idle();
      if (this.runJobs) await this.queue.whenIdle();
      await this.dispatcher.idle();
      const swept = await this.dispatcher.sweep();
      await this.dispatcher.idle();
      if (swept === 0 && this.dispatcher.handedOver === before) return;
    }
  }

  async health(): Promise<Health> {
    const database = { kind: this.db.kind, ok: await ok(() => this.db.ping()) };
    const queue = { driver: this.queue.driver, ok: await ok(() => this.queue.ping()) };
    const channels = Object.fromEntries([...this.channels.values()].map((c) => [c.name, c.state()]));
    return { ok: database.ok && queue.ok, municipality: this.municipality.name, database, queue, channels };
  }

  /** What job handlers and administrative commands need. */
  jobDeps() {
    return {
      engine: this.engine,
      uow: this.uow,
      queue: this.queue,
      municipality: this.municipality,
      clock: this.clock,
      publicUrl: publicUrl(this.config),
    };
  }

  /** Runs the safety-net sweeps now (also on a timer in worker processes). */
  async sweep(): Promise<void> {
    // Messages stored but left unhandled (a turn that hit a busy database) get another go.
    await this.engine.recover();
    const result = await sweepCases(this.jobDeps(), this.unroutedAfterMs);
    await sweepBookingTimers(this.jobDeps());
    if (result.rerouted || result.escalated)
      this.logger.warn(result, 'sweep found cases whose jobs were lost');
  }

  private scheduleSweep(): void {
    this.sweepTimer = setTimeout(() => {
      this.sweeping = this.sweep()
        .catch((err: unknown) => this.logger.warn({ err: String(err) }, 'sweep failed'))
        .finally(() => {
          if (this.started) this.scheduleSweep();
        });
    }, this.sweepMs);
    this.sweepTimer.unref();
  }

  /** Stops taking work, lets running work finish, and closes connections. */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.sweepTimer);
    await this.sweeping;
    for (const channel of this.channels.values()) await channel.stop().catch(() => undefined);
    await this.dispatcher.stop();
    await this.queue.close().catch(() => undefined);
    await this.db.close();
  }
}

async function ok(check: () => Promise<void>): Promise<boolean> {
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000)),
    ]);
    return true;
  } catch {
    return false;
  }
}
