import type { EnqueueOptions } from '../ports/queue.js';

/** The port's defaults: 3 tries in all, 1 s backoff base. */
export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 1000;

/** The options of one job with the port's defaults filled in. */
export interface ResolvedJobOptions {
  delayMs: number;
  attempts: number;
  backoffMs: number;
}

/** Fills in defaults and rejects nonsense early, where the caller can see it. */
export function resolveJobOptions(options: EnqueueOptions = {}): ResolvedJobOptions {
  const resolved = {
    delayMs: Math.max(0, Math.round(options.delayMs ?? 0)),
    attempts: options.attempts ?? DEFAULT_ATTEMPTS,
    backoffMs: Math.max(0, Math.round(options.backoffMs ?? DEFAULT_BACKOFF_MS)),
  };
  if (!Number.isInteger(resolved.attempts) || resolved.attempts < 1) {
    throw new RangeError(`attempts must be a whole number of at least 1, got ${options.attempts}`);
  }
  return resolved;
}

/** Exponential backoff after try `attempt` (1-based) failed: base * 2^(attempt-1). */
export function backoffDelay(baseMs: number, attempt: number): number {
  return baseMs * 2 ** Math.max(0, attempt - 1);
}

/** True for an error that says trying again cannot help (matched by name, so it survives module copies). */
export function isUnrecoverable(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'UnrecoverableJobError' || error.name === 'UnrecoverableError')
  );
}

/** One line describing a handler's error, for the job's record. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
