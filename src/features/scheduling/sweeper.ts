import type { FeatureDeps } from '../../ports/feature.js';
import type { Booking } from '../../ports/booking-repository.js';
import { aldermanNoticeJob, TELL_ALDERMAN_JOB, type AldermanNoticeJob } from './alderman-jobs.js';
import { bookingTimers } from './views.js';

/**
 * Puts every active booking's timers on the queue again, or with `changedSince` those of bookings
 * changed since (undoing a cancellation plans them after its commit). Job ids are idempotent, so
 * timers that exist are left alone; timers a Redis restart lost come back. Reminders whose time
 * passed are not planned again, and every notice carries an event id, so nobody hears anything twice.
 */
export async function sweepBookingTimers(
  deps: FeatureDeps,
  changedSince?: Date,
): Promise<{ bookingTimersPlanned: number }> {
  const now = deps.clock.now();
  const from = new Date(now.getTime() - 2 * 60 * 60_000);
  const until = new Date(now.getTime() + 60 * 24 * 60 * 60_000);
  const active = await deps.uow.run(async (r) =>
    changedSince
      ? (await r.bookings.changedSince({ since: changedSince, startsAfter: from })).filter(
          (b) => b.status === 'active' && b.slotStart.getTime() <= until.getTime(),
        )
      : r.bookings.listByStart({ from, until, statuses: ['active'] }),
  );
  let planned = 0;
  for (const booking of active) {
    for (const timer of bookingTimers(booking, now)) {
      await deps.queue.enqueue('booking.timer', timer.data, {
        jobId: timer.jobId,
        delayMs: Math.max(0, timer.runAt - now.getTime()),
      });
      planned++;
    }
  }
  return { bookingTimersPlanned: planned };
}

/** How far back the sweep reads residents' changes whose alderman notice a lost queue may have lost. */
export const ALDERMAN_NOTICE_LOOKBACK_MS = 24 * 60 * 60_000;

/**
 * What residents did to bookings since `since`, read back from the bookings themselves, as the
 * jobs their turns queued (the same ids): a booking made (or, beside the booking it replaced and
 * at the same moment, moved to), and one cancelled by its resident (cancel or stop). A booking the
 * municipality cancelled is not among them: that notice goes with the cancellation.
 */
export function residentChanges(
  changed: readonly Booking[],
  byMunicipality: ReadonlySet<string>,
  since: Date,
): AldermanNoticeJob[] {
  // A move marks the old booking 'moved' at the moment it makes the new one (not the new one itself).
  const movedAway = changed.filter((m) => m.status === 'moved');
  const replaces = (b: Booking) =>
    movedAway.some(
      (m) =>
        m.id !== b.id &&
        m.residentKey === b.residentKey &&
        m.aldermanId === b.aldermanId &&
        m.updatedAt.getTime() === b.createdAt.getTime(),
    );
  const jobs: AldermanNoticeJob[] = [];
  for (const b of changed) {
    const view = { id: b.id, start: b.slotStart.getTime() };
    if (b.createdAt.getTime() >= since.getTime()) {
      const moved = replaces(b);
      jobs.push(aldermanNoticeJob(view, moved ? 'moved' : 'booked'));
    }
    if (b.status === 'cancelled' && !byMunicipality.has(b.id))
      jobs.push(aldermanNoticeJob(view, 'cancelled'));
  }
  return jobs;
}

/**
 * Puts back the jobs that tell aldermen of residents' bookings, moves and cancellations of the
 * last day, for slots still ahead. Only a Redis queue loses jobs (SQL jobs are kept with the data);
 * one that still holds a job (waiting, or kept after it ran) adds nothing for its id, and a job
 * that does run again finds its notices stored (event ids), so nobody hears anything twice.
 */
export async function sweepAldermanNotices(deps: FeatureDeps): Promise<{ aldermanNotices: number }> {
  if (deps.queue.driver !== 'bullmq') return { aldermanNotices: 0 };
  const now = deps.clock.now();
  const since = new Date(now.getTime() - ALDERMAN_NOTICE_LOOKBACK_MS);
  const { changed, cancellations } = await deps.uow.run(async (r) => ({
    // From `since`: the booking a move replaced may have started since; it still tells a move apart.
    changed: await r.bookings.changedSince({ since, startsAfter: since }),
    cancellations: await r.hoursCancellations.madeSince(since),
  }));
  // An undone cancellation gave its bookings back: a later cancellation of one is the resident's.
  const byMunicipality = new Set(
    cancellations.filter((c) => c.status !== 'undone').flatMap((c) => c.bookingIds),
  );
  const jobs = residentChanges(changed, byMunicipality, since).filter(
    (j) => j.data.slotStart > now.getTime(),
  );
  await deps.queue.enqueueMany(
    jobs.map((j) => ({ name: TELL_ALDERMAN_JOB, data: j.data, options: { jobId: j.jobId } })),
  );
  return { aldermanNotices: jobs.length };
}
