import { definePrivacy } from '../../ports/privacy.js';

/** Who asked for a person, what they were told, and which operator took them over. */
export const webcarePrivacy = definePrivacy({
  stores: [
    {
      table: 'webcare_requests',
      about: 'residents',
      personal: ['conversation_key', 'user_id', 'promise'],
      holds: 'a resident who asked for a person: when, what they were told, which operator took over',
      retention: 'messages',
      atEnd: 'deleted',
    },
  ],
  purge: ({ uow }, cutoffs, { limit, dryRun }) =>
    uow.transaction(async ({ webcare }) => ({
      webcare_requests: await webcare.purge({ before: cutoffs('messages'), limit, dryRun }),
    })),
  export: ({ uow }, subject) => uow.run(({ webcare }) => webcare.personalData(subject)),
  erase: ({ webcare }, subject) => webcare.erasePersonalData(subject),
});
