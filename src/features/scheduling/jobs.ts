import type { EventsNotifier } from '../../ports/notifier.js';
import type { JobHandler } from '../../ports/queue.js';
import { addressOfKey, onDashboard } from '../../shared/address.js';
import type { FeatureDeps, JobHandlers } from '../../ports/feature.js';
import { complete, markNoShow } from './booking-records.js';
import type { SchedulingEvents, SchedulingJobs } from './events.js';
import { aldermanSide, tellSessionEnded } from './live-session.js';
import { reminderIsCurrent } from './reminders.js';
import { bookingView } from './views.js';

/**
 * The booking's timers: reminders, the live session's start, the no-show check and the end. Each
 * first checks the booking is still the one it was planned for, so a moved or cancelled booking's
 * leftover timer does nothing, and every notice has an event id, so a retried job tells no one twice.
 */
export function bookingJobHandlers(deps: FeatureDeps): JobHandlers {
  const notifier: EventsNotifier<SchedulingEvents> = deps.notifier;
  const handler: JobHandler<SchedulingJobs['booking.timer']> = async (job) => {
    const { bookingId, kind, slotStart } = job.data;
    const now = deps.clock.now();
    const booking = await deps.uow.run((r) => r.bookings.findById(bookingId));
    if (!booking || booking.slotStart.getTime() !== slotStart) return;
    const view = bookingView(booking, deps.publicUrl);
    const resident = addressOfKey(booking.residentKey);
    const id = `${kind}:${booking.id}:${slotStart}`;
    if (kind === 'day-before' || kind === 'hour-before') {
      // A day-before reminder that comes late (after an outage) would say "tomorrow" on the day itself.
      const late = kind === 'day-before' && now.getTime() >= slotStart - 60 * 60_000;
      if (!late && reminderIsCurrent({ bookingId, slotStart }, booking, now)) {
        await notifier.notify(resident, 'booking.reminder', { booking: view, kind }, id);
      }
      return;
    }
    // The alderman's chat, or the dashboard when they linked none (they run the session from there).
    const side = await deps.uow.run((r) => aldermanSide(r, booking.aldermanId));
    const alderman = onDashboard(side) ? undefined : side;
    if (kind === 'start') {
      if (booking.status !== 'active') return;
      await notifier.notify(resident, 'live.start', { booking: view, role: 'resident', partner: side }, id);
      if (alderman)
        await notifier.notify(
          alderman,
          'live.start',
          { booking: view, role: 'alderman', partner: resident },
          id,
        );
      return;
    }
    if (kind === 'noshow') {
      // Read the transcript and mark in one transaction, so a message arriving at that moment counts.
      const marked = await deps.uow.transaction(async (r) => {
        const latest = await r.bookings.findById(booking.id);
        if (!latest || latest.transcript.some((line) => line.from === 'resident')) return false;
        return (
          latest.status === 'no_show' ||
          (latest.status === 'active' && (await markNoShow(r, latest.id, now)).ok)
        );
      });
      if (!marked) return;
      if (alderman) await notifier.notify(alderman, 'live.noshow', { booking: view }, id);
      await notifier.notify(resident, 'live.missed', { booking: view }, id);
      return;
    }
    if (booking.status === 'active' && !(await deps.uow.transaction((r) => complete(r, booking.id, now))).ok)
      return;
    if (booking.status !== 'active' && booking.status !== 'completed') return;
    await tellSessionEnded(deps, booking);
  };
  return { 'booking.timer': handler };
}
