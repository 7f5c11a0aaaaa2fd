import type { EventsNotifier } from '../../ports/notifier.js';
import type { JobHandler } from '../../ports/queue.js';
import type { FeatureDeps } from '../../ports/feature.js';
import { aldermanBookingView } from './agenda.js';
import type { SchedulingEvents, SchedulingJobs } from './events.js';

/**
 * Tells every chat the booking's alderman linked that a resident booked, moved or cancelled it. It
 * runs as a job after the resident's turn, so the resident's reply never waits for it; the event id
 * (booking, change, slot start, chat) makes a retried job tell no one twice.
 */
export function tellAldermanJob(deps: FeatureDeps): JobHandler<SchedulingJobs['booking.tell-alderman']> {
  const notifier: EventsNotifier<SchedulingEvents> = deps.notifier;
  return async (job) => {
    const { bookingId, change, slotStart } = job.data;
    const told = await deps.uow.transaction(async (r) => {
      const booking = await r.bookings.findById(bookingId);
      if (!booking) return [];
      const identities = await r.staff.identitiesOf(booking.aldermanId);
      const payload = { booking: aldermanBookingView(booking), change };
      for (const address of identities) {
        const id = `booking-${change}:${bookingId}:${slotStart}:${address.channel}:${address.userId}`;
        await notifier.storeEvent(r, address, 'booking.alderman', payload, id);
      }
      return identities;
    });
    for (const address of told) await deps.notifier.handOver(address);
  };
}
