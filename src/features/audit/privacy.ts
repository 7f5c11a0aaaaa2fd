import type { AuditRecord } from '../../ports/audit-repository.js';
import { definePrivacy } from '../../ports/privacy.js';
import type { UnitOfWork } from '../../ports/unit-of-work.js';
import { conversationSubject } from '../../shared/pseudonym.js';

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
 * The audit log is an append-only hash chain (Archiefwet): lines are never changed or deleted, so
 * it names cases by id and a resident's conversation by its pseudonym, never a resident's address
 * or words. An access request shows the lines about the resident's conversation and cases; after
 * an erasure those ids point at anonymised cases.
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
    const subjects = [
      conversationSubject((value) => scope.pseudonym(value), subject.key),
      ...subject.refs.map((id) => `case:${id}`),
    ];
    const lines = [];
    for (const about of subjects)
      lines.push(...(await linesAbout(scope.uow, about)).map((l) => ({ ...l, at: l.at.toISOString() })));
    return { audit_log: lines };
  },
  erase: () => Promise.resolve({}),
});
