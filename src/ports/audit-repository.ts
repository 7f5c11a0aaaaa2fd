import type { ChainBreak } from '../shared/hash-chain.js';

/** What happened, by whom, to what: one line of the audit log. */
export interface AuditEntry {
  /** `staff:<account id>`, `system`, `cli`, or for a failed sign-in `anonymous`. */
  actor: string;
  /** A dotted name: `auth.sign-in`, `auth.sign-in-failed`, `case.view`, `case.answer`, … */
  action: string;
  /**
   * What it was done to: `account:<id>`, `case:<reference>`, an e-mail address tried, … (the kinds
   * in `shared/audit-subjects.ts` are spelled there).
   */
  subject: string;
  /** Anything else worth keeping (plain JSON; no passwords, no message texts). */
  detail?: Record<string, unknown>;
}

/** A stored line: the entry, when, its place in the chain and the chain's hashes. */
export interface AuditRecord {
  seq: number;
  at: Date;
  actor: string;
  action: string;
  subject: string;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/**
 * The audit log, append-only, as a hash chain (`src/shared/hash-chain.ts`). Any feature appends
 * through `repos.audit.append(…)`, in the same transaction as what it records.
 */
export interface AuditRepository {
  /** Appends one line after the last (appends are serialised), and returns it. */
  append(entry: AuditEntry, at: Date): Promise<AuditRecord>;
  /** Newest first: up to `limit` lines before `beforeSeq` (all when absent), optionally of one subject or actor. */
  page(options: {
    limit: number;
    beforeSeq?: number;
    subject?: string;
    actor?: string;
  }): Promise<AuditRecord[]>;
  /** Oldest first: up to `limit` lines after `afterSeq`, for checking the chain. */
  scan(afterSeq: number, limit: number): Promise<AuditRecord[]>;
  /** The first line of `lines` (in order) that breaks the chain after `prevHash`, checked with the chain's key. */
  firstBreak(lines: readonly AuditRecord[], prevHash: string): ChainBreak | null;
}
