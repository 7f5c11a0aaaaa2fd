import { randomUUID } from 'node:crypto';
import { Queue, UnrecoverableError, Worker, type Job as BullJob } from 'bullmq';
import { Redis } from 'ioredis';
import type {
  EnqueueOptions,
  JobHandler,
  JobQueue,
  NewJob,
  QueueCounts,
  StoredJob,
  WorkerOptions,
} from '../ports/queue.js';
import { JobQueueClosedError, RedisEvictionPolicyError, RedisUnreachableError } from './errors.js';
import { describeError, isUnrecoverable, resolveJobOptions } from './job-options.js';

export interface BullMqJobQueueOptions {
  redisUrl: string;
  queueName: string;
  /** Prefix of every Redis key (default 'spreekuur'); tests use a random one. */
  prefix?: string;
  /** Lease of a running job (default 30 s); BullMQ renews it at half of this while the job runs. */
  lockDurationMs?: number;
  /** How often workers look for jobs whose lease ran out (default 30 s). */
  stalledIntervalMs?: number;
  /** Completed and failed jobs are kept this long (default 7 days) so their ids stay taken. */
  keepFinishedMs?: number;
  /** Where Redis and worker errors go (default: console.error). */
  onError?: (error: unknown) => void;
}

/** BullMQ refuses custom ids that look like integers or hold ':'; we encode such ids reversibly. */
export function encodeJobId(id: string): string {
  const escaped = id.replace(/[%:]/g, (c) => (c === '%' ? '%25' : '%3A'));
  // '%N' cannot come out of the escaping above, so the marker is unambiguous.
  return `${parseInt(escaped, 10)}` === escaped ? `%N${escaped}` : escaped;
}

/** The inverse of encodeJobId. */
export function decodeJobId(encoded: string): string {
  const body = encoded.startsWith('%N') ? encoded.slice(2) : encoded;
  return body.replace(/%(25|3A)/g, (_, code: string) => (code === '25' ? '%' : ':'));
}

/**
 * The queue port on BullMQ, for the distributed mode. Open it with `BullMqJobQueue.open`, which
 * refuses a Redis that may evict keys (an evicted job is a lost message). A job whose process
 * died is moved back to waiting by BullMQ's stalled-job checker in any live worker.
 */
export class BullMqJobQueue implements JobQueue {
  readonly driver = 'bullmq' as const;
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly keepFinishedSeconds: number;
  private readonly onError: (error: unknown) => void;

  private constructor(
    private readonly connection: Redis,
    private readonly options: BullMqJobQueueOptions,
  ) {
    this.onError = options.onError ?? ((error) => console.error(`[queue ${options.queueName}]`, error));
    this.keepFinishedSeconds = Math.ceil((options.keepFinishedMs ?? 7 * 24 * 60 * 60 * 1000) / 1000);
    this.queue = new Queue(options.queueName, { connection, prefix: this.prefix });
    this.queue.on('error', this.onError);
  }

  /** Connects, checks Redis' eviction policy (RedisEvictionPolicyError unless noeviction), and opens the queue. */
  static async open(options: BullMqJobQueueOptions): Promise<BullMqJobQueue> {
    // BullMQ's blocking reads need maxRetriesPerRequest null; a dead Redis then shows in ping().
    const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    // A failed connect rejects with only "Connection is closed."; the reason comes as an 'error' event.
    let reason: unknown;
    const remember = (error: unknown) => (reason = error);
    connection.on('error', remember);
    try {
      await connection.connect();
      const policy = await evictionPolicy(connection);
      if (policy !== undefined && policy !== 'noeviction') throw new RedisEvictionPolicyError(policy);
      connection.off('error', remember);
      return new BullMqJobQueue(connection, options);
    } catch (error) {
      connection.disconnect();
      if (error instanceof RedisEvictionPolicyError) throw error;
      throw new RedisUnreachableError(reason ?? error);
    }
  }

  async enqueue<T>(name: string, data: T, options?: EnqueueOptions): Promise<string> {
    const [id] = await this.enqueueMany([{ name, data, ...(options ? { options } : {}) }]);
    return id!;
  }

  async enqueueMany(jobs: readonly NewJob[]): Promise<string[]> {
    if (this.closed) throw new JobQueueClosedError(this.options.queueName);
    const ids = jobs.map((job) => job.options?.jobId ?? randomUUID());
    const bulk = jobs.map((job, i) => ({
      name: job.name,
      data: job.data ?? null,
      opts: this.jobOptions(ids[i]!, job.options),
    }));
    // A job with an existing jobId is left as it is and nothing is added. The adds go out together
    // on the one connection, so they wait one round trip, not one each. Not addBulk: its MULTI is an
    // ioredis pipeline, whose constructor copies every script BullMQ defines (some 100 properties)
    // onto a new object; that was 5% of the CPU of routing a case, which plans three timers at once.
    await Promise.all(bulk.map((job) => this.queue.add(job.name, job.data, job.opts)));
    return ids;
  }

