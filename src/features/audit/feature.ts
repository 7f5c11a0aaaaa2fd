import { auditPrivacy } from './privacy.js';
import type { AuditEntry, AuditRecord } from '../../ports/audit-repository.js';
import { defineFeature, type FeatureDeps } from '../../ports/feature.js';
import { conversationSubject } from '../../shared/audit-subjects.js';
import { GENESIS_HASH, type ChainBreak } from '../../shared/hash-chain.js';

/** What `audit verify` found. */
export interface AuditVerification {
  /** Lines checked (up to the first break). */
  checked: number;
  /** The first broken link, or null when the whole chain holds. */
  broken: (ChainBreak & { line: AuditRecord | null }) | null;
  /** The last line's hash: kept elsewhere, it also shows lines cut off the end. */
  headHash: string;
}

const SCAN_BATCH = 1000;

/** Reading, appending and checking the audit log. */
function auditCommands(deps: FeatureDeps) {
  return {
    /** Appends one line (use `repos.audit.append` instead inside a transaction of your own). */
    append: (entry: AuditEntry) => deps.uow.run((r) => r.audit.append(entry, deps.clock.now())),
    /** How a line names a resident's conversation: by the key's pseudonym, not the number in it. */
    conversationSubject: (key: string) => conversationSubject(deps.pseudonym, key),
    /** Newest first, paged by `beforeSeq`. */
    page: (options: { limit: number; beforeSeq?: number; subject?: string; actor?: string }) =>
      deps.uow.run((r) => r.audit.page(options)),
    /** Walks the whole chain, oldest first, and reports the first line that breaks it. */
    async verify(): Promise<AuditVerification> {
      let previous = GENESIS_HASH;
      let after = 0;
      let checked = 0;
      for (;;) {
        const { lines, broken } = await deps.uow.run(async (r) => {
          const batch = await r.audit.scan(after, SCAN_BATCH);
          return { lines: batch, broken: r.audit.firstBreak(batch, previous) };
        });
        if (broken) {
          const index = lines.findIndex((l) => l.seq === broken.seq);
          return {
            checked: checked + index,
            broken: { ...broken, line: lines[index] ?? null },
            headHash: previous,
          };
        }
        checked += lines.length;
        const last = lines.at(-1);
        if (!last) return { checked, broken: null, headHash: previous };
        previous = last.hash;
        after = last.seq;
      }
    },
  };
}

export type AuditCommands = ReturnType<typeof auditCommands>;

/** The audit log: every sign-in, account change and (from the case pages) every case view and action. */
export const auditFeature = defineFeature({ name: 'audit', commands: auditCommands, privacy: auditPrivacy });
