import type { Address } from '../shared/address.js';
import type { Choice } from './messages.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from './personal-data.js';

/** A message a channel could not send yet (WhatsApp's 24-hour window) and sends when the person writes. */
export interface HeldMessage {
  id: number;
  /** The outbox item it came from (its delivery state is updated), or null. */
  outboxId: number | null;
  to: Address;
  text: string;
  choices?: Choice[];
  heldAt: Date;
}

/** What a notice was: the event that made the service write (a reminder, an answer), with its payload. */
export interface NoticeCause {
  name: string;
  payload: Record<string, unknown>;
}

/**
 * Messages held until the person writes again, and what a channel with a customer-service window
 * needs to know: when the person last wrote, and which event an outgoing message answers.
 */
export interface HeldMessageRepository {
  /** Holds a message; holding the same outbox item twice keeps one. */
  hold(item: {
    to: Address;
    outboxId: number | null;
    text: string;
    choices?: Choice[];
    now: Date;
  }): Promise<void>;
  /** The messages held for one address, oldest first. */
  heldFor(address: Address, limit: number): Promise<HeldMessage[]>;
  /** Forgets a held message once it was sent. */
  release(id: number): Promise<void>;
  /** When the person last wrote to the service on this address (their own message, not an event). */
  lastMessageAt(address: Address): Promise<Date | null>;
  /** The event behind an outbox message (a reminder, an answer, a cancelled session), or null. */
  noticeOf(outboxId: number): Promise<NoticeCause | null>;
  /** Retention: messages held since before the batch's moment. */
  purge(batch: PurgeBatch): Promise<number>;
  /** The messages held for the resident (AVG access request). */
  personalData(subject: DataSubject): Promise<StoredRows>;
  /** Deletes the messages held for the resident (AVG erasure). */
  erasePersonalData(subject: DataSubject): Promise<Counts>;
}
