import { storeErasedBookings } from './alderman-notices.js';
import { definePrivacy } from '../../ports/privacy.js';

/** Bookings: who booked, the topic, the live transcript; anonymised after the slot so statistics stay. */
export const schedulingPrivacy = definePrivacy({
  stores: [
    {
      table: 'bookings',
      about: 'residents',
      personal: ['resident_key', 'resident_first_name', 'topic', 'transcript', 'ics_token'],
      holds: 'an appointment: resident, first name, topic, live-session transcript, rating, calendar link',
      retention: 'bookings',
      atEnd: 'anonymised',
    },
    {
      table: 'cancelled_days',
      about: 'nobody',
      personal: [],
      holds: "an alderman's cancelled consultation days and the reason",
      retention: null,
    },
    {
      table: 'hours_cancellations',
      about: 'staff',
      personal: ['actor'],
      holds:
        'a day or booking staff called off: the alderman, the date, booking ids, the reason, who did it, and whether residents were told or it was undone',
      retention: null,
    },
    {
      table: 'hours_entries',
      about: 'staff',
      personal: ['updated_by'],
      holds:
        'consultation hours staff changed in the dashboard (over data/hours.json) and who changed them last',
      retention: null,
    },
  ],
  references: ({ bookings }, subject) => bookings.idsOfResident(subject.key),
  purge: ({ uow }, cutoffs, { limit, dryRun }) =>
    uow.transaction(async ({ bookings }) => ({
      bookings: await bookings.anonymisePast({ before: cutoffs('bookings'), limit, dryRun }),
    })),
  export: ({ uow }, subject) => uow.run(({ bookings }) => bookings.personalData(subject)),
  // The alderman of an upcoming appointment is told it is off (only the slot), in the erasure.
  erase: async (repos, subject, erasure) => {
    await storeErasedBookings(repos, subject.key, erasure);
    return repos.bookings.erasePersonalData(subject);
  },
});
