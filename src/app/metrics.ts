import type { Logger } from 'pino';
import { CASE_STATUSES } from '../features/cases/case-status.js';
import { dueMoments } from '../features/cases/inbox.js';
import type { HolidayCalendar } from '../municipality/holidays.js';
import type { ChannelAdapter, ChannelState } from '../ports/channel.js';
import type { Metrics } from '../ports/metrics.js';
import type { JobQueue } from '../ports/queue.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { Clock } from '../shared/clock.js';
import { localDateOf, localDayBounds } from '../shared/local-date.js';
import { Registry, type GaugeSample } from '../shared/prometheus.js';
import { turnBatchStats } from '../storage/repositories/conversation-repository.js';
import type { Database } from '../storage/database.js';

/** Reply latency buckets in seconds: a turn takes milliseconds; more than a few seconds is trouble. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const CHANNEL_STATES: readonly ChannelState[] = ['starting', 'ready', 'disconnected', 'stopped'];

/** The service's Prometheus metrics: counters the core reports through the `Metrics` port. */
export class ServiceMetrics implements Metrics {
  readonly registry = new Registry({
    collectorUpName: 'spreekuur_metrics_collector_up',
    onCollectorError: (collector, err) =>
      this.o.logger?.warn(
        { collector, err: String(err) },
        'metrics collector failed; its gauges are left out',
      ),
  });
  private readonly inboundTotal = this.registry.counter(
    'spreekuur_messages_in_total',
    'Messages people sent, stored once, by channel.',
  );
  private readonly outboundTotal = this.registry.counter(
    'spreekuur_messages_out_total',
    'Messages sent through a channel (outcome sent), and failed or undeliverable tries.',
  );
  private readonly latency = this.registry.histogram(
    'spreekuur_reply_latency_seconds',
    'From taking a message in until its replies were committed to the outbox.',
    LATENCY_BUCKETS,
  );
  private readonly deadLetters = this.registry.counter(
    'spreekuur_dead_letters_total',
    'Inbound items set aside as dead letters by this process, by stage (store, handle).',
  );
  private readonly jobs = this.registry.counter(
    'spreekuur_jobs_total',
    'Jobs run by this process, by name and outcome (done, failed: a failed try may be retried).',
  );

  /** `logger` hears of a group of gauges that failed or timed out (once a minute per group). */
  constructor(private readonly o: { logger?: Pick<Logger, 'warn'> } = {}) {}

  inbound(channel: string): void {
    this.inboundTotal.inc({ channel });
  }

  outbound(channel: string, outcome: 'sent' | 'failed' | 'undeliverable'): void {
    this.outboundTotal.inc({ channel, outcome });
  }

  replyLatency(seconds: number): void {
    this.latency.observe(seconds);
  }

  deadLetter(stage: 'store' | 'handle'): void {
    this.deadLetters.inc({ stage });
  }

  job(name: string, outcome: 'done' | 'failed'): void {
    this.jobs.inc({ name, outcome });
  }

