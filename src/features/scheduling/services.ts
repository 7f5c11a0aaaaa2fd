import { defineServices, type ServiceEnvironment } from '../../ports/services.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { conversationKey } from '../../shared/address.js';
import { aldermanUpcoming } from './agenda.js';
import { appendTranscript, complete, rate, upcomingFor } from './booking-records.js';
import { book, cancel, listFreeSlots, move, type SchedulingContext } from './booking-service.js';
import { loadSchedulingContext } from './hours-store.js';
import { fitsWish, type SlotWish } from './slot-wish.js';
import { DomainError } from '../../shared/errors.js';
import { bookingTimers, bookingView, slotView, type BookingView } from './views.js';

type BookingRepos = Pick<Repositories, 'bookings' | 'hours'>;

/** The rules and the hours as they are now: data/hours.json with the dashboard's changes. */
const ctxOf = (repos: BookingRepos, env: ServiceEnvironment): Promise<SchedulingContext> =>
  loadSchedulingContext(repos, env.municipality, env.now);

/** A booking of this resident, or "not found" (another resident's booking is not found either). */
async function ownBooking(repos: BookingRepos, env: ServiceEnvironment, bookingId: string) {
  const b = await repos.bookings.findById(bookingId);
  if (!b || b.residentKey !== conversationKey(env.address)) throw new DomainError('booking.not-found');
  return b;
}

/**
 * A booking this resident holds (speaking as `resident`), or whose session the linked alderman
 * asking holds (speaking as `alderman`); anything else, a party speaking for the other side too,
 * is "not found".
 */
async function partyBooking(
  repos: BookingRepos,
  env: ServiceEnvironment,
  bookingId: string,
  from: 'resident' | 'alderman',
) {
  const b = await repos.bookings.findById(bookingId);
  const resident = b?.residentKey === conversationKey(env.address);
  const alderman = env.staff !== undefined && b?.aldermanId === env.staff.aldermanId;
  const owner = from === 'resident' ? resident : alderman;
  if (!b || !owner) throw new DomainError('booking.not-found');
  return b;
}

/** The consultation-hours services flows may call; `publicUrl` makes the calendar links. */
export function bookingServices(publicUrl: string) {
  return defineServices<BookingRepos>()({
    'bookings.free': async (
      repos,
      args: { aldermanId: string; after?: number; limit?: number; wish?: SlotWish },
      env,
    ) => {
      const from = args.after ? new Date(args.after + 1) : undefined;
      const ctx = await ctxOf(repos, env);
      const slots = await listFreeSlots(repos, ctx, {
        aldermanId: args.aldermanId,
        ...(from ? { from } : {}),
      });
      const { wish } = args;
      const fitting = wish ? slots.filter((s) => fitsWish(s, wish, ctx.timeZone)) : slots;
      return fitting.slice(0, args.limit ?? 5).map(slotView);
    },
    'bookings.book': async (
      repos,
      args: { aldermanId: string; start: number; topic: string; firstName?: string },
      env,
    ) => {
      const result = await book(repos, await ctxOf(repos, env), {
        residentFirstName: args.firstName ?? null,
        aldermanId: args.aldermanId,
        start: new Date(args.start),
        residentKey: conversationKey(env.address),
        topic: args.topic,
      });
      if (!result.ok) throw new DomainError(`booking.${result.reason}`);
      return {
        booking: bookingView(result.booking, publicUrl),
        timers: bookingTimers(result.booking, env.now),
      };
    },
    'bookings.move': async (repos, args: { bookingId: string; start: number }, env) => {
      const previous = await ownBooking(repos, env, args.bookingId);
      const result = await move(repos, await ctxOf(repos, env), {
        bookingId: previous.id,
        newStart: new Date(args.start),
        residentKey: previous.residentKey,
      });
      if (!result.ok) throw new DomainError(`booking.${result.reason}`);
      return {
        booking: bookingView(result.booking, publicUrl),
        timers: bookingTimers(result.booking, env.now),
        dropped: bookingTimers(previous, env.now).map((t) => t.jobId),
      };
    },
    'bookings.cancel': async (repos, args: { bookingId: string }, env) => {
      const b = await ownBooking(repos, env, args.bookingId);
      const result = await cancel(repos, await ctxOf(repos, env), {
        bookingId: b.id,
        residentKey: b.residentKey,
      });
      if (!result.ok) throw new DomainError(`booking.${result.reason}`);
      return {
        booking: bookingView(result.booking, publicUrl),
        dropped: bookingTimers(b, env.now).map((t) => t.jobId),
      };
    },
    'bookings.cancel-all': async (repos, _args: Record<string, never>, env) => {
      // Someone who stops wants no more messages: their appointments go, with their reminders.
      const dropped: string[] = [];
      const cancelled: BookingView[] = [];
      for (const b of await upcomingFor(repos, conversationKey(env.address), env.now)) {
        if (await repos.bookings.transition(b.id, 'active', 'cancelled', env.now)) {
          dropped.push(...bookingTimers(b, env.now).map((t) => t.jobId));
          cancelled.push(bookingView({ ...b, status: 'cancelled', updatedAt: env.now }, publicUrl));
        }
      }
      return { dropped, cancelled };
    },
    'bookings.upcoming': async (repos, _args: Record<string, never>, env) =>
      (await upcomingFor(repos, conversationKey(env.address), env.now)).map((b) => bookingView(b, publicUrl)),
    'bookings.alderman-upcoming': async (repos, args: { limit: number }, env) => {
      // Only the linked alderman's own bookings: a resident asking gets the same refusal as for "vragen".
      if (!env.staff) throw new DomainError('staff.only');
      return aldermanUpcoming(repos, await ctxOf(repos, env), {
        aldermanId: env.staff.aldermanId,
        limit: args.limit,
      });
    },
    'bookings.transcript': async (
      repos,
      args: { bookingId: string; from: 'resident' | 'alderman'; text: string },
      env,
    ) => {
      // Only the booking's resident and its alderman write in its transcript, each as themselves.
      const b = await partyBooking(repos, env, args.bookingId, args.from);
      return appendTranscript(repos, b.id, { from: args.from, text: args.text }, env.now);
    },
    'bookings.left': async (repos, args: { bookingId: string }, env) => {
      // Marked in the transcript, so the dashboard's page of the session tells the alderman.
      const b = await partyBooking(repos, env, args.bookingId, 'resident');
      return appendTranscript(repos, b.id, { from: 'system', text: '', event: 'resident-left' }, env.now);
    },
    'bookings.complete': async (repos, args: { bookingId: string }, env) => {
      const b = await repos.bookings.findById(args.bookingId);
      if (!b || !env.staff || b.aldermanId !== env.staff.aldermanId)
        throw new DomainError('booking.not-found');
      const result = await complete(repos, b.id, env.now);
      if (!result.ok) throw new DomainError(`booking.${result.reason}`);
      return bookingView(result.booking, publicUrl);
    },
    'bookings.rate': async (repos, args: { bookingId: string; rating: number }, env) => {
      await ownBooking(repos, env, args.bookingId);
      const result = await rate(repos, args.bookingId, args.rating, env.now);
      if (!result.ok) throw new DomainError(`booking.${result.reason}`);
      return true;
    },
  });
}
