import type { AldermanChange, SchedulingJobs } from './events.js';

/** The job name that tells a booking's alderman of what the resident did. */
export const TELL_ALDERMAN_JOB = 'booking.tell-alderman';

/** One such job as it goes on the queue. */
export interface AldermanNoticeJob {
  jobId: string;
  data: SchedulingJobs['booking.tell-alderman'];
}

/**
 * The job that tells a booking's alderman that the resident booked it, moved to it or cancelled
 * it. Its id is per change, booking and slot start, so the resident's turn and the sweep that puts
 * lost jobs back make the same job.
 */
export function aldermanNoticeJob(
  booking: { id: string; start: number },
  change: AldermanChange,
): AldermanNoticeJob {
  return {
    jobId: `${TELL_ALDERMAN_JOB}.${change}.${booking.id}.${booking.start}`,
    data: { bookingId: booking.id, change, slotStart: booking.start },
  };
}
