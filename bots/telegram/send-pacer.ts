import { TelegramError } from 'telegraf';
import { waitUntil } from '../common/backoff.js';
import type { ChannelLogger } from '../common/logger.js';

/** Telegram's limits as the adapter keeps them. */
export interface PacerLimits {
  /** On average at least this long between two messages to one chat (Telegram: about one a second). */
  perChatIntervalMs: number;
  /**
   * How many messages one chat may get at once before the interval applies (default 1: none).
   * Telegram allows short bursts over its one a second; a reply in three parts then arrives
   * together instead of over two seconds, while over a longer while a chat still gets one a second.
   */
  perChatBurst?: number;
  /** At most this many messages a second over all chats (Telegram: about 30). */
  globalPerSecond: number;
}

interface Lane {
  tail: Promise<void>;
  /** Nothing goes to this chat before this time (a 429's retry_after). */
  notBefore: number;
  /**
   * When this chat's allowance is full again: every send moves it one interval on (from now when
   * it lay in the past); a send may start once it is at most `burst - 1` intervals ahead.
   */
  fullAt: number;
  pending: number;
}

/** A wait nothing aborts: the rest of a message whose first part went out (see `run`). */
const FINISH = new AbortController().signal;

/** A few thousand idle lanes are cheap; beyond that the idle ones are swept. */
const SWEEP_ABOVE = 2_000;

/**
 * Sends to Telegram within its rate limits. Each chat has a lane: its messages go out one after
 * another, in the order they were given, up to `perChatBurst` at once and then one per interval; a
 * 429 holds the lane for `retry_after` seconds and then retries the same message (alone: the
 * burst allowance is used up), so nothing is lost or reordered while waiting. Other chats go on.
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

  /**
   * Runs the calls for one chat in its lane, in order; stops at the first failure (not a 429). A
   * stop refuses a message that has not started; one whose first part went out is finished, as a
   * message cut off by the stop would be sent again whole after a restart, its first parts twice.
   */
  run(chatId: string, calls: ReadonlyArray<() => Promise<unknown>>): Promise<void> {
    const lane = this.laneFor(chatId);
    lane.pending += 1;
    const result = lane.tail.then(async () => {
      for (const [i, call] of calls.entries()) await this.attempt(lane, call, i === 0 ? this.signal : FINISH);
    });
    lane.tail = result.then(
      () => this.settle(chatId, lane),
      () => this.settle(chatId, lane),
    );
    return result;
  }

  private async attempt(lane: Lane, call: () => Promise<unknown>, signal: AbortSignal): Promise<void> {
    const interval = this.limits.perChatIntervalMs;
    const ahead = (Math.max(1, this.limits.perChatBurst ?? 1) - 1) * interval;
    for (;;) {
      await waitUntil(Math.max(lane.notBefore, lane.fullAt - ahead), signal, 'telegram');
      await this.globalTurn(signal);
      try {
        await call();
        lane.fullAt = Math.max(lane.fullAt, Date.now()) + interval;
        return;
      } catch (err) {
        const retryAfter = retryAfterSeconds(err);
        if (retryAfter === undefined) {
          lane.fullAt = Math.max(lane.fullAt, Date.now()) + interval;
          throw err;
        }
        // Measured from when the 429 came back, so the chat rests at least retry_after seconds;
        // then one message, and the next ones an interval apart (no burst right after a 429).
        lane.notBefore = Date.now() + retryAfter * 1000;
        lane.fullAt = lane.notBefore + ahead;
        this.logger.warn(
          { retryAfterSeconds: retryAfter },
          'telegram: rate limited; this chat waits, then retries',
        );
      }
    }
  }

  /** Waits for a place among the last `globalPerSecond` sends of a sliding second. */
  private async globalTurn(signal: AbortSignal): Promise<void> {
    const perSecond = this.limits.globalPerSecond;
    const windowOpens =
      this.starts.length >= perSecond ? this.starts[this.starts.length - perSecond]! + 1000 : 0;
    const at = Math.max(Date.now(), windowOpens);
    this.starts.push(at);
    if (this.starts.length > perSecond) this.starts.shift();
    await waitUntil(at, signal, 'telegram');
  }

  private laneFor(chatId: string): Lane {
    const existing = this.lanes.get(chatId);
    if (existing) return existing;
    if (this.lanes.size > SWEEP_ABOVE) this.sweep();
    const lane: Lane = { tail: Promise.resolve(), notBefore: 0, fullAt: 0, pending: 0 };
    this.lanes.set(chatId, lane);
    return lane;
  }

  private settle(chatId: string, lane: Lane): void {
    lane.pending -= 1;
    if (lane.pending === 0 && restored(lane, Date.now())) this.lanes.delete(chatId);
  }

  /** Forgets lanes with nothing waiting whose pause is over: they hold no constraint any more. */
  private sweep(): void {
    const now = Date.now();
    for (const [chatId, lane] of this.lanes) {
      if (lane.pending === 0 && restored(lane, now)) this.lanes.delete(chatId);
    }
  }
}

/** A lane whose pause is over and whose allowance is full again holds no constraint any more. */
function restored(lane: Lane, now: number): boolean {
  return lane.notBefore <= now && lane.fullAt <= now;
}

/** The seconds Telegram asked us to wait (429 Too Many Requests), or undefined for other errors. */
export function retryAfterSeconds(err: unknown): number | undefined {
  if (!(err instanceof TelegramError) || err.code !== 429) return undefined;
  const seconds = err.parameters?.retry_after;
  return typeof seconds === 'number' && seconds > 0 ? seconds : 1;
}
