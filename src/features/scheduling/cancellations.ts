import { randomUUID } from 'node:crypto';
import type { Booking } from '../../ports/booking-repository.js';
import type { FeatureDeps } from '../../ports/feature.js';
import type { HoursCancellation } from '../../ports/hours-cancellation-repository.js';
import type { EventsNotifier } from '../../ports/notifier.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { addressOfKey } from '../../shared/address.js';
import { bookingSubject, hoursDaySubject } from '../../shared/audit-subjects.js';
import { DomainError } from '../../shared/errors.js';
import { localDateOf } from '../../shared/local-date.js';
import { cancelSession, type SchedulingContext } from './booking-service.js';
import { loadSchedulingContext } from './hours-store.js';
import { findSlot } from './slots.js';
import { storeMunicipalityCancelled } from './alderman-notices.js';
import type { SchedulingEvents } from './events.js';
import { bookingTimers, bookingView } from './views.js';

/** The job that tells the residents of a cancellation once its grace period is over. */
export const TELL_CANCELLED_JOB = 'hours.tell-cancelled';
export interface TellCancelledJob {
  cancellationId: string;
}

type Repos = Pick<Repositories, 'bookings' | 'hoursCancellations' | 'audit' | 'hours'>;

/** What staff asked: who, why, and (for the audit log) as whom. */
interface CancelRequest {
  reason?: string;
  /** `staff:<account id>` or `cli`. */
  actor: string;
}

/** What a cancellation did: the record (with its id for undo, and when residents are told) and the bookings. */
export interface CancellationResult {
  cancellation: HoursCancellation;
  bookings: Booking[];
}

function dayLockKey(aldermanId: string, localDate: string): string {
  return `booking-day:${aldermanId}:${localDate}`;
}

/**
 * An alderman cancels one booking (no change deadline applies to staff), until its slot starts.
 * With `aldermanId`, only that alderman's booking is found. Run it in `uow.transaction`.
 */
export async function cancelOneBooking(
  repos: Pick<Repositories, 'bookings'>,
  ctx: SchedulingContext,
  request: { bookingId: string; aldermanId?: string },
): Promise<Booking> {
  const found = await repos.bookings.findById(request.bookingId);
  if (!found || (request.aldermanId !== undefined && found.aldermanId !== request.aldermanId))
    throw new DomainError('booking.not-found');
  await repos.bookings.lock(
    dayLockKey(found.aldermanId, localDateOf(found.slotStart, ctx.timeZone)),
    'exclusive',
  );
  if (found.slotStart.getTime() <= ctx.now.getTime()) throw new DomainError('booking.started');
  if (!(await repos.bookings.transition(found.id, 'active', 'cancelled', ctx.now)))
    throw new DomainError('booking.not-active');
  return { ...found, status: 'cancelled', updatedAt: ctx.now };
}

/**
 * Gives back what a cancellation took, in one transaction with the claim pending → undone: the
 * called-off day is offered again and every booking is active again. A booking whose slot another
 * resident took meanwhile cannot come back: then nothing is undone ('booking.slot-taken'). Nor can
 * one whose slot the hours no longer have (staff changed the hours and cancelled the bookings that
 * fell outside): it would stand on a session that does not take place, and nobody would tell the
 * resident ('booking.no-slot').
 */
async function restore(repos: Repos, c: HoursCancellation, ctx: SchedulingContext): Promise<Booking[]> {
  const restored: Booking[] = [];
  for (const id of c.bookingIds) {
    const b = await repos.bookings.findById(id);
    if (!b || b.status !== 'cancelled') continue;
    const slot = findSlot(ctx.hours, {
      aldermanId: b.aldermanId,
      start: b.slotStart,
      timeZone: ctx.timeZone,
      holidays: ctx.holidays,
    });
    if (!slot) throw new DomainError('booking.no-slot');
    await repos.bookings.lock(dayLockKey(b.aldermanId, localDateOf(b.slotStart, ctx.timeZone)), 'exclusive');
    const holder = await repos.bookings.listByStart({
      from: b.slotStart,
      until: new Date(b.slotStart.getTime() + 1),
      aldermanId: b.aldermanId,
      statuses: ['active'],
    });
    if (holder.length > 0) throw new DomainError('booking.slot-taken');
    await repos.bookings.transition(b.id, 'cancelled', 'active', ctx.now);
    restored.push({ ...b, status: 'active', updatedAt: ctx.now });
  }
  if (c.date !== null) await repos.bookings.removeCancelledDay({ aldermanId: c.aldermanId, date: c.date });
  return restored;
}

