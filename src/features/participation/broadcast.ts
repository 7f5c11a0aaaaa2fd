import type { BroadcastRecipient, BroadcastSettings } from '../../ports/broadcast-repository.js';
import type { FeatureDeps, JobHandlers } from '../../ports/feature.js';
import type { JobHandler } from '../../ports/queue.js';
import { addressOfKey, type Address } from '../../shared/address.js';
import { DomainError } from '../../shared/errors.js';
import type { BroadcastBatchJob } from './events.js';

/** Each batch holds this many seconds' worth of a channel's rate: bursts stay short, jobs few. */
const BATCH_SECONDS = 2;
/** Conversations told at the same time within a batch. */
const PARALLEL = 8;
const WEEK_MS = 7 * 24 * 3600_000;
/** whatsapp-web.js may only write to people who wrote within this time. */
const WEB_JS_WINDOW_MS = 24 * 3600_000;
/** A broadcast whose batches made no progress for this long gets its next batch again (a lost job). */
const STALLED_MS = 10 * 60_000;

/** What a feature asks to send: the conversation event each subscriber of the districts gets. */
export interface BroadcastRequest {
  /** 'update', 'poll', …, and the id of that update or poll. */
  kind: string;
  subjectId: string;
  districts: readonly string[];
  /** Only subscribers of this topic (and of every topic); absent: all of them. */
  topic?: string | null;
  /** A conversation event whose handler says the message (see flows/participation.ts `broadcastSay`). */
  event: { name: string; payload: Record<string, unknown> };
  /** Counts towards the per-resident weekly limit and is held back by it (default true). */
  capped?: boolean;
}

/** The job name of one batch. */
export const BROADCAST_BATCH = 'broadcast.batch';

/**
 * Whether the service may write to the resident now, unasked: the one rule for every feature.
 * whatsapp-web.js only within 24 hours of their last message (the unofficial client must never look
 * like bulk messaging), and so without a WhatsApp configured ('none': the safe side); the Cloud API
 * adapter sends an approved template outside its window by itself; other channels freely.
 */
export function mayWriteFirst(
  address: Address,
  lastMessageAt: Date | null,
  now: Date,
  whatsapp: BroadcastSettings['whatsapp'],
): boolean {
  if (address.channel !== 'whatsapp' || whatsapp === 'cloud') return true;
  return lastMessageAt !== null && now.getTime() - lastMessageAt.getTime() < WEB_JS_WINDOW_MS;
}

/** A channel's broadcast rate, in messages per second. */
export function rateOf(settings: BroadcastSettings, channel: string): number {
  return settings.perSecond[channel] ?? settings.perSecond['*'] ?? 10;
}

/** How many recipients one batch of a channel takes. */
export function batchSize(settings: BroadcastSettings, channel: string): number {
  return Math.max(1, Math.round(rateOf(settings, channel) * BATCH_SECONDS));
}

function batchJobId(j: BroadcastBatchJob): string {
  return `broadcast:${j.broadcastId}:${j.channel}:${j.round}`;
}

/**
 * Sending one conversation event to every subscriber of some districts, through the queue: the
 * recipients are fixed at once (one statement), then each channel drains in batches at its own
 * rate, each batch putting the next on the queue. Any feature sends through it (updates, polls).
 */
export function broadcastCommands(deps: Pick<FeatureDeps, 'uow' | 'queue' | 'clock' | 'municipality'>) {
  const { uow, queue, clock } = deps;
  return {
    /** Fixes the recipients and queues the first batch per channel; returns the id and how many. */
    async send(request: BroadcastRequest): Promise<{ broadcastId: number; recipients: number }> {
      const known = new Set(deps.municipality.districts.map((d) => d.id));
      const unknown = request.districts.find((d) => !known.has(d));
      if (request.districts.length === 0 || unknown !== undefined)
        throw new DomainError('broadcast.unknown_district', unknown ?? '');
      const { id, channels } = await uow.transaction((r) =>
        r.broadcasts.create(
          {
            kind: request.kind,
            subjectId: request.subjectId,
            event: request.event,
            districts: [...new Set(request.districts)],
            topic: request.topic ?? null,
            capped: request.capped !== false,
          },
          clock.now(),
        ),
      );
      for (const channel of Object.keys(channels)) {
        const job: BroadcastBatchJob = { broadcastId: id, channel, round: 0 };
        await queue.enqueue(BROADCAST_BATCH, job, { jobId: batchJobId(job) });
      }
      return { broadcastId: id, recipients: Object.values(channels).reduce((a, b) => a + b, 0) };
    },

    /** A broadcast's figures: recipients by status and channel, and what the channels reported. */
    counts(broadcastId: number) {
      return uow.run((r) => r.broadcasts.counts(broadcastId));
    },
  };
}

/** The broadcast commands, as other features and the dashboard use them. */
export type BroadcastCommands = ReturnType<typeof broadcastCommands>;

/** What one batch needs: the store, the queue for the next batch, the clock, the engine, the settings. */
export type BroadcastJobDeps = Pick<FeatureDeps, 'uow' | 'queue' | 'clock' | 'notifier' | 'broadcast'>;

