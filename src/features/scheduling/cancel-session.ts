import type { Engine } from '../../engine/engine.js';
import type { Municipality } from '../../municipality/municipality.js';
import type { JobQueue } from '../../ports/queue.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import { cancelSession } from './booking-service.js';
import type { Clock } from '../../shared/clock.js';
import { bookingTimers, bookingView } from './views.js';
import { residentAddress } from '../cases/views.js';

export interface CancelSessionDeps {
  engine: Engine;
  uow: UnitOfWork;
  queue: JobQueue;
  clock: Clock;
  municipality: Municipality;
  publicUrl: string;
}

/**
 * An alderman calls off a day's consultation hour: every booking that day is cancelled, its timers
 * dropped, and each resident hears it with an apology and new times to choose from.
 */
export async function cancelSessionAndTell(
  deps: CancelSessionDeps,
  request: { aldermanId: string; localDate: string; reason?: string },
): Promise<number> {
  const now = deps.clock.now();
  const ctx = { hours: deps.municipality.hours, timeZone: deps.municipality.timeZone, now };
  const cancelled = await deps.uow.transaction((r) => cancelSession(r, ctx, request));
  for (const booking of cancelled) {
    for (const timer of bookingTimers({ ...booking, status: 'active' }, now))
      await deps.queue.cancel(timer.jobId).catch(() => false);
    const payload = { booking: bookingView(booking, deps.publicUrl), reason: request.reason ?? null };
    await deps.engine.notify(
      residentAddress(booking.residentKey),
      'booking.cancelled',
      payload,
      `cancelled:${booking.id}`,
    );
  }
  return cancelled.length;
}
