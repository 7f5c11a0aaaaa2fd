import { definePrivacy } from '../../ports/privacy.js';
import { INBOX_OPEN_STATUSES } from './case-status.js';

/**
 * Cases: the question or proposal (with its where, who and help), the answer and their history;
 * anonymised (not deleted) so statistics keep adding up.
 */
export const casesPrivacy = definePrivacy({
  stores: [
    {
      table: 'cases',
      about: 'residents',
      personal: ['resident_key', 'resident_name', 'text', 'proposal', 'answer'],
      holds:
        "a question or a resident's proposal: resident, first name, text, the proposal's where/who/help, answer or stage, district, topic, channel, dates, rating",
      retention: 'cases',
      atEnd: 'anonymised',
    },
    {
      table: 'case_events',
      about: 'residents',
      personal: ['detail'],
      holds: "a case's history: routing, answers, a proposal's stages with staff's reasons, follow-up words",
      retention: 'cases',
      atEnd: 'deleted',
    },
    {
      table: 'case_counters',
      about: 'nobody',
      personal: [],
      holds:
        'the last reference number per prefix and year (SQLite); on PostgreSQL the numbers come from sequences case_number_<year>_<prefix>, which hold only a number, and this table only where an older version stopped counting',
      retention: null,
    },
    {
      table: 'standard_answers',
      about: 'staff',
      personal: ['updated_by'],
      holds: 'standard answers admins edited in the dashboard, with who changed them last',
      retention: null,
    },
  ],
  references: ({ cases }, subject) => cases.idsOfResident(subject.key),
  purge: ({ uow }, cutoffs, { limit, dryRun }) =>
    uow.transaction(({ cases }) => cases.anonymiseSettled({ before: cutoffs('cases'), limit, dryRun })),
  export: ({ uow }, subject) => uow.run(({ cases }) => cases.personalData(subject)),
  erase: ({ cases }, subject) => cases.erasePersonalData(subject),
  // Their own privacy request still owed an answer (waiting for their proof of identity too).
  holdsErasure: async ({ cases }, subject) =>
    (await cases.listForResident(subject.key))
      .filter((c) => c.kind === 'privacy' && INBOX_OPEN_STATUSES.includes(c.status))
      .map((c) => ({ kind: 'request' as const, reference: c.reference })),
});
