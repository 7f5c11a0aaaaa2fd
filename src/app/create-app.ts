import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { ConversationTypes } from '../../flows/types.js';
import { publicUrl, type Config } from '../config/config.js';
import { Dispatcher } from '../engine/dispatcher.js';
import { Engine, LEFT_BEHIND_AFTER_MS, type Conversations } from '../engine/engine.js';
import { CONVERSATION_EVENT, conversationEventHandler } from '../engine/event-job.js';
import type { FeatureDeps, JobHandlers, ServiceDeps, SweepPass } from '../ports/feature.js';
import { features, type Commands, type Services } from '../features/index.js';
import { loadTexts, type Texts } from '../i18n/translator.js';
import { loadMunicipality, type Municipality } from '../municipality/municipality.js';
import type { Health, Readiness } from '../http/server.js';
import type { ChannelAdapter } from '../ports/channel.js';
import type { Notifier } from '../ports/notifier.js';
import { noMailer } from '../ports/mailer.js';
import type { InboundMessage } from '../ports/messages.js';
import type { JobHandler, JobQueue } from '../ports/queue.js';
import type { Repositories, UnitOfWork } from '../ports/unit-of-work.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { fileOffsetClock } from './test-clock.js';
import { Database } from '../storage/database.js';
import { parseDatabaseUrl } from '../storage/database-url.js';
import { unitOfWorkWith } from '../storage/unit-of-work.js';
import { secretFromFile } from '../config/secret-file.js';
import { createJobQueue, type CreateJobQueueOptions } from './create-queue.js';
import { connecting } from './startup-errors.js';
import { ServiceMetrics } from './metrics.js';
import type { Metrics } from '../ports/metrics.js';
import { pseudonymizer } from '../shared/pseudonym.js';
import { within } from '../shared/within.js';

const QUEUE_NAME = 'spreekuur';

/** A chat channel and the HTTP routes it needs (the Telegram webhook). */
export interface ChannelSetup {
  adapter: ChannelAdapter;
  routes?: (server: FastifyInstance) => void;
}

/** What a channel is made from: it is made once storage is open, so it needs no late binding. */
export interface ChannelDeps {
  config: Config;
  uow: UnitOfWork;
  texts: Texts;
  logger: Logger;
  clock: Clock;
}

/** Wraps a job handler (fault injection in tests). */
export type JobWrapper = (name: string, handler: JobHandler<never>) => JobHandler<never>;

export type ChannelFactory = (deps: ChannelDeps) => ChannelSetup | Promise<ChannelSetup>;

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: Clock;
  /** The chat channels this process serves. */
  channels?: ChannelFactory[];
  /** Whether the app's routes include the staff dashboard (default: DASHBOARD_ENABLED). */
  dashboard?: boolean;
  /**
   * Load the flows and the vocabulary at the engine's first turn instead of now: for administrative
   * commands, which mostly run none (some 35 ms of CPU at each start). Bad data then shows only there.
   */
  conversationsAtFirstTurn?: boolean;
  /** Whether this process runs queue jobs and the safety-net sweeps (the `worker` role; default true). */
  runJobs?: boolean;
  queue?: Partial<Omit<CreateJobQueueOptions, 'db' | 'clock'>>;
  /** How often a worker runs the safety-net sweeps (lost routing jobs, lost timers); default 30 s. */
  sweepMs?: number;
  /**
   * How often a sweep puts back every timer and notice although the queue kept its data (default
   * 1 hour; at once whenever the queue lost it). See SweepPass.
   */
  restoreEveryMs?: number;
  /** How long a new case waits for routing before the sweep routes it (default 60 s). */
  unroutedAfterMs?: number;
  /** Fault injection for tests. */
  faults?: {
    /** Runs after an inbound message is stored, before it is handled. */
    afterStore?: (inboundId: number) => void;
    /** Runs before each try to store a message; throwing makes that try fail. */
    beforeStore?: (message: InboundMessage) => void;
    /** Wraps job handlers by name. */
    wrapJob?: JobWrapper;
  };
}