  /** Adds the gauges read at each scrape: backlog, queue, pool, channels, cases, bookings. */
  watch(parts: {
    uow: UnitOfWork;
    db: Database;
    queue: JobQueue;
    queueName: string;
    channels: ReadonlyMap<string, ChannelAdapter>;
    clock: Clock;
    timeZone: string;
    holidays: HolidayCalendar;
    role: string;
  }): void {
    const r = this.registry;
    r.collect('process', () => [
      {
        name: 'spreekuur_process_info',
        help: 'This process and its role.',
        labels: { role: parts.role },
        value: 1,
      },
      ...[...parts.channels.values()].flatMap((c) =>
        CHANNEL_STATES.map((state) => ({
          name: 'spreekuur_channel_state',
          help: 'Each channel served by this process: 1 for its current state.',
          labels: { channel: c.name, state },
          value: c.state() === state ? 1 : 0,
        })),
      ),
    ]);
    r.collect('queue', async () => {
      const counts = await parts.queue.counts();
      const labels = { queue: parts.queueName, driver: parts.queue.driver };
      return (['waiting', 'delayed', 'active', 'failed'] as const).map((state) => ({
        name: 'spreekuur_queue_jobs',
        help: 'Jobs in the queue by state (waiting: due now; delayed: due later; failed: gave up).',
        labels: { ...labels, state },
        value: counts[state],
      }));
    });
    r.collect('db_turns', () =>
      turnBatchStats(parts.db.dataSource).flatMap(({ statement, batches, calls, fallbacks }) => [
        {
          name: 'spreekuur_db_turn_statements_total',
          help: 'PostgreSQL statements that stored and read (store) or saved (finish) turns; turns of several conversations share one under load.',
          labels: { statement },
          value: batches,
          type: 'counter' as const,
        },
        {
          name: 'spreekuur_db_turn_writes_total',
          help: 'Turns written through those statements (divided by the statements: turns per statement).',
          labels: { statement },
          value: calls,
          type: 'counter' as const,
        },
        {
          name: 'spreekuur_db_turn_batch_fallbacks_total',
          help: 'Shared statements the database refused, tried again one turn at a time (a refused value, a deadlock).',
          labels: { statement },
          value: fallbacks,
          type: 'counter' as const,
        },
      ]),
    );
    r.collect('db_pool', () => {
      const pool = parts.db.poolStats();
      if (!pool) return [];
      return (['total', 'idle', 'waiting'] as const).map((state) => ({
        name: 'spreekuur_db_pool_clients',
        help: 'PostgreSQL pool clients: total open, idle, and requests waiting for one.',
        labels: { state },
        value: pool[state],
      }));
    });
    // Outbox, inbound, dead letters, cases and bookings: one query in the database.
    r.collect('backlog', async () => {
      const now = parts.clock.now();
      const day = localDayBounds(localDateOf(now, parts.timeZone), parts.timeZone);
      const s = await parts.uow.run((repos) =>
        repos.operations.snapshot({
          bookingsFrom: day.start,
          bookingsTo: day.end,
          ...dueMoments(now, { timeZone: parts.timeZone, holidays: parts.holidays }),
        }),
      );
      const gauges: GaugeSample[] = [
        {
          name: 'spreekuur_outbox_pending',
          help: 'Replies and jobs not yet delivered.',
          value: s.outboxPending,
        },
        {
          name: 'spreekuur_outbox_oldest_age_seconds',
          help: 'Age of the oldest undelivered outbox item (0 when none).',
          value: s.outboxOldestAt ? Math.max(0, (now.getTime() - s.outboxOldestAt.getTime()) / 1000) : 0,
        },
        {
          name: 'spreekuur_inbound_pending',
          help: 'Messages stored but not yet handled.',
          value: s.inboundPending,
        },
        {
          name: 'spreekuur_dead_letters_open',
          help: 'Dead letters waiting for an operator.',
          value: s.deadLettersOpen,
        },
        {
          name: 'spreekuur_cases_overdue',
          help: "Cases owing a reaction past their answer-by date: the case inbox's overdue (open; a proposal until its first reaction).",
          value: s.casesOverdue,
        },
        {
          name: 'spreekuur_cases_due_soon',
          help: "Cases owing a reaction due within 1 working day (answer-by by the end of the next working day, not yet passed): the case inbox's due soon.",
          value: s.casesDueSoon,
        },
        {
          name: 'spreekuur_bookings_today',
          help: 'Active bookings with a slot today.',
          value: s.bookingsBetween,
        },
      ];
      // Every status, also at 0, so a panel shows 0 rather than no data before the first case.
      for (const status of CASE_STATUSES)
        gauges.push({
          name: 'spreekuur_cases',
          help: 'Cases by status.',
          labels: { status },
          value: s.casesByStatus[status] ?? 0,
        });
      return gauges;
    });
  }
}
