import type { FeatureDeps, JobHandlers } from '../../ports/feature.js';
import { atLocalTime, localDateOf } from '../../shared/local-date.js';
import { purgeExpired, type PrivacyRun } from './privacy-service.js';

/** The daily purge's job name. */
export const PURGE_JOB = 'privacy.purge';

/** When the daily purge runs, in the municipality's time: a quiet hour. */
export const PURGE_TIME = '03:00';

/** What the privacy requests run on, from a feature's dependencies. */
export function privacyRun(deps: FeatureDeps): PrivacyRun {
  return {
    scope: { uow: deps.uow, queue: deps.queue, pseudonym: deps.pseudonym, notifier: deps.notifier },
    contracts: deps.privacyContracts,
    retention: deps.municipality.retention,
    now: () => deps.clock.now(),
  };
}

/** Runs the daily purge. */
export function privacyJobHandlers(deps: FeatureDeps): JobHandlers {
  return {
    [PURGE_JOB]: async () => {
      const counts = await purgeExpired(privacyRun(deps), { actor: 'job' });
      deps.logger.info({ counts }, 'privacy purge done');
    },
  };
}

/**
 * Puts today's purge on the queue (once: its id is the date), due at 03:00 local time. Runs with the
 * other sweeps in worker processes, so the daily job exists with either queue driver.
 */
export async function scheduleDailyPurge(deps: FeatureDeps): Promise<Record<string, number>> {
  const now = deps.clock.now();
  const today = localDateOf(now, deps.municipality.timeZone);
  const due = atLocalTime(today, PURGE_TIME, deps.municipality.timeZone);
  await deps.queue.enqueue(
    PURGE_JOB,
    {},
    {
      jobId: `privacy-purge-${today}`,
      delayMs: Math.max(0, due.getTime() - now.getTime()),
      attempts: 5,
      backoffMs: 60_000,
    },
  );
  return {};
}
