import type { AuditRecord } from '../../ports/audit-repository.js';
import type { DataSubject } from '../../ports/personal-data.js';
import { definePrivacy, type PrivacyScope } from '../../ports/privacy.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import { bookingSubject, caseSubject, conversationSubject } from '../../shared/audit-subjects.js';

const PAGE = 1000;

/** Every line about one subject, newest first, a page at a time (a conversation viewed often has many). */
async function linesAbout(uow: UnitOfWork, subject: string): Promise<AuditRecord[]> {
  const lines: AuditRecord[] = [];
  for (let beforeSeq: number | undefined; ;) {
    const page = await uow.run((r) =>
      r.audit.page({ limit: PAGE, subject, ...(beforeSeq ? { beforeSeq } : {}) }),
    );
    lines.push(...page);
    const last = page.at(-1);
    if (page.length < PAGE || !last) return lines;
    beforeSeq = last.seq;
  }
}

/**
 * What the log names a resident's things by: their conversation's pseudonym, and the references of
 * their cases and bookings (`case:RSW-2026-000042`, `booking:AFS-…`), as every line about them is
 * written. (Not the ids the other stores point at them with.)
 */
async function subjectsOf(scope: PrivacyScope, subject: DataSubject): Promise<string[]> {
  const things = await scope.uow.run(async (r) => {
    const found = (await r.cases.listForResident(subject.key)).map((c) => caseSubject(c.reference));
    for (const id of await r.bookings.idsOfResident(subject.key)) {
      const b = await r.bookings.findById(id);
      if (b) found.push(bookingSubject(b.reference));
    }
    return found;
  });
  return [conversationSubject((value) => scope.pseudonym(value), subject.key), ...things];
}

/**
 * The audit log is an append-only hash chain (Archiefwet): lines are never changed or deleted, so
 * it names cases and bookings by reference and a resident's conversation by its pseudonym, never a
 * resident's address or words. An access request shows the lines about the resident's
 * conversation, cases and bookings; after an erasure those references point at anonymised ones.
 */
export const auditPrivacy = definePrivacy({
  stores: [
    {
      table: 'audit_log',
      about: 'staff',
      personal: ['actor', 'subject', 'detail'],
      holds: 'who (staff) did or saw what, when: sign-ins, account changes, case views and actions',
      retention: null,
    },
  ],
  purge: () => Promise.resolve({}),
  export: async (scope, subject) => {
    const lines = [];
    for (const about of await subjectsOf(scope, subject))
      lines.push(...(await linesAbout(scope.uow, about)).map((l) => ({ ...l, at: l.at.toISOString() })));
    return { audit_log: lines };
  },
  erase: () => Promise.resolve({}),
});
