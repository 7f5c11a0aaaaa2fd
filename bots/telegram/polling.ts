import type { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import { backoffDelay, pause, type RetryPolicy } from '../common/backoff.js';
import { loggableError, type ChannelLogger } from '../common/logger.js';
import { ConflictWatch, pollConflict } from './poll-conflict.js';
import { retryAfterSeconds } from './send-pacer.js';

/** The update kinds the adapter handles; Telegram sends no others. */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

export interface PollingOptions {
  telegram: Telegram;
  signal: AbortSignal;
  /** getUpdates long-poll timeout in seconds. */
  timeoutSeconds: number;
  retry: RetryPolicy;
  handle(update: Update): Promise<void>;
  onConnection(connected: boolean): void;
  logger: ChannelLogger;
}

/**
 * Long polling through telegraf's API client. The adapter runs this loop rather than telegraf's
 * `launch()`, because `launch()` confirms a batch (moves the offset) even when handling it failed,
 * which would lose a message the ingress could not store, and because its retries are silent while
 * /healthz must show 'disconnected'. Here the offset moves past an update only once the ingress
 * accepted it; `signal` aborts the open HTTP request, so stopping is immediate. A 409 (another
 * process polls the same bot) keeps the channel disconnected and is logged once, not once a poll.
 */
export async function pollUpdates(options: PollingOptions): Promise<void> {
  const { signal, logger } = options;
  let offset = 0;
  let failures = 0;
  // Longer than the other poller's longest pause plus one long poll (see ConflictWatch).
  const conflicts = new ConflictWatch(2 * options.retry.maxMs + options.timeoutSeconds * 1000, logger);
  while (!signal.aborted) {
    let updates: Update[];
    try {
      updates = await getUpdates(options, offset);
      options.onConnection(!conflicts.ongoing());
    } catch (err) {
      if (signal.aborted) break;
      options.onConnection(false);
      const conflict = pollConflict(err);
      let delay: number;
      if (conflict) {
        delay = backoffDelay(conflicts.seen(conflict, err), options.retry);
      } else {
        logger.warn({ err: loggableError(err) }, 'telegram: getUpdates failed; retrying');
        const retryAfter = retryAfterSeconds(err);
        delay = retryAfter !== undefined ? retryAfter * 1000 : backoffDelay(failures++, options.retry);
      }
      await pause(delay, signal);
      continue;
    }
    try {
      for (const update of updates) {
        await options.handle(update);
        offset = update.update_id + 1;
      }
      failures = 0;
    } catch (err) {
      // Not confirmed, so Telegram hands the update out again after the pause.
      logger.error(
        { err: loggableError(err) },
        'telegram: an update could not be handed to the ingress; retrying',
      );
      await pause(backoffDelay(failures++, options.retry), signal);
    }
  }
  await confirm(options, offset);
}

function getUpdates(options: PollingOptions, offset: number): Promise<Update[]> {
  const payload = { offset, timeout: options.timeoutSeconds, allowed_updates: ALLOWED_UPDATES };
  // telegraf types `signal` with the abort-controller polyfill; Node's own AbortSignal is what it uses.
  const callOptions = { signal: options.signal } as unknown as Parameters<Telegram['callApi']>[2];
  return options.telegram.callApi('getUpdates', payload, callOptions);
}

/** Tells Telegram which updates were handled, so a restart does not see them again. */
async function confirm(options: PollingOptions, offset: number): Promise<void> {
  if (offset === 0) return;
  try {
    await options.telegram.callApi('getUpdates', { offset, limit: 1, timeout: 0 });
  } catch {
    // Best effort: unconfirmed updates come again and the engine's dedupe drops them.
  }
}