  private jobOptions(id: string, options: EnqueueOptions | undefined) {
    const resolved = resolveJobOptions(options);
    return {
      jobId: encodeJobId(id),
      delay: resolved.delayMs,
      attempts: resolved.attempts,
      backoff: { type: 'exponential', delay: resolved.backoffMs },
      removeOnComplete: { age: this.keepFinishedSeconds },
      removeOnFail: { age: this.keepFinishedSeconds },
    };
  }

  async cancel(jobId: string): Promise<boolean> {
    const encoded = encodeJobId(jobId);
    const state = await this.queue.getJobState(encoded);
    if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return false;
    // remove() refuses (0) a job a worker has just locked, so a started job is never pulled away.
    return (await this.queue.remove(encoded)) === 1;
  }

  process(handlers: Record<string, JobHandler<never>>, options: WorkerOptions = {}): Promise<void> {
    if (this.closed) return Promise.reject(new JobQueueClosedError(this.options.queueName));
    if (this.worker)
      return Promise.reject(new Error(`Job queue ${this.options.queueName} is already processing`));
    this.worker = new Worker(this.options.queueName, (job: BullJob) => runHandler(handlers, job), {
      connection: this.connection,
      prefix: this.prefix,
      concurrency: Math.max(1, options.concurrency ?? 1),
      lockDuration: this.options.lockDurationMs ?? 30_000,
      stalledInterval: this.options.stalledIntervalMs ?? 30_000,
      // One stall (a killed process) gets the job run again; a second one fails it, so a job
      // that kills its process cannot loop forever.
      maxStalledCount: 1,
      // A short block keeps close() quick and lets delayed jobs be promoted promptly.
      drainDelay: 1,
    });
    this.worker.on('error', this.onError);
    return this.worker.waitUntilReady().then(() => undefined);
  }

  async whenIdle(): Promise<void> {
    for (;;) {
      const counts = await this.queue.getJobCounts('active', 'wait', 'prioritized');
      const busy = Object.values(counts).reduce((sum, n) => sum + n, 0);
      // Delayed jobs whose time has come are due too; BullMQ promotes them when a worker fetches.
      if (busy === 0 && (await this.queue.getDelayedCount(Date.now())) === 0) return;
      await sleep(25);
    }
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  /**
   * The Redis server's run id (new at every start, also one from a file that lacks the last writes,
   * and on a failover to a replica) and a marker key that lives as long as Redis keeps its data (made
   * with a fresh id when missing: a FLUSH shows too). The marker is outside the queue's own keys
   * (`<prefix>:<queue>:…`) and under the prefix, so deployments on one Redis each have theirs.
   */
  async lifetime(): Promise<string> {
    const key = `${this.prefix}:queue-lifetime`;
    const fresh = randomUUID();
    const made = (await this.connection.set(key, fresh, 'NX')) === 'OK';
    const marker = made ? fresh : ((await this.connection.get(key)) ?? fresh);
    const runId = /^run_id:(\w+)/m.exec(await this.connection.info('server'))?.[1] ?? '';
    return `${runId}:${marker}`;
  }

  async counts(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'failed');
    return {
      waiting: (c.wait ?? 0) + (c.prioritized ?? 0),
      delayed: c.delayed ?? 0,
      active: c.active ?? 0,
      failed: c.failed ?? 0,
    };
  }

  async close(options: { force?: boolean } = {}): Promise<void> {
    if (options.force) return this.letGo();
    if (this.closing) return this.closing;
    this.closed = true;
    this.closing = (async () => {
      // Worker.close waits for the running jobs before it lets go of its connections. When Redis is
      // gone it waits for good (and BullMQ's timers keep the process alive): see `force`.
      await this.worker?.close();
      await this.queue.close();
      await this.connection.quit().catch(() => this.connection.disconnect());
    })();
    return this.closing;
  }

  /**
   * Lets go of Redis without waiting for it: the worker stops without waiting for its running jobs
   * (BullMQ runs them again once their lock runs out), and commands still waiting for Redis are
   * given up. After a gentle close that is stuck, only the connection can still be dropped here.
   */
  private async letGo(): Promise<void> {
    this.closed = true;
    if (!this.closing) {
      this.closing = this.worker?.close(true);
      await this.closing;
    }
    this.connection.disconnect();
  }

  async purgeFinished(olderThan: Date, options: { dryRun?: boolean } = {}): Promise<number> {
    if (options.dryRun) {
      let n = 0;
      for await (const { job } of this.jobsIn(['completed', 'failed']))
        if ((job.finishedOn ?? Infinity) < olderThan.getTime()) n++;
      return n;
    }
    // BullMQ keeps its own wall-clock times, so the grace is measured against them.
    const grace = Math.max(0, Date.now() - olderThan.getTime());
    // The events stream names jobs by id (an id may hold a chat address): entries are ids in
    // wall-clock milliseconds, so older ones go the same way.
    await this.connection.xtrim(this.eventsKey, 'MINID', Date.now() - grace);
    let removed = 0;
    for (const state of ['completed', 'failed'] as const) {
      for (;;) {
        const ids = await this.queue.clean(grace, 1000, state);
        removed += ids.length;
        if (ids.length < 1000) break;
      }
    }
    return removed;
  }

