import type { FeatureDeps } from '../../ports/feature.js';
import { bookingTimers } from './views.js';

/**
 * Puts every active booking's timers on the queue again. Job ids are idempotent, so timers that
 * exist are left alone; timers a Redis restart lost come back. Reminders whose time passed are not
 * planned again, and every notice carries an event id, so nobody hears anything twice.
 */
export async function sweepBookingTimers(deps: FeatureDeps): Promise<{ timers: number }> {
  const now = deps.clock.now();
  const from = new Date(now.getTime() - 2 * 60 * 60_000);
  const until = new Date(now.getTime() + 60 * 24 * 60 * 60_000);
  const active = await deps.uow.run((r) => r.bookings.listByStart({ from, until, statuses: ['active'] }));
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
  return { timers: planned };
}
