import { schedulingPrivacy } from './privacy.js';
import { defineFeature, type FeatureDeps } from '../../ports/feature.js';
import type { JobHandler } from '../../ports/queue.js';
import { agenda } from './agenda.js';
import { listFreeSlots } from './booking-service.js';
import { loadSchedulingContext } from './hours-store.js';
import { calendarFile } from './calendar.js';
import { cancellationCommands, TELL_CANCELLED_JOB, type TellCancelledJob } from './cancellations.js';
import { hoursAdminCommands } from './hours-admin.js';
import { bookingJobHandlers } from './jobs.js';
import { tellAldermanJob } from './alderman-notices.js';
import { TELL_ALDERMAN_JOB } from './alderman-jobs.js';
import { liveSessionCommands } from './live-session.js';
import { bookingServices } from './services.js';
import { sweepAldermanNotices, sweepBookingTimers } from './sweeper.js';

/** What staff and the CLI do with consultation hours. */
function schedulingCommands(deps: FeatureDeps) {
  const m = deps.municipality;
  const cancellations = cancellationCommands(deps);
  return {
    /** An alderman calls off a day: every booked resident is told, with new times, after the grace period. */
    cancelDay: cancellations.cancelDay,
    /** Staff cancel one booking with a reason: the resident is told, with new times, after the grace period. */
    cancelBooking: cancellations.cancelBooking,
    /** Takes back a cancellation whose residents have not been told yet. */
    undoCancellation: cancellations.undo,
    /** Cancellations not told yet (they can still be undone). */
    pendingCancellations: cancellations.pending,
    /** The consultation hours as staff manage them in the dashboard (over data/hours.json). */
    hours: hoursAdminCommands(deps, cancellations),
    /** The coming days of one alderman (or all): sessions, bookings, called-off days. */
    agenda: (aldermanId?: string) =>
      deps.uow.run(async (r) =>
        agenda(
          r,
          await loadSchedulingContext(r, m, deps.clock.now()),
          aldermanId !== undefined ? { aldermanId } : {},
        ),
      ),
    /** An alderman's free slots from now on. */
    freeSlots: (aldermanId: string) =>
      deps.uow.run(async (r) =>
        listFreeSlots(r, await loadSchedulingContext(r, m, deps.clock.now()), { aldermanId }),
      ),
    /** An alderman's live chat sessions run from the dashboard (the same session as from their chat). */
    live: liveSessionCommands(deps),
    /** A booking's calendar file by its unguessable token. */
    calendarFile: calendarFile(deps),
  };
}

/** Consultation hours: free slots, bookings, reminders, the live session and its end. */
export const schedulingFeature = defineFeature({
  name: 'scheduling',
  services: (deps) => bookingServices(deps.publicUrl),
  commands: schedulingCommands,
  jobs: (deps) => {
    const tell: JobHandler<TellCancelledJob> = async (job) => {
      await cancellationCommands(deps).tell(job.data.cancellationId);
    };
    return {
      ...bookingJobHandlers(deps),
      [TELL_CANCELLED_JOB]: tell,
      [TELL_ALDERMAN_JOB]: tellAldermanJob(deps),
    };
  },
  sweep: async (deps, pass) => ({
    // Every booking's timers and the day's notices on a restoring pass (the outbox and the jobs'
    // retries cover a crash, not a queue that lost its data); otherwise the timers of bookings changed
    // since the last pass (an undone cancellation plans them after its commit).
    ...(await sweepBookingTimers(deps, pass.restore ? undefined : pass.changedSince)),
    ...(pass.restore ? await sweepAldermanNotices(deps) : {}),
    ...(await cancellationCommands(deps).sweep()),
  }),
  privacy: schedulingPrivacy,
});
