import type { Logger } from 'pino';
import type { JobQueue } from '../ports/queue.js';
import { noMetrics, type Metrics } from '../ports/metrics.js';
import type { UnitOfWork } from '../ports/unit-of-work.js';
import type { Clock } from '../shared/clock.js';
import { KeyedMutex } from '../shared/keyed-mutex.js';
import { PermanentDeliveryError, type ChannelAdapter } from '../ports/channel.js';
import type { StoredOutboxItem } from '../ports/conversation-repository.js';
import type { OutboxSink } from './engine.js';
import { conversationKey } from '../ports/messages.js';

export interface DispatcherOptions {
  uow: UnitOfWork;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
  /** Channels this process delivers to; others stay in the outbox for their own process. */
  channels: Map<string, ChannelAdapter>;
  /** Whether this process puts outbox jobs on the queue (default true). */
  handlesJobs?: boolean;
  sweepMs?: number;
  claimMs?: number;
  /** Counts messages sent and failed tries (default: nothing). */
  metrics?: Metrics;
}

/**
 * How long after a database outage a claim that ran out during it is left to its holder: longer
 * than the wait between two tries of a delivered-mark (at most 5 s), so the holder has marked what
 * it sent before anyone takes the item over.
 */
export const OUTAGE_GRACE_MS = 15_000;

/**
 * A batch of delivered-marks stops gathering at this many, without waiting for its setImmediate:
 * work that never leaves the microtask queue (jobs on SQLite, whose statements do not wait for I/O)
 * starves setImmediate, and every mark then waited for the burst to end. Each message left marked
 * undelivered meanwhile was read and compared again at every later turn to that person: some 2,000
 * in the routing benchmark, to one alderman.
 */
export const MARKS_PER_BATCH = 50;

/** How long to wait before try `n` (1-based) of a failed delivery. */
export function retryDelayMs(attempt: number): number {
  return Math.min(15 * 60_000, 1000 * 2 ** (attempt - 1));
}

/**
 * Delivers committed outbox items: messages through their channel, in order per person; jobs onto
 * the queue. An item is marked delivered only after the channel or queue accepted it, so a crash
 * leaves it in the outbox, and the sweep delivers it after a restart.
 */
export class Dispatcher implements OutboxSink {
  private readonly perAddress = new KeyedMutex();
  /** Per person: the failed message that later ones wait behind, and when it is tried again. */
  private readonly waiting = new Map<string, { id: number; retryAt: Date }>();
  private readonly inFlight = new Set<number>();
  /**
   * Per item being delivered: when its claim is to be moved on (half a claim after it was handed
   * over or last renewed), so that no other process takes over an item that waits long to be sent.
   */
  private readonly renewBy = new Map<number, number>();
  /** Items this process delivered lately (two bounded generations): nothing waits behind them. */
  private delivered = new Set<number>();
  private deliveredBefore = new Set<number>();
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  /** When the last sweep reached the database. */
  private lastSwept: Date | undefined;
  /** The last database outage the sweep met: from the last sweep before it to the first after it. */
  private outage: { since: Date; over?: Date } | undefined;
  private stopping = false;
  /** How many items were handed over so far; lets a caller see that nothing new happened. */
  handedOver = 0;

  constructor(private readonly o: DispatcherOptions) {}

  deliver(items: StoredOutboxItem[]): void {
    const renewBy = this.o.clock.now().getTime() + this.claimMs / 2;
    for (const item of items) {
      // Delivered here already: a sweep's claim of it that was read before the mark committed (its
      // claim had run out while it was on its way: a send that waited long, a clock step) and came
      // back after the mark. Sending it again would give the resident the reply twice.
      if (this.inFlight.has(item.id) || this.wasDelivered(item.id)) continue;
      this.inFlight.add(item.id);
      this.renewBy.set(item.id, renewBy);
      this.handedOver++;
      const work = this.deliverOne(item).finally(() => {
        this.inFlight.delete(item.id);
        this.renewBy.delete(item.id);
        this.running.delete(work);
      });
      this.running.add(work);
    }
  }

  sendsDirectly(channel: string, earlier: readonly number[]): boolean {
    // In flight here means queued on this person's lane ahead of anything handed over later.
    return (
      this.o.channels.has(channel) && earlier.every((id) => this.inFlight.has(id) || this.wasDelivered(id))
    );
  }

