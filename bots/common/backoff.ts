import { ChannelStoppedError } from './errors.js';

/** How long to wait between attempts to reach a chat network again. */
export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
}

/** Exponential backoff: initialMs, 2×, 4×, … capped at maxMs. */
export function backoffDelay(attempt: number, policy: RetryPolicy): number {
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
}

/** Waits `ms`; resolves false at once when `signal` aborts (loops use this to end promptly). */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(0, ms), true);
    function done(completed: boolean): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(completed);
    }
    function onAbort(): void {
      done(false);
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Waits until the wall-clock time `at`; rejects with ChannelStoppedError when `signal` aborts. */
export async function waitUntil(at: number, signal: AbortSignal, channel: string): Promise<void> {
  const completed = await pause(at - Date.now(), signal);
  if (!completed) throw new ChannelStoppedError(channel);
}
