import type { Address } from '../shared/address.js';
import type { ConversationRepository } from './conversation-repository.js';

/** The repositories an event is stored with: the caller's, inside its transaction. */
export interface NotifierRepositories {
  readonly conversations: ConversationRepository;
}

/**
 * Hands an event (a timer, a notice from staff) to one conversation: the engine implements it.
 * The `eventId` makes it idempotent: the same id reaches the conversation once.
 */
export interface Notifier {
  notify(address: Address, name: string, payload: object, eventId: string): Promise<void>;
  /**
   * Stores the event with the caller's repositories, so it commits with the caller's transaction
   * (or not at all); `handOver` after the commit lets the conversation handle it. A stored event
   * is handled also when the hand-over never comes (the conversation's next drain, or recovery).
   */
  storeEvent(
    repos: NotifierRepositories,
    address: Address,
    name: string,
    payload: object,
    eventId: string,
  ): Promise<void>;
  /** Handles what waits in the conversation (events stored by `storeEvent`), after their commit. */
  handOver(address: Address): Promise<void>;
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
  storeEvent<K extends keyof E & string>(
    repos: NotifierRepositories,
    address: Address,
    name: K,
    payload: E[K],
    eventId: string,
  ): Promise<void>;
  handOver(address: Address): Promise<void>;
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