  async findByContent(needles: readonly string[]): Promise<StoredJob[]> {
    const found: StoredJob[] = [];
    for await (const { job, state } of this.jobsIn(ALL_STATES)) {
      if (!holdsAny(job.data, needles)) continue;
      found.push({ id: decodeJobId(job.id ?? ''), name: job.name, status: state, data: job.data as unknown });
    }
    return found;
  }

  async removeByContent(needles: readonly string[]): Promise<number> {
    let removed = 0;
    const gone = new Set<string>();
    for await (const { job, state } of this.jobsIn(ALL_STATES)) {
      if (state === 'active' || !holdsAny(job.data, needles)) continue;
      // remove() refuses a job a worker has just locked; that one is left, as a running job is.
      const n = await this.queue.remove(job.id ?? '').catch(() => 0);
      removed += n;
      if (n > 0 && job.id) gone.add(job.id);
    }
    await this.forgetEvents(gone, needles);
    return removed;
  }

  /**
   * Deletes the events stream's entries about the removed jobs, and about any job whose id names
   * one of the needles (a job that ran and was cleaned before: its id may hold a chat address).
   */
  private async forgetEvents(gone: ReadonlySet<string>, needles: readonly string[]): Promise<void> {
    const names = needles.flatMap((needle) => {
      try {
        const value: unknown = JSON.parse(needle);
        return typeof value === 'string' && value !== '' ? [value] : [];
      } catch {
        return [];
      }
    });
    const about = (jobId: string) => gone.has(jobId) || names.some((n) => decodeJobId(jobId).includes(n));
    for (let start = '-'; ;) {
      const page = await this.connection.xrange(this.eventsKey, start, '+', 'COUNT', 1000);
      const doomed = page
        .filter(([, fields]) => {
          const at = fields.indexOf('jobId');
          return at >= 0 && at % 2 === 0 && about(fields[at + 1] ?? '');
        })
        .map(([id]) => id);
      if (doomed.length > 0) await this.connection.xdel(this.eventsKey, ...doomed);
      const last = page.at(-1);
      if (page.length < 1000 || !last) break;
      start = `(${last[0]}`;
    }
  }

  private get eventsKey(): string {
    return `${this.prefix}:${this.options.queueName}:events`;
  }

  /** Every job in these states, page by page. */
  private async *jobsIn(states: readonly BullState[]): AsyncGenerator<{ job: BullJob; state: BullState }> {
    for (const state of states) {
      for (let start = 0; ; start += 500) {
        const page = await this.queue.getJobs([state], start, start + 499, true);
        for (const job of page) if (job) yield { job, state };
        if (page.length < 500) break;
      }
    }
  }

  private get prefix(): string {
    return this.options.prefix ?? 'spreekuur';
  }
}

type BullState = 'waiting' | 'delayed' | 'prioritized' | 'active' | 'completed' | 'failed';
const ALL_STATES: readonly BullState[] = [
  'waiting',
  'delayed',
  'prioritized',
  'active',
  'completed',
  'failed',
];

/** True when a job's data, as JSON, holds one of the needles. */
function holdsAny(data: unknown, needles: readonly string[]): boolean {
  const text = JSON.stringify(data ?? null);
  return needles.some((needle) => text.includes(needle));
}

/** Hands a BullMQ job to the port's handler and maps the port's unrecoverable error to BullMQ's. */
async function runHandler(handlers: Record<string, JobHandler<never>>, job: BullJob): Promise<void> {
  const handler = handlers[job.name];
  if (!handler) throw new UnrecoverableError(`no handler for job name ${job.name}`);
  try {
    // attemptsStarted counts a try cut short by a dead process too, as the SQL driver does.
    const attempt = Math.max(job.attemptsStarted, job.attemptsMade + 1);
    await handler({ id: decodeJobId(job.id ?? ''), name: job.name, data: job.data as never, attempt });
  } catch (error) {
    if (isUnrecoverable(error)) throw new UnrecoverableError(describeError(error));
    throw error;
  }
}

/** Redis' maxmemory-policy: CONFIG GET where allowed, else INFO memory (managed Redis often forbids CONFIG). */
async function evictionPolicy(connection: Redis): Promise<string | undefined> {
  try {
    const reply = (await connection.config('GET', 'maxmemory-policy')) as string[];
    if (reply[1]) return reply[1];
  } catch {
    // fall through to INFO
  }
  const info = await connection.info('memory');
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