/** Everything `createApp` wires, handed over at once. */
interface AppParts {
  config: Config;
  logger: Logger;
  clock: Clock;
  municipality: Municipality;
  texts: Texts;
  db: Database;
  uow: UnitOfWork;
  queue: JobQueue;
  engine: Engine<ConversationTypes, Repositories>;
  dispatcher: Dispatcher;
  channels: Map<string, ChannelAdapter>;
  routes: ((server: FastifyInstance) => void)[];
  commands: Commands;
  jobs: JobHandlers | undefined;
  sweeps: ((pass: SweepPass) => Promise<Record<string, number>>)[];
  sweepMs: number;
  restoreEveryMs: number;
  metrics: ServiceMetrics;
}

/**
 * Loads the municipality's data, opens the database (running migrations) and the queue, makes the
 * channels, and wires engine, dispatcher and features. Nothing is started yet: see `App.start`.
 */
export async function createApp(o: AppOptions): Promise<App> {
  const clock =
    o.clock ?? (o.config.TEST_CLOCK_FILE ? fileOffsetClock(o.config.TEST_CLOCK_FILE) : systemClock);
  const dataDir = resolve(o.config.DATA_DIR);
  const municipality = loadMunicipality(dataDir);
  const texts = loadTexts(resolve(dataDir, 'i18n'));
  const conversations = o.conversationsAtFirstTurn ? undefined : await loadConversations(dataDir);
  const pseudonym = pseudonymizer(
    secretFromFile(o.config.LOG_PSEUDONYM_KEY, o.config.LOG_PSEUDONYM_KEY_FILE, 'LOG_PSEUDONYM_KEY'),
  );
  const db = await connecting('DATABASE_URL', o.config.DATABASE_URL, (connected) =>
    Database.open(parseDatabaseUrl(o.config.DATABASE_URL), {
      connectTimeoutMs: o.config.DATABASE_CONNECT_TIMEOUT_SECONDS * 1000,
      queryTimeoutMs: o.config.DATABASE_QUERY_TIMEOUT_SECONDS * 1000,
      onConnected: connected,
    }),
  );
  try {
    const auditKey = secretFromFile(o.config.AUDIT_SECRET, o.config.AUDIT_SECRET_FILE, 'AUDIT_SECRET');
    const uow = unitOfWorkWith(db, { auditKey });
    const queue = await connecting('REDIS_URL', o.config.REDIS_URL ?? '', () =>
      createJobQueue({
        db,
        clock,
        queueName: QUEUE_NAME,
        onError: (err) => o.logger.warn({ err: String(err) }, 'queue error'),
        ...(o.config.REDIS_URL ? { redisUrl: o.config.REDIS_URL, prefix: o.config.REDIS_PREFIX } : {}),
        ...o.queue,
      }),
    );
    const setups = await Promise.all(
      (o.channels ?? []).map(async (make) => make({ config: o.config, uow, texts, logger: o.logger, clock })),
    );
    const channels = new Map(setups.map((s) => [s.adapter.name, s.adapter]));
    const metrics = new ServiceMetrics({ logger: o.logger });
    metrics.watch({
      uow,
      db,
      queue,
      queueName: QUEUE_NAME,
      channels,
      clock,
      timeZone: municipality.timeZone,
      holidays: municipality.cases.holidays,
      role: o.config.ROLE,
    });
    const dispatcher = new Dispatcher({ uow, queue, clock, logger: o.logger, channels, metrics });
    const base: ServiceDeps = {
      uow,
      queue,
      municipality,
      texts,
      clock,
      logger: o.logger,
      publicUrl: publicUrl(o.config),
      unroutedAfterMs: o.unroutedAfterMs ?? 60_000,
      cancelGraceMs: o.config.CANCEL_UNDO_SECONDS * 1000,
      pseudonym,
    };
    // One map of every feature's services; `Services` is the same merge, computed by the compiler.
    const services = Object.assign({}, ...features.map((f) => f.services?.(base) ?? {})) as Services;
    const engine = new Engine<ConversationTypes, Repositories>({
      uow,
      conversations: async () => conversations ?? loadConversations(dataDir),
      texts,
      municipality,
      clock,
      services,
      sink: dispatcher,
      logger: o.logger,
      pseudonym,
      idleMs: o.config.SESSION_IDLE_MINUTES * 60_000,
      rateLimit: { messages: o.config.RATE_LIMIT_PER_MINUTE, perMs: 60_000 },
      maxTries: o.config.DEAD_LETTER_AFTER,
      metrics,
      ...(o.faults?.afterStore ? { afterStore: o.faults.afterStore } : {}),
      ...(o.faults?.beforeStore ? { beforeStore: o.faults.beforeStore } : {}),
    });
    const privacyContracts = features.flatMap((f) => (f.privacy ? [f.privacy] : []));
    // nodemailer is loaded only where mail is configured: commands and most services send none.
    const mailer = o.config.SMTP_URL
      ? new (await import('../mail/smtp-mailer.js')).SmtpMailer(o.config.SMTP_URL, o.config.SMTP_FROM)
      : noMailer;
    const broadcast = {
      perSecond: o.config.BROADCAST_PER_SECOND,
      perResidentPerWeek: o.config.UPDATES_PER_RESIDENT_PER_WEEK,
      whatsapp: o.config.WHATSAPP_CLOUD_ENABLED ? 'cloud' : o.config.WHATSAPP_ENABLED ? 'web-js' : 'none',
    } as const;
    const deps: FeatureDeps = { ...base, notifier: engine, mailer, privacyContracts, broadcast };
    const commands = Object.fromEntries(features.map((f) => [f.name, f.commands?.(deps)])) as Commands;
    const channelRoutes = setups.flatMap((s) => (s.routes ? [s.routes] : []));
    // Loaded only where pages are served: administrative commands skip its template engine and plugins.
    const dashboardConversations =
      o.config.DASHBOARD_ENABLED && o.dashboard !== false
        ? (conversations ?? (await loadConversations(dataDir)))
        : undefined;
    const dashboard = dashboardConversations
      ? [
          (await import('./dashboard.js')).dashboardRoute({
            config: o.config,
            municipality,
            texts,
            commands,
            clock,
            flows: dashboardConversations.flows.flows,
            vocabulary: dashboardConversations.vocabulary,
            deadLetters: {
              list: (options) => uow.run((r) => r.deadLetters.list(options)),
              get: (id) => uow.run((r) => r.deadLetters.get(id)),
              countOpen: () => uow.run((r) => r.deadLetters.countOpen()),
              retry: (id) => engine.retryDeadLetter(id),
              drop: (id) => engine.dropDeadLetter(id),
            },
          }),
        ]
      : [];
    return new App({
      config: o.config,
      logger: o.logger,
      clock,
      municipality,
      texts,
      db,
      uow,
      queue,
      engine,
      dispatcher,
      channels,
      routes: [...channelRoutes, ...dashboard],
      commands,
      jobs: o.runJobs === false ? undefined : jobHandlers(deps, engine, metrics, o.faults?.wrapJob),
      sweeps: features.flatMap((f) => (f.sweep ? [(pass: SweepPass) => f.sweep!(deps, pass)] : [])),
      sweepMs: o.sweepMs ?? o.config.SWEEP_SECONDS * 1000,
      restoreEveryMs: o.restoreEveryMs ?? RESTORE_EVERY_MS,
      metrics,
    });
  } catch (error) {
    await db.close();
    throw error;
  }
}

