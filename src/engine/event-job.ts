import type { Notifier } from '../ports/notifier.js';
import type { JobHandler } from '../ports/queue.js';
import type { Address } from '../shared/address.js';

/** The job name of a timed event for one conversation (a pause, a notice to the other side). */
export const CONVERSATION_EVENT = 'conversation.event';

/** A timed event for one conversation, as queue job data: handed to the engine when it runs. */
export interface ConversationEventJob {
  address: Address;
  name: string;
  payload: object;
  /** Makes the event idempotent: the same id reaches the conversation once. */
  eventId: string;
}

/** Runs `conversation.event` jobs: the event goes to its conversation through the engine. */
export function conversationEventHandler(notifier: Notifier): JobHandler<ConversationEventJob> {
  return async (job) => {
    const { address, name, payload, eventId } = job.data;
    await notifier.notify(address, name, payload, eventId);
  };
}