/**
 * Called-off days and bookings, told to the residents after `deps.cancelGraceMs` (a job on the
 * queue), so a mistake can be undone before anyone hears of it. With no grace, residents are told
 * at once. The tell job claims the cancellation (pending → told) and undo claims it (pending →
 * undone) in the database: exactly one of them wins, whatever the timing.
 */
export function cancellationCommands(deps: FeatureDeps) {
  const notifier: EventsNotifier<SchedulingEvents> = deps.notifier;
  const ctxIn = (r: Repos) => loadSchedulingContext(r, deps.municipality, deps.clock.now());

  async function record(
    r: Repos,
    ctx: SchedulingContext,
    fields: Pick<HoursCancellation, 'aldermanId' | 'date'> & CancelRequest,
    bookings: Booking[],
  ): Promise<HoursCancellation> {
    const c: HoursCancellation = {
      id: randomUUID(),
      aldermanId: fields.aldermanId,
      date: fields.date,
      bookingIds: bookings.map((b) => b.id),
      reason: fields.reason ?? null,
      status: 'pending',
      tellAt: new Date(ctx.now.getTime() + deps.cancelGraceMs),
      actor: fields.actor,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    };
    await r.hoursCancellations.insert(c);
    await r.audit.append(
      {
        actor: fields.actor,
        action: fields.date !== null ? 'hours.cancel-day' : 'hours.cancel-booking',
        subject:
          fields.date !== null
            ? hoursDaySubject(fields.aldermanId, fields.date)
            : bookingSubject(bookings[0]?.reference ?? ''),
        detail: {
          cancellation: c.id,
          reason: c.reason,
          bookings: bookings.map((b) => b.reference),
          tellAt: c.tellAt.toISOString(),
        },
      },
      ctx.now,
    );
    return c;
  }

  /** Puts the tell job on the queue (or tells at once without a grace period). */
  async function schedule(c: HoursCancellation): Promise<void> {
    if (deps.cancelGraceMs === 0) {
      await tell(c.id);
      return;
    }
    await deps.queue.enqueue<TellCancelledJob>(
      TELL_CANCELLED_JOB,
      { cancellationId: c.id },
      {
        jobId: `${TELL_CANCELLED_JOB}.${c.id}`,
        delayMs: Math.max(0, c.tellAt.getTime() - deps.clock.now().getTime()),
      },
    );
  }

  /**
   * Tells every resident of a cancellation (an apology and new times), and the alderman's linked
   * chats in one notice, unless it was undone. A retried job tells again: the event ids make each
   * resident and chat hear it once.
   */
  async function tell(cancellationId: string): Promise<number> {
    const now = deps.clock.now();
    const claimed = await deps.uow.transaction(async (r) => {
      const c = await r.hoursCancellations.findById(cancellationId);
      if (!c || c.status === 'undone') return null;
      if (c.status === 'pending' && !(await r.hoursCancellations.transition(c.id, 'pending', 'told', now)))
        return null;
      const found = await Promise.all(c.bookingIds.map((id) => r.bookings.findById(id)));
      const bookings = found.filter((b): b is Booking => b?.status === 'cancelled');
      // The alderman's notice commits with the claim: a lost job or a crash after it loses nothing.
      const aldermen = await storeMunicipalityCancelled(deps, r, c, bookings, now);
      return { c, bookings, aldermen };
    });
    if (!claimed) return 0;
    for (const address of claimed.aldermen) await deps.notifier.handOver(address);
    for (const booking of claimed.bookings) {
      for (const timer of bookingTimers({ ...booking, status: 'active' }, now))
        await deps.queue.cancel(timer.jobId).catch(() => false);
      const payload = {
        booking: bookingView(booking, deps.publicUrl),
        reason: claimed.c.reason,
        ...(claimed.c.date === null ? { one: true } : {}),
      };
      await notifier.notify(
        addressOfKey(booking.residentKey),
        'booking.cancelled',
        payload,
        `cancelled:${booking.id}`,
      );
    }
    return claimed.bookings.length;
  }

  async function cancelBookings(
    request: { bookingIds: string[]; aldermanId?: string } & CancelRequest,
  ): Promise<CancellationResult> {
    const result = await deps.uow.transaction(async (r) => {
      const ctx = await ctxIn(r);
      const bookings: Booking[] = [];
      for (const bookingId of request.bookingIds)
        bookings.push(await cancelOneBooking(r, ctx, { ...request, bookingId }));
      const aldermanId = bookings[0]?.aldermanId;
      if (aldermanId === undefined || bookings.some((b) => b.aldermanId !== aldermanId))
        throw new DomainError('booking.not-found');
      const cancellation = await record(r, ctx, { ...request, aldermanId, date: null }, bookings);
      return { cancellation, bookings };
    });
    await schedule(result.cancellation);
    return result;
  }

  return {
    /**
     * An alderman calls off a day (the `hours cancel` behaviour, from the CLI and the dashboard):
     * the day is no longer offered, its bookings are cancelled, and every booked resident is told,
     * with new times, once the grace period is over.
     */
    cancelDay: async (
      request: { aldermanId: string; localDate: string } & CancelRequest,
    ): Promise<CancellationResult> => {
      const result = await deps.uow.transaction(async (r) => {
        const ctx = await ctxIn(r);
        const bookings = await cancelSession(r, ctx, request);
        const cancellation = await record(r, ctx, { ...request, date: request.localDate }, bookings);
        return { cancellation, bookings };
      });
      await schedule(result.cancellation);
      return result;
    },

    /** Staff cancel one booking with a reason; the resident is told after the grace period. */
    cancelBooking: (request: { bookingId: string; aldermanId?: string } & CancelRequest) =>
      cancelBookings({ ...request, bookingIds: [request.bookingId] }),

    /** Staff cancel some bookings of one alderman (hours changed under them); told after the grace period. */
    cancelBookings,

    /**
     * Takes a cancellation back while no resident has been told: the day and the bookings return
     * as they were. Refused ('hours.already-told', 'hours.already-undone', 'booking.slot-taken')
     * otherwise. With `aldermanId`, only that alderman's cancellation is found.
     */
    undo: async (request: {
      cancellationId: string;
      aldermanId?: string;
      actor: string;
    }): Promise<HoursCancellation> => {
      const now = deps.clock.now();
      const { c, restored } = await deps.uow.transaction(async (r) => {
        const ctx = await ctxIn(r);
        const c = await r.hoursCancellations.findById(request.cancellationId);
        if (!c || (request.aldermanId !== undefined && c.aldermanId !== request.aldermanId))
          throw new DomainError('hours.cancellation-not-found');
        if (!(await r.hoursCancellations.transition(c.id, 'pending', 'undone', ctx.now)))
          throw new DomainError(c.status === 'undone' ? 'hours.already-undone' : 'hours.already-told');
        const restored = await restore(r, c, ctx);
        await r.audit.append(
          {
            actor: request.actor,
            action: 'hours.undo',
            subject:
              c.date !== null
                ? hoursDaySubject(c.aldermanId, c.date)
                : bookingSubject(restored[0]?.reference ?? ''),
            detail: { cancellation: c.id, bookings: restored.map((b) => b.reference) },
          },
          ctx.now,
        );
        return { c: { ...c, status: 'undone' as const, updatedAt: ctx.now }, restored };
      });
      await deps.queue.cancel(`${TELL_CANCELLED_JOB}.${c.id}`).catch(() => false);
      // Timers that ran during the grace period found the booking cancelled: plan them again.
      for (const booking of restored)
        for (const timer of bookingTimers(booking, now))
          await deps.queue.enqueue('booking.timer', timer.data, {
            jobId: timer.jobId,
            delayMs: Math.max(0, timer.runAt - now.getTime()),
          });
      return c;
    },

    /** Cancellations whose residents have not been told yet (of one alderman if given). */
    pending: (aldermanId?: string) =>
      deps.uow.run((r) => r.hoursCancellations.pending(aldermanId !== undefined ? { aldermanId } : {})),

    tell,

    /** Puts back tell jobs a lost queue forgot: pending cancellations whose time has come. */
    sweep: async (): Promise<{ cancellations: number }> => {
      const due = await deps.uow.run((r) => r.hoursCancellations.pending({ dueBy: deps.clock.now() }));
      for (const c of due) await schedule({ ...c, tellAt: deps.clock.now() });
      return { cancellations: due.length };
    },
  };
}

export type CancellationCommands = ReturnType<typeof cancellationCommands>;
