import { definePrivacy } from '../../ports/privacy.js';

/** Staff chat identities (an alderman's own chat address) and the one-time codes that link them. */
export const staffPrivacy = definePrivacy({
  stores: [
    {
      table: 'staff_identities',
      about: 'staff',
      personal: ['channel', 'user_id'],
      holds: "an alderman's linked chat address, until it is unlinked",
      retention: null,
    },
    {
      table: 'staff_link_codes',
      about: 'staff',
      personal: [],
      holds: 'hashes of one-time link codes, which alderman, when they expire',
      retention: 'linkCodes',
      atEnd: 'deleted',
    },
    {
      table: 'staff_link_failures',
      about: 'staff',
      personal: [],
      holds: 'when a wrong link code was tried (no chat address), for the global limit',
      retention: 'linkCodes',
      atEnd: 'deleted',
    },
  ],
  purge: ({ uow }, cutoffs, { limit, dryRun }) =>
    uow.transaction(async ({ staff }) => ({
      staff_link_codes: await staff.purgeLinkCodes({ before: cutoffs('linkCodes'), limit, dryRun }),
      staff_link_failures: await staff.purgeLinkFailures({ before: cutoffs('linkCodes'), limit, dryRun }),
    })),
  export: ({ uow }, subject) => uow.run(({ staff }) => staff.personalData(subject)),
  erase: ({ staff }, subject) => staff.erasePersonalData(subject),
});
