import { aldermanOf, type Role } from '../accounts/roles.js';
import type { Booking } from '../../ports/booking-repository.js';
import type { HoursCancellation } from '../../ports/hours-cancellation-repository.js';
import type { EventsNotifier } from '../../ports/notifier.js';
import type { Erasure } from '../../ports/privacy.js';
import type { JobHandler } from '../../ports/queue.js';
import type { FeatureDeps } from '../../ports/feature.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import type { Address } from '../../shared/address.js';
import { aldermanBookingView } from './agenda.js';
import type { SchedulingEvents, SchedulingJobs } from './events.js';

/**
 * Tells every chat the booking's alderman linked that a resident booked, moved or cancelled it. It
 * runs as a job after the resident's turn, so the resident's reply never waits for it; the event id
 * (booking, change, slot start, chat) makes a retried job tell no one twice. A job that runs after
 * the slot started (a queue that was down, the sweep's late copy) tells nothing: it is past; nor
 * does a booking's or move's job once the booking was cancelled or moved again (that job tells).
 */
export function tellAldermanJob(deps: FeatureDeps): JobHandler<SchedulingJobs['booking.tell-alderman']> {
  const notifier: EventsNotifier<SchedulingEvents> = deps.notifier;
  return async (job) => {
    const { bookingId, change, slotStart } = job.data;
    const told = await deps.uow.transaction(async (r) => {
      const booking = await r.bookings.findById(bookingId);
      if (!booking || booking.slotStart.getTime() <= deps.clock.now().getTime()) return [];
      // A booking cancelled or moved on before its notice ran: that later change is what to tell.
      if (change !== 'cancelled' && booking.status !== 'active') return [];
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

/**
 * Whether the alderman cancelled it themselves, from their own dashboard account (role
 * `alderman:<id>`); the CLI and other accounts are the municipality.
 */
async function cancelledByTheAlderman(
  r: Pick<Repositories, 'accounts'>,
  c: Pick<HoursCancellation, 'actor' | 'aldermanId'>,
): Promise<boolean> {
  if (!c.actor.startsWith('staff:')) return false;
  const account = await r.accounts.byId(c.actor.slice('staff:'.length));
  return account !== null && aldermanOf(account.role as Role) === c.aldermanId;
}

/**
 * Stores one notice for every chat the alderman linked: the municipality (an operator, the CLI, the
 * hours changed under them) cancelled these bookings of theirs, all in one message rather than one
 * per booking. Bookings whose slot started are left out; none left, no notice. Nor is there one
 * when the alderman cancelled them themselves: "De gemeente heeft … afgezegd" would be wrong, and
 * the dashboard where they did it said it is done (with the undo). Run it in the transaction that
 * claims the cancellation; hand the returned chats over after the commit.
 */
export async function storeMunicipalityCancelled(
  deps: Pick<FeatureDeps, 'notifier'>,
  r: Pick<Repositories, 'staff' | 'conversations' | 'accounts'>,
  c: HoursCancellation,
  bookings: readonly Booking[],
  now: Date,
): Promise<Address[]> {
  const ahead = bookings.filter((b) => b.slotStart.getTime() > now.getTime());
  if (ahead.length === 0 || (await cancelledByTheAlderman(r, c))) return [];
  const notifier: EventsNotifier<SchedulingEvents> = deps.notifier;
  const identities = await r.staff.identitiesOf(c.aldermanId);
  const payload = { bookings: ahead.map(aldermanBookingView), reason: c.reason };
  for (const address of identities) {
    const id = `hours-cancelled:${c.id}:${address.channel}:${address.userId}`;
    await notifier.storeEvent(r, address, 'booking.alderman-cancelled', payload, id);
  }
  return identities;
}

/**
 * Stores, through the erasure, a notice for every chat of the alderman of each upcoming booking of
 * the resident whose data is being erased: the erasure cancels those bookings. Only the slot is
 * said (no name, no topic: they are erased with the rest). Run it before the bookings are erased.
 */
export async function storeErasedBookings(
  r: Pick<Repositories, 'bookings' | 'staff'>,
  residentKey: string,
  erasure: Erasure,
): Promise<void> {
  const tell = (address: Address, payload: SchedulingEvents['booking.alderman-erased'], id: string) =>
    erasure.tell(address, 'booking.alderman-erased', payload, id);
  for (const b of await r.bookings.activeForResident(residentKey, erasure.now)) {
    if (b.slotStart.getTime() <= erasure.now.getTime()) continue;
    const slot = { start: b.slotStart.getTime(), kind: b.kind, place: b.place };
    for (const address of await r.staff.identitiesOf(b.aldermanId))
      await tell(address, { slot }, `erased:${b.id}:${address.channel}:${address.userId}`);
  }
}