/** The flows and the words residents type (data/vocabulary), the vocabulary checked as it loads. */
async function loadConversations(dataDir: string): Promise<Conversations<ConversationTypes>> {
  const [{ flowSet }, { loadVocabulary }] = await Promise.all([
    import('../../flows/index.js'),
    import('../understanding/vocabulary.js'),
  ]);
  return { flows: flowSet, vocabulary: loadVocabulary(resolve(dataDir, 'vocabulary')) };
}

/** Every feature's job handlers and the engine's own, counted, and wrapped for fault injection in tests. */
function jobHandlers(
  deps: FeatureDeps,
  engine: Notifier,
  metrics: Metrics,
  wrap: JobWrapper | undefined,
): JobHandlers {
  const handlers: JobHandlers = { [CONVERSATION_EVENT]: conversationEventHandler(engine) };
  for (const feature of features) Object.assign(handlers, feature.jobs?.(deps));
  return Object.fromEntries(
    Object.entries(handlers).map(([name, h]) => {
      const handler = wrap ? wrap(name, h) : h;
      const counted: JobHandler<never> = async (job) => {
        try {
          await handler(job);
          metrics.job(name, 'done');
        } catch (error) {
          metrics.job(name, 'failed');
          throw error;
        }
      };
      return [name, counted];
    }),
  );
}

