import { schedulingPrivacy } from './privacy.js';
import { defineFeature, type FeatureDeps } from '../../ports/feature.js';
import { listFreeSlots, schedulingContext } from './booking-service.js';
import { calendarFile } from './calendar.js';
import { cancelSessionAndTell } from './cancel-session.js';
import { bookingJobHandlers } from './jobs.js';
import { bookingServices } from './services.js';
import { sweepBookingTimers } from './sweeper.js';

/** What staff and the CLI do with consultation hours. */
function schedulingCommands(deps: FeatureDeps) {
  const m = deps.municipality;
  return {
    /** An alderman calls off a day: every booked resident is told, with new times. Returns how many. */
    cancelDay: (request: { aldermanId: string; localDate: string; reason?: string }) =>
      cancelSessionAndTell(deps, request),
    /** An alderman's free slots from now on. */
    freeSlots: (aldermanId: string) =>
      deps.uow.run((r) => listFreeSlots(r, schedulingContext(m, deps.clock.now()), { aldermanId })),
    /** A booking's calendar file by its unguessable token. */
    calendarFile: calendarFile(deps),
  };
}

/** Consultation hours: free slots, bookings, reminders, the live session and its end. */
export const schedulingFeature = defineFeature({
  name: 'scheduling',
  services: (deps) => bookingServices(deps.publicUrl),
  commands: schedulingCommands,
  jobs: (deps) => bookingJobHandlers(deps),
  sweep: (deps) => sweepBookingTimers(deps),
  privacy: schedulingPrivacy,
});
