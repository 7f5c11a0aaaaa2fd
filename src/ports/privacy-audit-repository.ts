import type { Counts, PurgeBatch } from './personal-data.js';

/** One row of the privacy log. */
export interface PrivacyAuditEntry {
  at: Date;
  action: 'purge' | 'export' | 'erase';
  /** Who did it: `cli`, `job`, or a dashboard user. */
  actor: string;
  /** The resident it was about, as a keyed hash (never the address itself); none for a purge. */
  subject?: string;
  dryRun?: boolean;
  counts: Counts;
}

/** The privacy log: purges, exports and erasures. */
export interface PrivacyAuditRepository {
  /** Writes an entry; returns its id. */
  add(entry: PrivacyAuditEntry): Promise<number>;
  /**
   * Replaces an entry's counts: an erasure's entry, written in its transaction, gains the queue's
   * jobs once they are removed after the commit (no transaction reaches the queue).
   */
  recount(id: number, counts: PrivacyAuditEntry['counts']): Promise<void>;
  /** The newest entries first. */
  list(limit: number): Promise<PrivacyAuditEntry[]>;
  /** Entries about one subject (its keyed hash). */
  about(subject: string): Promise<PrivacyAuditEntry[]>;
  /** Retention: entries written before the batch's moment. */
  purge(batch: PurgeBatch): Promise<number>;
}
