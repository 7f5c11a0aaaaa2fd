import type { Address } from '../shared/address.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from './personal-data.js';

/** A resident who asked for a person: waiting in the queue, or taken over by an operator. */
export interface WebcareRequest {
  conversationKey: string;
  address: Address;
  /** When the resident asked (the waiting time counts from here). */
  askedAt: Date;
  /** What the resident was told when they asked (outside office hours: when someone comes back). */
  promise: string;
  /** Whether the resident asked outside office hours. */
  closed: boolean;
  /** The operator who took the conversation over, or null while it waits. */
  operatorId: string | null;
  takenAt: Date | null;
  /** The operator's last action (take, reply): the idle clock counts from here. */
  activeAt: Date | null;
  /** Set when an idle takeover went back to the queue: whose it was (a notice for that operator). */
  releasedFrom: string | null;
  /** When the resident let us know they no longer need a person ("laat maar, hoeft niet meer"). */
  withdrawnAt: Date | null;
}

/**
 * What withdrawing did: a waiting request left the queue (`waiting`), or an operator has the
 * conversation already and is told (`taken`; the resident's message is theirs to read), or there
 * was no open request (`none`).
 */
export type Withdrawal = 'waiting' | 'taken' | 'none';

/** The webcare queue's storage. Only conversations that still need a person are in the queue. */
export interface WebcareRepository {
  /** Records (or renews) a resident's request for a person; any earlier takeover of it is dropped. */
  request(item: {
    address: Address;
    key: string;
    promise: string;
    closed: boolean;
    now: Date;
  }): Promise<void>;
  /** Waiting and taken requests of conversations that still need a person, oldest first. */
  open(limit: number): Promise<WebcareRequest[]>;
  /** One open request, or null (none, or the resident no longer waits for a person). */
  get(key: string): Promise<WebcareRequest | null>;
  /** Marks the resident's request withdrawn (see `Withdrawal`); a withdrawn waiting request can no longer be taken. */
  withdraw(key: string, now: Date): Promise<Withdrawal>;
  /**
   * The keys of waiting requests the resident withdrew since `since` (they left the queue that way,
   * not taken or gone), newest first.
   */
  withdrawnWaiting(since: Date, limit: number): Promise<string[]>;
  /** Atomically takes a waiting request; false when it is taken already or no longer waits. */
  take(key: string, operatorId: string, now: Date): Promise<boolean>;
  /** Marks the operator active on their takeover; false when it is not (or no longer) theirs. */
  touch(key: string, operatorId: string, now: Date): Promise<boolean>;
  /** Ends the operator's takeover and the request (back to the bot); false when it was not theirs. */
  finish(key: string, operatorId: string): Promise<boolean>;
  /**
   * Puts takeovers idle since before `before` back in the queue, and ends those the resident withdrew
   * (nobody to put back for); returns them as they were.
   */
  releaseIdle(before: Date): Promise<WebcareRequest[]>;
  /** Clears the idle notices of one operator. */
  clearNotices(operatorId: string): Promise<void>;
  purge(batch: PurgeBatch): Promise<number>;
  personalData(subject: DataSubject): Promise<StoredRows>;
  erasePersonalData(subject: DataSubject): Promise<Counts>;
}
