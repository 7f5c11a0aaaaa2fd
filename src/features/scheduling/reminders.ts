import type { Booking } from '../../ports/booking-repository.js';

export type ReminderKind = 'day-before' | 'hour-before';

/** One reminder job to schedule. The id changes with the booking and its slot start. */
export interface PlannedReminder {
  jobId: string;
  kind: ReminderKind;
  runAt: Date;
  /** What the job's data should carry, so that the handler can tell whether it is stale. */
  bookingId: string;
  slotStart: Date;
}

const LEAD_MS: Record<ReminderKind, number> = {
  'day-before': 24 * 60 * 60_000,
  'hour-before': 60 * 60_000,
};

/**
 * The reminders an active booking still needs at `now`: a day before and an hour before the slot,
 * leaving out those whose time has passed. Enqueue each with its `jobId` (idempotent).
 */
export function reminderPlan(
  booking: Pick<Booking, 'id' | 'slotStart' | 'status'>,
  now: Date,
): PlannedReminder[] {
  if (booking.status !== 'active') return [];
  return (Object.keys(LEAD_MS) as ReminderKind[])
    .map((kind) => ({
      jobId: reminderJobId(booking.id, kind, booking.slotStart),
      kind,
      runAt: new Date(booking.slotStart.getTime() - LEAD_MS[kind]),
      bookingId: booking.id,
      slotStart: booking.slotStart,
    }))
    .filter((r) => r.runAt > now);
}

/** The job id of a reminder: booking, kind and slot start (no ':' — BullMQ refuses it in custom ids). */
export function reminderJobId(bookingId: string, kind: ReminderKind, slotStart: Date): string {
  return `reminder.${kind}.${bookingId}.${slotStart.getTime()}`;
}

/**
 * True when a reminder should still be sent: the booking exists, is active, still starts at the
 * slot the reminder was planned for, and has not started yet. Anything else means it is stale.
 */
export function reminderIsCurrent(
  reminder: { bookingId: string; slotStart: Date | string | number },
  booking: Booking | undefined,
  now: Date,
): boolean {
  if (!booking || booking.id !== reminder.bookingId || booking.status !== 'active') return false;
  return booking.slotStart.getTime() === new Date(reminder.slotStart).getTime() && now < booking.slotStart;
}
