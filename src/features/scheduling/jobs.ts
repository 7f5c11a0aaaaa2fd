import type { Engine } from '../../engine/engine.js';
import type { JobHandler } from '../../ports/queue.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import { complete, markNoShow } from './booking-records.js';
import type { Booking } from './booking.js';
import { reminderIsCurrent } from './reminders.js';
import type { Clock } from '../../shared/clock.js';
import { residentAddress } from '../cases/views.js';
import { bookingView, type BookingTimer } from './views.js';

export interface BookingJobDeps {
  engine: Engine;
  uow: UnitOfWork;
  clock: Clock;
  publicUrl: string;
}

/**
 * The booking's timers: reminders, the live session's start, the no-show check and the end. Each
 * first checks the booking is still the one it was planned for, so a moved or cancelled booking's
 * leftover timer does nothing, and every notice has an event id, so a retried job tells no one twice.
 */
export function bookingJobHandlers(deps: BookingJobDeps): Record<string, JobHandler<never>> {
  const handler: JobHandler<BookingTimer['data']> = async (job) => {
    const { bookingId, kind, slotStart } = job.data;
    const now = deps.clock.now();
    const booking = await deps.uow.run((r) => r.bookings.findById(bookingId));
    if (!booking || booking.slotStart.getTime() !== slotStart) return;
    const view = bookingView(booking, deps.publicUrl);
    const resident = residentAddress(booking.residentKey);
    const id = `${kind}:${booking.id}:${slotStart}`;
    if (kind === 'day-before' || kind === 'hour-before') {
      // A day-before reminder that comes late (after an outage) would say "tomorrow" on the day itself.
      const late = kind === 'day-before' && now.getTime() >= slotStart - 60 * 60_000;
      if (!late && reminderIsCurrent({ bookingId, slotStart }, booking, now)) {
        await deps.engine.notify(resident, 'booking.reminder', { booking: view, kind }, id);
      }
      return;
    }
    const alderman = await aldermanChat(deps, booking);
    if (kind === 'start') {
      if (booking.status !== 'active') return;
      await deps.engine.notify(
        resident,
        'live.start',
        { booking: view, role: 'resident', partner: alderman ?? null },
        id,
      );
      if (alderman)
        await deps.engine.notify(
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
      if (alderman) await deps.engine.notify(alderman, 'live.noshow', { booking: view }, id);
      await deps.engine.notify(resident, 'live.missed', { booking: view }, id);
      return;
    }
    if (booking.status === 'active' && !(await deps.uow.transaction((r) => complete(r, booking.id, now))).ok)
      return;
    if (booking.status !== 'active' && booking.status !== 'completed') return;
    await deps.engine.notify(
      resident,
      'live.end',
      { booking: view, role: 'resident' },
      `live-end:${booking.id}`,
    );
    if (alderman)
      await deps.engine.notify(
        alderman,
        'live.end',
        { booking: view, role: 'alderman' },
        `live-end:${booking.id}`,
      );
  };
  return { 'booking.timer': handler };
}

/** The chat the alderman linked most recently (a new phone replaces an old one). */
async function aldermanChat(deps: BookingJobDeps, booking: Booking) {
  const identities = await deps.uow.run((r) => r.staff.identitiesOf(booking.aldermanId));
  return identities.at(-1);
}
