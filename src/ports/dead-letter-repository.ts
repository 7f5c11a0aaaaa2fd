import type { Address } from '../shared/address.js';
import type { Counts, DataSubject, PurgeBatch, StoredRows } from './personal-data.js';

/** Where an inbound item failed: it never reached the inbound log ('store'), or every turn failed ('handle'). */
export type DeadLetterStage = 'store' | 'handle';

/** An inbound item set aside after its last try, with the error, for an operator to retry or drop. */
export interface DeadLetter {
  id: number;
  stage: DeadLetterStage;
  address: Address;
  dedupeKey: string;
  /** The inbound log's id ('handle' only). */
  inboundId?: number;
  /** The item as it came in (a channel message or an event), as JSON. */
  payload: string;
  error: string;
  attempts: number;
  status: 'open' | 'retried' | 'dropped';
  createdAt: Date;
  resolvedAt?: Date;
}

/** The dead-letter table. */
export interface DeadLetterRepository {
  add(letter: {
    stage: DeadLetterStage;
    address: Address;
    dedupeKey: string;
    inboundId?: number;
    payload: string;
    error: string;
    attempts: number;
    now: Date;
  }): Promise<number>;
  /** Newest first; only open ones unless `all`. */
  list(options: { all?: boolean; limit: number }): Promise<DeadLetter[]>;
  get(id: number): Promise<DeadLetter | null>;
  /** Marks an open letter retried or dropped; false when it was not open (someone else was first). */
  resolve(id: number, status: 'retried' | 'dropped', now: Date): Promise<boolean>;
  countOpen(): Promise<number>;
  /** Retention: letters set aside before the batch's moment. */
  purge(batch: PurgeBatch): Promise<number>;
  /** The resident's letters, and letters that name them (AVG access request). */
  personalData(subject: DataSubject): Promise<StoredRows>;
  /** Deletes the resident's letters (AVG erasure). */
  erasePersonalData(subject: DataSubject): Promise<Counts>;
}
