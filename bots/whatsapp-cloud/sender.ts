import { pause } from '../common/backoff.js';
import { ChannelStoppedError } from '../common/errors.js';
import { loggableError, type ChannelLogger } from '../common/logger.js';
import { GraphError, PAIR_RATE, THROUGHPUT, verdictOf } from './errors.js';
import type { GraphClient, GraphMessage } from './graph-client.js';
import type { Pacer } from './pacer.js';

/** How the adapter retries a refused message before it hands it back to the outbox. */
export interface CloudRetryPolicy {
  /** Tries per message before the outbox takes over (default 8). */
  attempts: number;
  /** First wait after a 5xx or a network error, doubling (default 1 s). */
  initialMs: number;
  /** The longest wait (default 60 s). */
  maxMs: number;
  /** Wait after 131056, the pair rate (about one message per 6 s to one person; default 6 s). */
  pairMs: number;
  /** Wait of the whole number after 130429, the throughput limit (default 1 s, doubling). */
  throughputMs: number;
}

export const DEFAULT_RETRY: CloudRetryPolicy = {
  attempts: 8,
  initialMs: 1000,
  maxMs: 60_000,
  pairMs: 6000,
  throughputMs: 1000,
};

/**
 * Posts one message, paced to the number's throughput, and tries it again after a rate limit or a
 * passing error. The caller holds the resident's lane, so later messages wait: order holds.
 */
export async function postWithRetry(
  o: {
    graph: GraphClient;
    pacer: Pacer;
    retry: CloudRetryPolicy;
    logger: ChannelLogger;
    signal: AbortSignal;
  },
  to: string,
  message: GraphMessage,
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    await o.pacer.take();
    try {
      return await o.graph.send(to, message);
    } catch (err) {
      if (verdictOf(err) !== 'retry' || attempt + 1 >= o.retry.attempts) throw err;
      const wait = waitAfter(err, attempt, o.retry);
      if (err instanceof GraphError && err.code === THROUGHPUT) o.pacer.holdFor(wait);
      o.logger.warn(
        { err: loggableError(err), attempt, retryInMs: wait },
        'whatsapp cloud: refused; trying again',
      );
      if (!(await pause(wait, o.signal))) throw new ChannelStoppedError('whatsapp');
    }
  }
}

function waitAfter(err: unknown, attempt: number, r: CloudRetryPolicy): number {
  const doubling = (base: number) => Math.min(r.maxMs, base * 2 ** Math.min(attempt, 20));
  if (err instanceof GraphError && err.code === PAIR_RATE) return Math.min(r.maxMs, r.pairMs * (attempt + 1));
  if (err instanceof GraphError && err.code === THROUGHPUT) return doubling(r.throughputMs);
  return doubling(r.initialMs);
}
