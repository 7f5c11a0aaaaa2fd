import type { Address } from '../shared/address.js';

/** The resident a request (access, erasure) is about. */
export interface DataSubject {
  address: Address;
  /** The conversation key (`channel:userId`), which cases and bookings store as the resident key. */
  key: string;
  /**
   * Exact JSON strings (quotes included) that point at this resident inside job data, event
   * payloads and outbox bodies: the address's user id, the key, and the ids of their cases and bookings.
   */
  needles: readonly string[];
  /** The ids of the resident's cases and bookings (what other stores point at them with). */
  refs: readonly string[];
}

/** Rows touched, by table. */
export type Counts = Record<string, number>;

/** Stored rows as they are (JSON columns decoded), by table: what an export shows. */
export type StoredRows = Record<string, Record<string, unknown>[]>;

/** One purge batch: records before `before`, at most `limit` of them; a dry run only counts. */
export interface PurgeBatch {
  before: Date;
  limit: number;
  dryRun: boolean;
}
