import { CONVERSATION_EVENT, type ConversationEventJob, type Notifier } from '../ports/notifier.js';
import type { JobHandler } from '../ports/queue.js';

/** Runs `conversation.event` jobs: the event goes to its conversation through the engine. */
export function conversationEventHandler(notifier: Notifier): JobHandler<ConversationEventJob> {
  return async (job) => {
    const { address, name, payload, eventId } = job.data;
    await notifier.notify(address, name, payload, eventId);
  };
}

export { CONVERSATION_EVENT, type ConversationEventJob };
