import { definePrivacy } from '../../ports/privacy.js';

/**
 * The audit log is an append-only hash chain (Archiefwet): lines are never changed or deleted, so
 * it names cases by id and a resident's conversation by its pseudonym, never a resident's address
 * or words. An access request shows the lines about the resident's cases; after an erasure those
 * ids point at anonymised cases.
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
  export: async ({ uow }, subject) => {
    const lines = [];
    for (const id of subject.refs) {
      const page = await uow.run((r) => r.audit.page({ limit: 1000, subject: `case:${id}` }));
      lines.push(...page.map((l) => ({ ...l, at: l.at.toISOString() })));
    }
    return { audit_log: lines };
  },
  erase: () => Promise.resolve({}),
});
