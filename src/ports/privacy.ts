import type { RetentionKey } from '../municipality/retention.js';
import type { Counts, DataSubject, StoredRows } from './personal-data.js';
import type { Notifier } from './notifier.js';
import type { JobQueue } from './queue.js';
import type { Address } from '../shared/address.js';
import type { Repositories, UnitOfWork } from './unit-of-work.js';

/** A table a feature owns, and the personal data in it (the privacy officer reads these). */
export interface StoredTable {
  table: string;
  /** Columns that hold personal data or may (free text); empty when the table holds none. */
  personal: readonly string[];
  /** Whose data it is: residents' (with a retention term), or staff's (kept while their account or link lasts). */
  about: 'residents' | 'staff' | 'nobody';
  /** What the table holds, in a few words. */
  holds: string;
  /** The retention term its records follow (data/retention.json); null when they hold nothing personal. */
  retention: RetentionKey | null;
  /** What happens at the end of the term: the row goes, or its personal columns are cleared. */
  atEnd?: 'deleted' | 'anonymised';
}

/**
 * What a contract works through: the database, the queue, the keyed hash that stands for a person,
 * and the notifier that tells someone else of what an erasure ended (an alderman of a booking).
 */
export interface PrivacyScope {
  uow: UnitOfWork;
  queue: JobQueue;
  pseudonym(value: string): string;
  notifier: Notifier;
}

/** What an erasure gives each contract besides the repositories: its moment, and a way to tell. */
export interface Erasure {
  now: Date;
  /**
   * Stores an event for a chat that is not the resident's (an alderman whose booking the erasure
   * cancels), with the erasure's repositories: it commits with the erasure, or not at all, and
   * is handed over after the commit. Never put the resident's data in it.
   */
  tell(address: Address, name: string, payload: object, eventId: string): Promise<void>;
}

/** The moment before which records of a retention key are past their term. */
export type Cutoffs = (key: RetentionKey) => Date;

/**
 * A feature's promise about personal data: what it stores and where, and how its own records are
 * purged at the end of their term, exported for a resident (AVG art. 15) and erased (art. 17).
 * A feature with tables of its own declares every one of them; a test fails for a table no
 * contract owns. Erasure runs every contract's `holdsErasure` and `erase` in one transaction, with
 * the repositories it is given: the erasure goes whole, or nothing goes.
 */
export interface PrivacyContract {
  readonly stores: readonly StoredTable[];
  /** Ids of this resident's records that other stores may mention (case and booking ids). */
  references?(repos: Repositories, subject: Omit<DataSubject, 'needles' | 'refs'>): Promise<string[]>;
  /**
   * Deletes or anonymises at most `limit` records per table past their term (counts them only on
   * a dry run); the caller repeats until nothing is left, so no batch holds the database long.
   */
  purge(scope: PrivacyScope, cutoffs: Cutoffs, options: { limit: number; dryRun: boolean }): Promise<Counts>;
  /** Every stored record of the resident, by table. */
  export(scope: PrivacyScope, subject: DataSubject): Promise<StoredRows>;
  /**
   * Deletes or anonymises every record of the resident in the database, with the erasure's
   * repositories (never a transaction of its own); returns counts by table.
   */
  erase(repos: Repositories, subject: DataSubject, erasure: Erasure): Promise<Counts>;
  /**
   * Removes the resident's jobs from the queue (Redis in distributed mode), which no database
   * transaction reaches: it runs once the erasure in the database has committed.
   */
  eraseQueued?(queue: JobQueue, subject: DataSubject): Promise<Counts>;
  /**
   * What of the resident must be settled before their data may go: erasing first would leave them
   * without an answer (their own privacy request unanswered, or its answer still on its way).
   */
  holdsErasure?(repos: Repositories, subject: DataSubject): Promise<ErasureHold[]>;
}

/**
 * Why a resident's data may not go yet: a privacy request of theirs still to answer (its
 * reference), messages to or from them still on their way (an answer not sent yet), or a job
 * queue that does not answer (its jobs about the resident could not be removed with the rest).
 */
export type ErasureHold = { kind: 'request'; reference: string } | { kind: 'sending' } | { kind: 'queue' };

/** Declares a feature's privacy contract. */
export function definePrivacy(contract: PrivacyContract): PrivacyContract {
  return contract;
}

export type { Counts, DataSubject, StoredRows } from './personal-data.js';
