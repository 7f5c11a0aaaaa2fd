import { TelegramError } from 'telegraf';
import { loggableError, type ChannelLogger } from '../common/logger.js';

/** Why Telegram answered getUpdates with 409: another process polls this bot, or set a webhook for it. */
export type PollConflict = 'other-poller' | 'webhook-set';

/** Telegram's 409 for getUpdates, by its cause; undefined for any other failure. */
export function pollConflict(err: unknown): PollConflict | undefined {
  if (!(err instanceof TelegramError) || err.code !== 409) return undefined;
  return /webhook/i.test(err.description) ? 'webhook-set' : 'other-poller';
}

/** The one line an operator needs: what is wrong and what to do. */
const CONFLICT_LINES: Record<PollConflict, string> = {
  'other-poller':
    'telegram: another process polls getUpdates with the same TELEGRAM_BOT_TOKEN (Telegram allows one per bot): ' +
    'run one channels process per bot, or use the webhook mode (TELEGRAM_WEBHOOK_URL); retrying with backoff',
  'webhook-set':
    'telegram: another process set a webhook for the same TELEGRAM_BOT_TOKEN, so Telegram refuses getUpdates: ' +
    'run the bot in one mode only, in one channels process per bot; retrying with backoff',
};

/**
 * A run of 409s from getUpdates. Two pollers of one bot take turns (each new poll ends the other's
 * with 409), so between two 409s a poll may well succeed: the run is over only when no 409 came for
 * `quietMs`, longer than the other process's longest pause. Until then the channel counts as
 * disconnected, the backoff keeps growing (a success in between does not reset it), and the
 * operator sees one error line when the run begins and one info line when it ends, not one a poll.
 */
export class ConflictWatch {
  private last: number | undefined;
  private count = 0;

  constructor(
    private readonly quietMs: number,
    private readonly logger: ChannelLogger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records a 409; returns the attempt number for the backoff. */
  seen(kind: PollConflict, err: unknown): number {
    if (this.last === undefined) this.logger.error({ err: loggableError(err) }, CONFLICT_LINES[kind]);
    else this.logger.debug({ err: loggableError(err), conflicts: this.count + 1 }, 'telegram: 409 again');
    this.last = this.now();
    return this.count++;
  }

  /** After a getUpdates that succeeded: whether the run of 409s is still on (no quiet time yet). */
  ongoing(): boolean {
    if (this.last === undefined) return false;
    if (this.now() - this.last < this.quietMs) return true;
    this.logger.info(
      { conflicts: this.count },
      'telegram: no 409 from getUpdates for a while: this process polls alone again',
    );
    this.last = undefined;
    this.count = 0;
    return false;
  }
}
