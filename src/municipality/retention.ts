import { join } from 'node:path';
import { z } from '../shared/zod.js';
import { dataError, parseDataFile, readJsonFile } from '../shared/data-file.js';

const DAY_MS = 24 * 60 * 60_000;

const term = (from: string) =>
  z
    .object({
      days: z.number().int('expected a whole number of days').positive('expected at least 1 day'),
      from: z.literal(from, { message: `expected "${from}" (the moment this term counts from)` }),
    })
    .strict();

/** data/retention.json: every kind of record the service keeps, with its term in days. */
export const retentionFileSchema = z
  .object({
    $comment: z.string().optional(),
    /** Messages residents sent and the messages the service sent them. */
    messages: term('received or sent'),
    /** A conversation's state (language, district, where it stands), after its last activity. */
    conversations: term('last activity'),
    /** Delivery records of the outbox that are not messages (queued jobs, cancellations). */
    deliveries: term('created'),
    /** Cases (questions) with their text, answer and history, after they were answered or closed. */
    cases: term('answered or closed'),
    /** Bookings with their topic, first name and live transcript, after the slot. */
    bookings: term('end of the slot'),
    /** Finished queue jobs (their data may name a resident). */
    jobs: term('finished'),
    /** Staff link codes, after they expired. */
    linkCodes: term('expiry'),
    /** A resident's consent to district updates: asked again after the term. */
    subscriptions: term('consent given'),
    /** The privacy audit log (purges, exports, erasures). */
    audit: term('written'),
    /** Residents' answers to polls (choice, district, free text), after they answered. */
    pollAnswers: term('answered'),
  })
  .strict();

export type RetentionFile = z.output<typeof retentionFileSchema>;

/** A kind of record with a retention term. */
export type RetentionKey = Exclude<keyof RetentionFile, '$comment'>;

/** The retention terms as the service uses them. */
export type Retention = Record<RetentionKey, { days: number; from: string }>;

/** Every retention key, in the file's order. */
export const retentionKeys: readonly RetentionKey[] = [
  'messages',
  'conversations',
  'deliveries',
  'cases',
  'bookings',
  'jobs',
  'linkCodes',
  'subscriptions',
  'audit',
  'pollAnswers',
];

/** Loads and checks data/retention.json from `dir`. */
export function loadRetention(dir: string): Retention {
  const file = join(dir, 'retention.json');
  const { $comment: _comment, ...terms } = parseDataFile(retentionFileSchema, readJsonFile(file), file);
  // The privacy log must outlive what it records: an erasure stays provable after the data is gone.
  const longest = Math.max(...retentionKeys.filter((k) => k !== 'audit').map((k) => terms[k].days));
  if (terms.audit.days < longest)
    throw dataError(file, 'audit.days', `expected at least ${longest} (the longest other term)`);
  return terms;
}

/** The moment before which records of `key` are past their term at `now`. */
export function retentionCutoff(retention: Retention, key: RetentionKey, now: Date): Date {
  return new Date(now.getTime() - retention[key].days * DAY_MS);
}