/** How often a sweep puts back every timer and notice although the queue kept its data (SweepPass). */
const RESTORE_EVERY_MS = 60 * 60_000;

/** The running service: engine, dispatcher, channels, jobs and sweeps, wired once by `createApp`. */
export class App {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly municipality: Municipality;
  readonly texts: Texts;
  readonly db: Database;
  readonly uow: UnitOfWork;
  readonly queue: JobQueue;
  readonly engine: Engine<ConversationTypes, Repositories>;
  readonly dispatcher: Dispatcher;
  readonly channels: ReadonlyMap<string, ChannelAdapter>;
  /** HTTP routes the channels need and the dashboard's, for the web server to mount. */
  readonly routes: readonly ((server: FastifyInstance) => void)[];
  /** What staff, the CLI and the dashboard do, by feature. */
  readonly commands: Commands;
  /** Prometheus metrics of this process (`GET /metrics`). */
  readonly metrics: ServiceMetrics;
  private readonly jobs: JobHandlers | undefined;
  private readonly sweeps: AppParts['sweeps'];
  private readonly sweepMs: number;
  private readonly restoreEveryMs: number;
  /** The queue lifetime the last restoring sweep ran in, and when (monotonic ms). */
  private restored: { lifetime: string; at: number } | undefined;
  /** When the last sweep that ran to the end started (the app's clock). */
  private sweptFrom: Date | undefined;
  private started = false;
  /** After `stop`: false when the job queue did not answer and was let go without waiting (logged). */
  stoppedCleanly: boolean | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;

  constructor(parts: AppParts) {
    this.config = parts.config;
    this.logger = parts.logger;
    this.clock = parts.clock;
    this.municipality = parts.municipality;
    this.texts = parts.texts;
    this.db = parts.db;
    this.uow = parts.uow;
    this.queue = parts.queue;
    this.engine = parts.engine;
    this.dispatcher = parts.dispatcher;
    this.channels = parts.channels;
    this.routes = parts.routes;
    this.commands = parts.commands;
    this.metrics = parts.metrics;
    this.jobs = parts.jobs;
    this.sweeps = parts.sweeps;
    this.sweepMs = parts.sweepMs;
    this.restoreEveryMs = parts.restoreEveryMs;
  }

  /** Starts channels, job processing and the outbox sweep, and handles what a crash left behind. */
  async start(): Promise<void> {
    this.started = true;
    if (this.jobs) await this.queue.process(this.jobs, { concurrency: this.config.QUEUE_CONCURRENCY });
    for (const channel of this.channels.values()) await channel.start(this.engine);
    this.dispatcher.start();
    if (this.jobs) this.scheduleSweep();
    // Everything pending, also fresh: messages stored just before a restart would otherwise wait for
    // a sweep (in embedded mode there is no other process to take them up).
    const recovered = await this.engine.recover();
    if (recovered > 0)
      this.logger.info({ conversations: recovered }, 'handled messages left from before a restart');
  }

