import type { Address } from '../engine/messages.js';
import type { JobHandler } from '../ports/queue.js';
import { bookingJobHandlers, type BookingJobDeps } from '../features/scheduling/jobs.js';
import { caseJobHandlers, type CaseJobDeps } from '../features/cases/jobs.js';

/** A timed event for one conversation (a reminder, a slot starting): handed to the engine. */
export interface ConversationEventJob {
  address: Address;
  name: string;
  payload: Record<string, unknown>;
  /** Makes the event idempotent: the same id reaches the conversation once. */
  eventId: string;
}

export type JobDeps = CaseJobDeps & BookingJobDeps;

/** Every job handler, by job name. A feature adds its handlers here. */
export function createJobHandlers(deps: JobDeps): Record<string, JobHandler<never>> {
  const conversationEvent: JobHandler<ConversationEventJob> = async (job) => {
    const { address, name, payload, eventId } = job.data;
    await deps.engine.notify(address, name, payload, eventId);
  };
  return {
    'conversation.event': conversationEvent,
    ...caseJobHandlers(deps),
    ...bookingJobHandlers(deps),
  };
}