/** The handler of one batch: tells each recipient's conversation, keeping each channel's rules. */
export function broadcastJobs(deps: BroadcastJobDeps): JobHandlers {
  const batch: JobHandler<BroadcastBatchJob> = async (job) => {
    const { broadcastId, channel, round } = job.data;
    const started = deps.clock.now();
    const size = batchSize(deps.broadcast, channel);
    const found = await deps.uow.run(async (r) => {
      const b = await r.broadcasts.get(broadcastId);
      return b ? { b, recipients: await r.broadcasts.nextQueued(broadcastId, channel, size) } : null;
    });
    if (!found || found.recipients.length === 0) return;
    const claimed = await claimBatch(deps, found.b.capped, broadcastId, found.recipients, started);
    const plan = await planBatch(deps, claimed, started);
    await tellAll(deps, found.b.event, broadcastId, plan);
    await deps.uow.run(async (r) => {
      for (const status of ['sent', 'held'] as const)
        await r.broadcasts.mark(
          plan.filter((p) => p.status === status).map((p) => p.recipient.id),
          status,
          deps.clock.now(),
        );
    });
    if (found.recipients.length < size) return;
    // The next batch when this one's share of the channel's rate is used up, counted from when this
    // one was due: a late start (a busy queue) is made up, so the channel keeps its rate.
    const dueAt = (job.data.dueAt ?? started.getTime()) + (size / rateOf(deps.broadcast, channel)) * 1000;
    const next: BroadcastBatchJob = { broadcastId, channel, round: round + 1, dueAt };
    await deps.queue.enqueue(BROADCAST_BATCH, next, {
      jobId: batchJobId(next),
      delayMs: Math.max(0, dueAt - deps.clock.now().getTime()),
    });
  };
  return { [BROADCAST_BATCH]: batch };
}

/**
 * Counts each recipient's week and claims their delivery (`telling`) or records the weekly limit
 * (`capped`) in one transaction that holds each resident's lock: batches of other broadcasts, in
 * this process or another, count only after this one's claims, so no resident goes over the limit.
 * Recipients a dead batch claimed already are told again without counting twice. Returns the claimed.
 */
async function claimBatch(
  deps: BroadcastJobDeps,
  capped: boolean,
  broadcastId: number,
  recipients: readonly (BroadcastRecipient & { claimed: boolean })[],
  now: Date,
): Promise<BroadcastRecipient[]> {
  const fresh = recipients.filter((r) => !r.claimed);
  if (fresh.length === 0) return [...recipients];
  const over = await deps.uow.transaction(async (r) => {
    const keys = fresh.map((f) => f.conversationKey);
    let full = new Set<number>();
    if (capped) {
      await r.broadcasts.lockResidents(keys);
      const recent = await r.broadcasts.recentCounts(keys, new Date(now.getTime() - WEEK_MS), broadcastId);
      const limit = deps.broadcast.perResidentPerWeek;
      full = new Set(fresh.filter((f) => (recent.get(f.conversationKey) ?? 0) >= limit).map((f) => f.id));
    }
    const at = deps.clock.now();
    await r.broadcasts.mark([...full], 'capped', at);
    await r.broadcasts.mark(
      fresh.filter((f) => !full.has(f.id)).map((f) => f.id),
      'telling',
      at,
    );
    return full;
  });
  return recipients.filter((r) => !over.has(r.id));
}

interface Planned {
  recipient: BroadcastRecipient;
  status: 'sent' | 'held';
}

/** Who of the claimed gets it now, and who at their next message (whatsapp-web.js). */
async function planBatch(
  deps: BroadcastJobDeps,
  recipients: readonly BroadcastRecipient[],
  now: Date,
): Promise<Planned[]> {
  const keys = recipients.map((r) => r.conversationKey);
  const whatsapp = deps.broadcast.whatsapp;
  const asks = whatsapp !== 'cloud' && recipients.some((r) => r.channel === 'whatsapp');
  const wrote = asks ? await deps.uow.run((r) => r.broadcasts.lastWrote(keys)) : new Map<string, Date>();
  return recipients.map((recipient) => {
    const last = wrote.get(recipient.conversationKey) ?? null;
    const address = addressOfKey(recipient.conversationKey);
    return { recipient, status: mayWriteFirst(address, last, now, whatsapp) ? 'sent' : 'held' };
  });
}

/** Hands the event to each conversation (idempotent per broadcast), a few at a time. */
async function tellAll(
  deps: BroadcastJobDeps,
  event: { name: string; payload: Record<string, unknown> },
  broadcastId: number,
  plan: readonly Planned[],
): Promise<void> {
  for (let i = 0; i < plan.length; i += PARALLEL) {
    await Promise.all(
      plan
        .slice(i, i + PARALLEL)
        .map(({ recipient, status }) =>
          deps.notifier.notify(
            addressOfKey(recipient.conversationKey),
            event.name,
            { ...event.payload, broadcastId, ...(status === 'held' ? { hold: true } : {}) },
            `broadcast:${broadcastId}`,
          ),
        ),
    );
  }
}

/** Puts back the next batch of broadcasts that stopped moving (a lost job); returns how many. */
export async function resumeStalled(deps: FeatureDeps): Promise<number> {
  const now = deps.clock.now();
  const stalled = await deps.uow.run((r) => r.broadcasts.stalled(new Date(now.getTime() - STALLED_MS)));
  for (const s of stalled) {
    const job: BroadcastBatchJob = { broadcastId: s.id, channel: s.channel, round: -now.getTime() };
    await deps.queue.enqueue(BROADCAST_BATCH, job, { jobId: batchJobId(job) });
  }
  return stalled.length;
}
