import type { EventsNotifier } from '../../ports/notifier.js';
import { addressOfKey } from '../../shared/address.js';
import type { FeatureDeps } from '../../ports/feature.js';
import { cancelSession, schedulingContext } from './booking-service.js';
import type { SchedulingEvents } from './events.js';
import { bookingTimers, bookingView } from './views.js';

/**
 * An alderman calls off a day's consultation hour: every booking that day is cancelled, its timers
 * dropped, and each resident hears it with an apology and new times to choose from.
 */
export async function cancelSessionAndTell(
  deps: FeatureDeps,
  request: { aldermanId: string; localDate: string; reason?: string },
): Promise<number> {
  const notifier: EventsNotifier<SchedulingEvents> = deps.notifier;
  const now = deps.clock.now();
  const ctx = schedulingContext(deps.municipality, now);
  const cancelled = await deps.uow.transaction((r) => cancelSession(r, ctx, request));
  for (const booking of cancelled) {
    for (const timer of bookingTimers({ ...booking, status: 'active' }, now))
      await deps.queue.cancel(timer.jobId).catch(() => false);
    const payload = { booking: bookingView(booking, deps.publicUrl), reason: request.reason ?? null };
    await notifier.notify(
      addressOfKey(booking.residentKey),
      'booking.cancelled',
      payload,
      `cancelled:${booking.id}`,
    );
  }
  return cancelled.length;
}