  private wasDelivered(id: number): boolean {
    return this.delivered.has(id) || this.deliveredBefore.has(id);
  }

  private get claimMs(): number {
    return this.o.claimMs ?? 60_000;
  }

  /** Starts the periodic sweep for items left behind (a crash, a failed try whose retry is due). */
  start(): void {
    const every = this.o.sweepMs ?? 1000;
    const tick = () => {
      this.sweep()
        .catch((err: unknown) => this.o.logger.warn({ err: String(err) }, 'outbox sweep failed'))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, every);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /**
   * Claims and delivers due items once. Until OUTAGE_GRACE_MS after a database outage, a claim that
   * ran out during it is left alone: the process that holds it may have sent the item and not been
   * able to mark it (it marks it as soon as the database is back), and taking the item over would
   * send the reply twice. Claims that ran out before the outage, and new items, are taken at once.
   * Before claiming, it moves on the claims of items this process has been sending for half a claim
   * or longer (a chat's backlog behind a rate limit can take minutes).
   */
  async sweep(): Promise<number> {
    const now = this.o.clock.now();
    const claimUntil = new Date(now.getTime() + this.claimMs);
    const serves = { channels: [...this.o.channels.keys()], jobs: this.o.handlesJobs !== false };
    const outage = this.outage;
    const held = outage && { from: outage.since, to: outage.over ?? now };
    const renew = [...this.renewBy].filter(([, at]) => at <= now.getTime()).map(([id]) => id);
    let due: StoredOutboxItem[];
    try {
      // First the claims of what this process is still sending, so that neither this sweep nor
      // another process's takes those items over.
      if (renew.length > 0) {
        await this.o.uow.run((repos) => repos.conversations.renewOutboxClaims(renew, claimUntil));
        const next = now.getTime() + this.claimMs / 2;
        for (const id of renew) if (this.renewBy.has(id)) this.renewBy.set(id, next);
      }
      due = await this.o.uow.run((repos) =>
        repos.conversations.claimDueOutbox(now, claimUntil, serves, 500, held),
      );
    } catch (error) {
      // The outage began after the last sweep that reached the database (or with the one before it).
      this.outage = { since: this.outage?.since ?? this.lastSwept ?? now };
      throw error;
    }
    if (outage && !outage.over) outage.over = now;
    else if (outage?.over && now.getTime() - outage.over.getTime() >= OUTAGE_GRACE_MS)
      this.outage = undefined;
    this.lastSwept = now;
    this.deliver(due);
    return due.length;
  }

  /** How many items are being delivered now (a stop that cannot wait for them says how many it left). */
  get inProgress(): number {
    return this.running.size;
  }

  /** Resolves when everything handed over so far has been delivered or set aside. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stopping = true;
    await this.idle();
  }

  private pendingMarks: number[] = [];
  /** The batch of marks being gathered: it starts when the one before it is done. */
  private marking: Promise<void> | undefined;
  /** The last batch started, whose statement may still run. */
  private lastMarking: Promise<void> | undefined;
  /** Ends the gathering of the batch being gathered early: it holds MARKS_PER_BATCH marks. */
  private gathered: (() => void) | undefined;
  /**
   * Items the channel or queue accepted whose 'delivered' mark did not reach the database yet (it
   * was down): they are never handed to the channel again by this process, only marked.
   */
  private readonly unmarked = new Set<number>();

  /**
   * Marks delivered items in batches: one statement for everything delivered meanwhile, and one
   * statement at a time, so that under load each commit marks what was delivered while the one
   * before it ran (not one commit per item). When the database cannot take the mark, it is tried
   * again until it can; the item is not sent twice.
   */
  private markDelivered(id: number): Promise<void> {
    this.pendingMarks.push(id);
    this.unmarked.add(id);
    if (this.pendingMarks.length >= MARKS_PER_BATCH) this.gathered?.();
    if (this.marking) return this.marking;
    const before = this.lastMarking?.catch(() => undefined);
    const gathered = new Promise<void>((resolve) => {
      this.gathered = resolve;
      setImmediate(resolve);
    });
    const batch = Promise.all([gathered, before]).then(async () => {
      const ids = this.pendingMarks;
      this.pendingMarks = [];
      this.marking = undefined;
      this.gathered = undefined;
      for (let attempt = 0; ; attempt++) {
        try {
          await this.o.uow.run((repos) => repos.conversations.markDelivered(ids, this.o.clock.now()));
          for (const done of ids) this.unmarked.delete(done);
          this.rememberDelivered(ids);
          return;
        } catch (error) {
          // Until the database is back: another process leaves the claim alone for a while after
          // an outage (see `sweep`), so the mark must come then. A process that stops gives up; its
          // claim runs out and the item may be sent once more.
          if (this.stopping) throw error;
          if (attempt === 0)
            this.o.logger.warn(
              { err: String(error).slice(0, 200), items: ids.length },
              'marking delivered failed; retrying',
            );
          await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 200 * 2 ** attempt)));
        }
      }
    });
    this.marking = batch;
    this.lastMarking = batch;
    return batch;
  }

  private rememberDelivered(ids: number[]): void {
    if (this.delivered.size > 10_000) {
      this.deliveredBefore = this.delivered;
      this.delivered = new Set();
    }
    for (const id of ids) this.delivered.add(id);
  }

  /** When a failed item is tried again. */
  private retryAt(item: StoredOutboxItem): Date {
    return new Date(this.o.clock.now().getTime() + retryDelayMs(item.attempts + 1));
  }

  private async deliverOne(item: StoredOutboxItem): Promise<void> {
    try {
      // Sent before, only the mark was lost (the database was down): mark it, never send it again.
      if (this.unmarked.has(item.id)) return await this.markDelivered(item.id);
      if (item.kind === 'message') {
        const adapter = this.o.channels.get(item.to.channel);
        if (!adapter) {
          // Another process serves this channel: hand the item back for its sweep.
          await this.o.uow.run((repos) => repos.conversations.releaseOutbox(item.id, this.o.clock.now()));
          return;
        }
        const key = conversationKey(item.to);
        const sent = await this.perAddress.run(key, async () => {
          // An earlier message to this person failed and waits for its retry: this one waits behind it.
          const blocker = this.waiting.get(key);
          if (blocker && blocker.id < item.id) {
            await this.o.uow.run((repos) => repos.conversations.postponeOutbox(item.id, blocker.retryAt));
            return false;
          }
          try {
            await adapter.send({
              id: String(item.id),
              to: item.to,
              text: item.text,
              ...(item.choices ? { choices: item.choices } : {}),
            });
          } catch (error) {
            // A message set aside for good holds nobody up; one that will be retried does.
            if (error instanceof PermanentDeliveryError) {
              if (blocker?.id === item.id) this.waiting.delete(key);
            } else this.waiting.set(key, { id: item.id, retryAt: this.retryAt(item) });
            throw error;
          }
          if (blocker?.id === item.id) this.waiting.delete(key);
          return true;
        });
        if (!sent) return;
        (this.o.metrics ?? noMetrics).outbound(item.to.channel, 'sent');
      } else if (item.kind === 'job') {
        const delayMs = item.runAt ? Math.max(0, item.runAt.getTime() - this.o.clock.now().getTime()) : 0;
        await this.o.queue.enqueue(item.name, item.data, {
          ...(item.jobId ? { jobId: item.jobId } : {}),
          delayMs,
        });
      } else {
        await this.o.queue.cancel(item.jobId);
      }
      await this.markDelivered(item.id);
    } catch (error) {
      if (item.kind === 'message')
        (this.o.metrics ?? noMetrics).outbound(
          item.to.channel,
          error instanceof PermanentDeliveryError ? 'undeliverable' : 'failed',
        );
      if (error instanceof PermanentDeliveryError) {
        this.o.logger.warn({ outbox: item.id, err: error.name }, 'message cannot be delivered; set aside');
        await this.o.uow
          .run((repos) => repos.conversations.markUndeliverable(item.id, error.message))
          .catch(() => undefined);
        return;
      }
      const attempt = item.attempts + 1;
      const retryAt = this.retryAt(item);
      this.o.logger.warn(
        { outbox: item.id, kind: item.kind, attempt, err: String(error).slice(0, 200) },
        'delivery failed; will retry',
      );
      await this.o.uow
        .run((repos) => repos.conversations.markDeliveryFailed(item.id, String(error).slice(0, 500), retryAt))
        .catch(() => undefined);
    }
  }
}