  /** Waits until everything caused so far has been handled and delivered (console, tests). */
  async settle(): Promise<void> {
    for (let round = 0; round < 100; round++) {
      const before = this.dispatcher.handedOver;
      await this.dispatcher.idle();
      if (this.jobs) await this.queue.whenIdle();
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

  /**
   * Ready for work: started (so migrations ran), the database and queue answer, and every channel
   * this process serves is connected.
   */
  async ready(): Promise<Readiness> {
    const health = await this.health();
    const reasons: string[] = [];
    if (!this.started) reasons.push('not started');
    if (!health.database.ok) reasons.push('database unreachable');
    if (!health.queue.ok) reasons.push('queue unreachable');
    for (const [name, state] of Object.entries(health.channels))
      if (state !== 'ready') reasons.push(`channel ${name} ${state}`);
    return { ready: reasons.length === 0, reasons };
  }

  /** Runs the safety-net sweeps now (also on a timer in worker processes). */
  async sweep(): Promise<void> {
    // Messages stored but left unhandled (a process that died, a turn that hit a busy database) get
    // another go; fresh ones are left to the process that is handling them.
    await this.engine.recover(LEFT_BEHIND_AFTER_MS);
    const lifetime = await this.queue.lifetime();
    const at = performance.now();
    const startedAt = this.clock.now();
    const lost = this.restored !== undefined && this.restored.lifetime !== lifetime;
    const restore = lost || this.restored === undefined || at - this.restored.at >= this.restoreEveryMs;
    // A minute's margin for other processes' clocks; the first sweep looks back an hour.
    const changedSince = new Date((this.sweptFrom?.getTime() ?? startedAt.getTime() - 60 * 60_000) - 60_000);
    for (const sweep of this.sweeps) {
      const counts = await sweep({ restore, changedSince });
      if (Object.values(counts).some((n) => n > 0))
        this.logger.info(counts, 'sweep put back lost work or planned again what changed');
    }
    if (lost)
      this.logger.warn('the job queue restarted or lost its data: its timers and notices were put back');
    // Only a sweep that ran to the end counts: one cut short by an error is done again next time.
    if (restore) this.restored = { lifetime, at };
    this.sweptFrom = startedAt;
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

  /**
   * Stops taking work, lets running work finish, and closes connections. Work that waits for the job
   * queue is waited for only while the queue answers: when it does not (Redis is gone), the stop lets
   * go of it, logs one line saying what it left, and `stoppedCleanly` is false.
   */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.sweepTimer);
    const left: string[] = [];
    if (!(await this.whileQueueAnswers(this.sweeping))) left.push('the safety-net sweep');
    for (const channel of this.channels.values()) await channel.stop().catch(() => undefined);
    if (!(await this.whileQueueAnswers(this.dispatcher.stop())))
      left.push(
        `${this.dispatcher.inProgress} outbox items being handed over (they stay in the outbox and go after a restart)`,
      );
    const gentle = left.length === 0 && (await ok(() => this.queue.ping()));
    if (!gentle || !(await this.whileQueueAnswers(this.queue.close()))) {
      await within(STOP_CHECK_MS, this.queue.close({ force: true })).catch(() => undefined);
      left.push('running jobs (they run again once their lease runs out)');
    }
    await this.db.close();
    this.stoppedCleanly = left.length === 0;
    if (this.stoppedCleanly) return;
    this.logger.warn(
      { queue: this.queue.driver, left },
      `stopped without closing the job queue (${this.queue.driver}) cleanly: it did not answer; not waited for: ${left.join('; ')}`,
    );
  }

  /** Waits for `work` while the queue answers; false when the queue stopped answering first. */
  private async whileQueueAnswers(work: Promise<unknown> | undefined): Promise<boolean> {
    const done = Promise.resolve(work).then(
      () => true,
      () => true,
    );
    for (;;) {
      if (await within(STOP_CHECK_MS, done).catch(() => false)) return true;
      if (!(await ok(() => this.queue.ping()))) return false;
    }
  }
}

/** How often a stop that waits for work checks that the job queue still answers. */
const STOP_CHECK_MS = 2000;

async function ok(check: () => Promise<void>): Promise<boolean> {
  try {
    await within(2000, check());
    return true;
  } catch {
    return false;
  }
}
