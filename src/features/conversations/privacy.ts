import { definePrivacy } from '../../ports/privacy.js';

/** The conversation log: what residents wrote, what the service answered, and where each conversation stands. */
export const conversationsPrivacy = definePrivacy({
  stores: [
    {
      table: 'conversations',
      about: 'residents',
      personal: ['key', 'user_id', 'state'],
      holds: 'per chat address: language, district, where the conversation stands, opt-out',
      retention: 'conversations',
      atEnd: 'deleted',
    },
    {
      table: 'inbound',
      about: 'residents',
      personal: ['dedupe_key', 'conversation_key', 'text', 'first_name', 'event', 'search_text'],
      holds:
        'every message a resident sent (text, its words for search, first name the channel gave) and every timed event',
      retention: 'messages',
      atEnd: 'deleted',
    },
    {
      table: 'outbox',
      about: 'residents',
      personal: ['user_id', 'body'],
      holds:
        'every message the service sent (text, to whom, delivery state, whether the chatbot, an operator (account id) or an alderman wrote it) and queued work',
      retention: 'messages',
      atEnd: 'deleted',
    },
    {
      table: 'dead_letters',
      about: 'residents',
      personal: ['user_id', 'dedupe_key', 'payload'],
      holds: 'a message that could not be stored or handled, set aside with the error for an operator',
      retention: 'messages',
      atEnd: 'deleted',
    },
    {
      table: 'held_messages',
      about: 'residents',
      personal: ['user_id', 'body'],
      holds: 'a message WhatsApp would not take outside its 24-hour window, kept until the resident writes',
      retention: 'messages',
      atEnd: 'deleted',
    },
  ],
  purge: ({ uow }, cutoffs, { limit, dryRun }) =>
    uow.transaction(async ({ conversations, deadLetters, held }) => ({
      dead_letters: await deadLetters.purge({ before: cutoffs('messages'), limit, dryRun }),
      held_messages: await held.purge({ before: cutoffs('messages'), limit, dryRun }),
      inbound: await conversations.purgeInbound({ before: cutoffs('messages'), limit, dryRun }),
      outbox:
        (await conversations.purgeOutbox('messages', { before: cutoffs('messages'), limit, dryRun })) +
        (await conversations.purgeOutbox('deliveries', { before: cutoffs('deliveries'), limit, dryRun })),
      conversations: await conversations.purgeConversations({
        before: cutoffs('conversations'),
        limit,
        dryRun,
      }),
    })),
  export: ({ uow }, subject) =>
    uow.run(async ({ conversations, deadLetters, held }) => ({
      ...(await conversations.personalData(subject)),
      ...(await deadLetters.personalData(subject)),
      ...(await held.personalData(subject)),
    })),
  // Held messages go too, counted in the privacy log: unlike a message on its way, one WhatsApp holds
  // outside its 24-hour window goes out only if the resident ever writes again, so waiting for it
  // could hold the erasure for good (the preview says so; docs/privacy.md).
  erase: async ({ conversations, deadLetters, held }, subject) => ({
    ...(await held.erasePersonalData(subject)),
    ...(await deadLetters.erasePersonalData(subject)),
    ...(await conversations.erasePersonalData(subject)),
  }),
  // An answer (an event still to handle, or a message still to send) would go with the erasure.
  holdsErasure: async ({ conversations }, subject) =>
    (await conversations.nextPending(subject.key)) !== null ||
    (await conversations.undeliveredTo(subject.address)).length > 0
      ? [{ kind: 'sending' as const }]
      : [],
});
