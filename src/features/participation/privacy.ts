import { definePrivacy } from '../../ports/privacy.js';

/** Residents' consents to district updates, the updates staff wrote, and who each broadcast reached. */
export const participationPrivacy = definePrivacy({
  stores: [
    {
      table: 'participation_subscriptions',
      about: 'residents',
      personal: ['conversation_key', 'user_id'],
      holds: 'a resident who wants updates for a district (and topic), and when they said yes',
      retention: 'subscriptions',
      atEnd: 'deleted',
    },
    {
      table: 'broadcast_deliveries',
      about: 'residents',
      personal: ['conversation_key', 'user_id'],
      holds:
        'which subscriber an update or poll invitation went to, and when (the weekly limit counts these)',
      retention: 'messages',
      atEnd: 'deleted',
    },
    {
      table: 'participation_updates',
      about: 'staff',
      personal: ['author'],
      holds: 'project updates staff wrote: title, text, districts, participation level, who sent it',
      retention: null,
    },
    {
      table: 'broadcasts',
      about: 'nobody',
      personal: [],
      holds: 'what was sent to the subscribers of which districts (the update or poll, not who got it)',
      retention: null,
    },
  ],
  purge: ({ uow }, cutoffs, { limit, dryRun }) =>
    uow.transaction(async ({ participation, broadcasts }) => ({
      participation_subscriptions: await participation.purge({
        before: cutoffs('subscriptions'),
        limit,
        dryRun,
      }),
      broadcast_deliveries: await broadcasts.purge({ before: cutoffs('messages'), limit, dryRun }),
    })),
  export: ({ uow }, subject) =>
    uow.run(async ({ participation, broadcasts }) => ({
      ...(await participation.personalData(subject)),
      ...(await broadcasts.personalData(subject)),
    })),
  erase: async ({ participation, broadcasts }, subject) => ({
    ...(await participation.erasePersonalData(subject)),
    ...(await broadcasts.erasePersonalData(subject)),
  }),
});
