import { definePrivacy } from '../../ports/privacy.js';

/** Polls staff wrote, and residents' answers to them. */
export const pollsPrivacy = definePrivacy({
  stores: [
    {
      table: 'polls',
      about: 'staff',
      personal: ['created_by'],
      holds: 'a poll: question, options, districts, times, the outcome text, which staff member made it',
      retention: null,
    },
    {
      table: 'poll_answers',
      about: 'residents',
      personal: ['conversation_key', 'user_id', 'follow_up'],
      holds: "a resident's answer to a poll: their choice, district, optional free text, when",
      retention: 'pollAnswers',
      atEnd: 'deleted',
    },
  ],
  purge: ({ uow }, cutoffs, { limit, dryRun }) =>
    uow.transaction(async ({ polls }) => ({
      poll_answers: await polls.purge({ before: cutoffs('pollAnswers'), limit, dryRun }),
    })),
  export: ({ uow }, subject) => uow.run(({ polls }) => polls.personalData(subject)),
  erase: ({ polls }, subject) => polls.erasePersonalData(subject),
});
