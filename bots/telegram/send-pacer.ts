import { TelegramError } from 'telegraf';
import { waitUntil } from '../common/backoff.js';
import type { ChannelLogger } from '../common/logger.js';

/** Telegram's limits as the adapter keeps them. */
export interface PacerLimits {
  /** At least this long between two messages to one chat (Telegram: about one a second). */
  perChatIntervalMs: number;
  /** At most this many messages a second over all chats (Telegram: about 30). */
  globalPerSecond: number;
}

interface Lane {
  tail: Promise<void>;
  notBefore: number;
  pending: number;
}

/** A few thousand idle lanes are cheap; beyond that the idle ones are swept. */
const SWEEP_ABOVE = 2_000;

/**
 * Sends to Telegram within its rate limits. Each chat has a lane: its messages go out one after
 * another, in the order they were given; a 429 holds the lane for `retry_after` seconds and then
 * retries the same message, so nothing is lost or reordered while waiting. Other chats go on.
 */
export class SendPacer {
  private readonly lanes = new Map<string, Lane>();
  /** Start times of the last `globalPerSecond` sends (reserved in order, so ascending). */
  private readonly starts: number[] = [];

  constructor(
    private readonly limits: PacerLimits,
    private readonly signal: AbortSignal,
    private readonly logger: ChannelLogger,
  ) {}

  /** Runs the calls for one chat in its lane, in order; stops at the first failure (not a 429). */
  run(chatId: string, calls: ReadonlyArray<() => Promise<unknown>>): Promise<void> {
    const lane = this.laneFor(chatId);
    lane.pending += 1;
    const result = lane.tail.then(async () => {
      for (const call of calls) await this.attempt(lane, call);
    });
    lane.tail = result.then(
      () => this.settle(chatId, lane),
      () => this.settle(chatId, lane),
    );
    return result;
  }

  private async attempt(lane: Lane, call: () => Promise<unknown>): Promise<void> {
    for (;;) {
      await waitUntil(lane.notBefore, this.signal, 'telegram');
      await this.globalTurn();
      try {
        await call();
        lane.notBefore = Date.now() + this.limits.perChatIntervalMs;
        return;
      } catch (err) {
        const retryAfter = retryAfterSeconds(err);
        if (retryAfter === undefined) {
          lane.notBefore = Date.now() + this.limits.perChatIntervalMs;
          throw err;
        }
        // Measured from when the 429 came back, so the chat rests at least retry_after seconds.
        lane.notBefore = Date.now() + retryAfter * 1000;
        this.logger.warn(
          { retryAfterSeconds: retryAfter },
          'telegram: rate limited; this chat waits, then retries',
        );
      }
    }
  }

  /** Waits for a place among the last `globalPerSecond` sends of a sliding second. */
  private async globalTurn(): Promise<void> {
    const perSecond = this.limits.globalPerSecond;
    const windowOpens =
      this.starts.length >= perSecond ? this.starts[this.starts.length - perSecond]! + 1000 : 0;
    const at = Math.max(Date.now(), windowOpens);
    this.starts.push(at);
    if (this.starts.length > perSecond) this.starts.shift();
    await waitUntil(at, this.signal, 'telegram');
  }

  private laneFor(chatId: string): Lane {
    const existing = this.lanes.get(chatId);
    if (existing) return existing;
    if (this.lanes.size > SWEEP_ABOVE) this.sweep();
    const lane: Lane = { tail: Promise.resolve(), notBefore: 0, pending: 0 };
    this.lanes.set(chatId, lane);
    return lane;
  }

  private settle(chatId: string, lane: Lane): void {
    lane.pending -= 1;
    if (lane.pending === 0 && lane.notBefore <= Date.now()) this.lanes.delete(chatId);
  }

  /** Forgets lanes with nothing waiting whose pause is over: they hold no constraint any more. */
  private sweep(): void {
    const now = Date.now();
    for (const [chatId, lane] of this.lanes) {
      if (lane.pending === 0 && lane.notBefore <= now) this.lanes.delete(chatId);
    }
  }
}

/** The seconds Telegram asked us to wait (429 Too Many Requests), or undefined for other errors. */
export function retryAfterSeconds(err: unknown): number | undefined {
  if (!(err instanceof TelegramError) || err.code !== 429) return undefined;
  const seconds = err.parameters?.retry_after;
  return typeof seconds === 'number' && seconds > 0 ? seconds : 1;
}
