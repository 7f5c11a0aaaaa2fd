import { definePrivacy } from '../../ports/privacy.js';

/** The privacy log and the queue's jobs (whose data may name a resident; in Redis in distributed mode). */
export const privacyPrivacy = definePrivacy({
  stores: [
    {
      table: 'privacy_audit',
      about: 'residents',
      personal: ['subject'],
      holds:
        'one row per purge, export and erasure: when, by whom, counts; the resident only as a keyed hash',
      retention: 'audit',
      atEnd: 'deleted',
    },
    {
      table: 'jobs',
      about: 'residents',
      personal: ['data'],
      holds: 'queued work (reminders, events, routing) of the SQL queue; with Redis the same sits in BullMQ',
      retention: 'jobs',
      atEnd: 'deleted',
    },
  ],
  purge: async ({ uow, queue }, cutoffs, { limit, dryRun }) => ({
    privacy_audit: await uow.transaction((r) =>
      r.privacyAudit.purge({ before: cutoffs('audit'), limit, dryRun }),
    ),
    // Only the first batch finds finished jobs; the driver removes them in its own batches.
    jobs: await queue.purgeFinished(cutoffs('jobs'), { dryRun }),
  }),
  export: async (scope, subject) => ({
    jobs: (await scope.queue.findByContent(subject.needles)).map((job) => ({ ...job })),
    privacy_audit: (await scope.uow.run((r) => r.privacyAudit.about(scope.pseudonym(subject.key)))).map(
      (e) => ({
        ...e,
        at: e.at.toISOString(),
      }),
    ),
  }),
  // The jobs table (SQLite, PostgreSQL) or Redis: the queue's own, reached only after the commit.
  erase: () => Promise.resolve({}),
  eraseQueued: async (queue, subject) => ({ jobs: await queue.removeByContent(subject.needles) }),
});
