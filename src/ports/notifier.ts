import type { Address } from '../shared/address.js';

/**
 * Hands an event (a timer, a notice from staff) to one conversation: the engine implements it.
 * The `eventId` makes it idempotent: the same id reaches the conversation once.
 */
export interface Notifier {
  notify(address: Address, name: string, payload: object, eventId: string): Promise<void>;
}

/**
 * A notifier seen through one feature's events (`E` maps event names to payloads), so what a
 * feature sends is checked against what the flows handle. Every Notifier is one.
 */
export interface EventsNotifier<E extends object> {
  notify<K extends keyof E & string>(
    address: Address,
    name: K,
    payload: E[K],
    eventId: string,
  ): Promise<void>;
}

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
