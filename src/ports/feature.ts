import type { Logger } from 'pino';
import type { Texts } from '../i18n/translator.js';
import type { Municipality } from '../municipality/municipality.js';
import type { BroadcastSettings } from './broadcast-repository.js';
import type { Mailer } from './mailer.js';
import type { Notifier } from './notifier.js';
import type { PrivacyContract } from './privacy.js';
import type { JobHandler, JobQueue } from './queue.js';
import type { ServiceMap } from './services.js';
import type { UnitOfWork } from './unit-of-work.js';
import type { Clock } from '../shared/clock.js';

/** What a feature's services are built from (before the engine exists: the engine runs them). */
export interface ServiceDeps {
  uow: UnitOfWork;
  queue: JobQueue;
  municipality: Municipality;
  texts: Texts;
  clock: Clock;
  logger: Logger;
  /** The address residents' links point at (calendar files). */
  publicUrl: string;
  /** How long a new case may wait for its routing job before the sweep routes it. */
  unroutedAfterMs: number;
  /** How long residents are told of a called-off day or booking after staff cancel it (undo meanwhile). */
  cancelGraceMs: number;
  /** A keyed hash standing for a person (a conversation key) in logs and the privacy log. */
  pseudonym: (value: string) => string;
}

/** What every feature is built from: the municipality's data and the ports, wired once by the app. */
export interface FeatureDeps extends ServiceDeps {
  /** Hands events to conversations (the engine). */
  notifier: Notifier;
  /** E-mail to staff; not `enabled` without SMTP_URL (the dashboard is then the only channel). */
  mailer: Mailer;
  /** Every feature's privacy contract (the privacy feature purges, exports and erases through them). */
  privacyContracts: readonly PrivacyContract[];
  /**
   * Broadcast rates per channel, the per-resident weekly limit, and which WhatsApp runs (the one
   * place every feature reads it: WHATSAPP_ENABLED 'web-js', WHATSAPP_CLOUD_ENABLED 'cloud').
   */
  broadcast: BroadcastSettings;
}

/** What one run of the safety-net sweeps is asked to do. */
export interface SweepPass {
  /**
   * Put back on the queue what only a queue that lost its data can have forgotten (timers and
   * notices planned days ahead; their ids make a job still there a no-op). True on a process's first
   * sweep, when the queue's lifetime changed (Redis restarted, failed over or was flushed), and once
   * an hour; other runs skip that work, which with some thousands of open cases and bookings is tens
   * of thousands of Redis calls.
   */
  restore: boolean;
  /**
   * The start of the last sweep that ran to the end, less a minute (on the app's clock). A few
   * changes plan their jobs after their commit (a staff member moving a case's date, undoing a
   * cancellation): a queue that failed just then lost them although it kept its data, so a pass that
   * does not restore still plans again the timers of what changed since.
   */
  changedSince: Date;
}

/** Job handlers by job name. */
export type JobHandlers = Record<string, JobHandler<never>>;

/**
 * One capability, in its own folder: the services flows call, the commands staff and the CLI use,
 * its job handlers and its safety-net sweep. The app registers each feature with one line in
 * `src/features/index.ts`.
 */
export interface Feature<Name extends string = string, S extends ServiceMap = ServiceMap, C = unknown> {
  readonly name: Name;
  /** Services a flow may call; they run inside the turn's transaction. */
  services?(deps: ServiceDeps): S;
  /** Application services for staff: the CLI, the dashboard, other features' jobs. */
  commands?(deps: FeatureDeps): C;
  /** Handlers of the jobs this feature puts on the queue. */
  jobs?(deps: FeatureDeps): JobHandlers;
  /**
   * The safety net: puts back what a lost queue forgot and finishes work whose job failed; runs in
   * worker processes every so often (`pass` says what this run is for). Returns counts.
   */
  sweep?(deps: FeatureDeps, pass: SweepPass): Promise<Record<string, number>>;
  /** The personal data it stores, where, for how long, and how it is purged, exported and erased. */
  privacy?: PrivacyContract;
}

/** Declares a feature, keeping the exact types of its services and commands. */
export function defineFeature<
  Name extends string,
  S extends ServiceMap = Record<never, never>,
  C = undefined,
>(feature: Feature<Name, S, C>): Feature<Name, S, C> {
  return feature;
}
