import { z } from '../shared/zod.js';
import { dataError } from '../shared/data-file.js';
import { isLocalDate, minutesOfDay } from '../shared/local-date.js';
import { sessionOccursOn } from './recurrence.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM');
const localDate = z.string().refine(isLocalDate, 'expected a date as YYYY-MM-DD');
const weekday = z.enum(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  'expected mon, tue, wed, thu, fri, sat or sun',
);
const id = z.string().regex(/^[a-z0-9-]+$/, 'expected lower-case letters, digits and -');
const comment = { $comment: z.string().optional() };

/** Fields every session has, recurring or one-off. */
const sessionBase = {
  ...comment,
  id,
  aldermanId: z.string().min(1),
  start: hhmm,
  end: hhmm,
  slotMinutes: z
    .number()
    .int()
    .min(5, 'expected at least 5 minutes')
    .max(240, 'expected at most 240 minutes'),
  kind: z.enum(['chat', 'phone', 'town-hall'], 'expected chat, phone or town-hall'),
  place: z.string().min(1, 'expected a place, e.g. WhatsApp or an address'),
};

const validity = { validFrom: localDate.optional(), validUntil: localDate.optional() };

const weeklySession = z.strictObject({
  ...sessionBase,
  ...validity,
  rule: z.literal('weekly'),
  weekday,
  intervalWeeks: z.number().int().min(1).max(8).optional(),
});

const monthlySession = z.strictObject({
  ...sessionBase,
  ...validity,
  rule: z.literal('monthly'),
  weekday,
  nth: z.union(
    [z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(-1)],
    'expected 1, 2, 3, 4 or -1 (last)',
  ),
});

const recurringSession = z.discriminatedUnion(
  'rule',
  [weeklySession, monthlySession],
  'expected rule weekly or monthly',
);

const extraSession = z.strictObject({ ...sessionBase, date: localDate });

const cancelledDate = z.strictObject({
  ...comment,
  sessionId: z.string().min(1),
  date: localDate,
  reason: z.string().optional(),
});

const bookingRules = z.strictObject({
  minNoticeMinutes: z.number().int().min(0),
  horizonWeeks: z.number().int().min(1).max(52),
  maxUpcomingPerResidentPerAlderman: z.number().int().min(1),
  changeDeadlineMinutes: z.number().int().min(0),
});

/** data/hours.json */
export const hoursFileSchema = z.strictObject({
  ...comment,
  rules: bookingRules,
  sessions: z.array(recurringSession),
  exceptions: z
    .strictObject({
      ...comment,
      cancelled: z.array(cancelledDate).default([]),
      extra: z.array(extraSession).default([]),
    })
    .default({ cancelled: [], extra: [] }),
});

export type HoursConfig = z.output<typeof hoursFileSchema>;
export type BookingRules = HoursConfig['rules'];
export type RecurringSession = z.output<typeof recurringSession>;
export type ExtraSession = z.output<typeof extraSession>;
export type HoursExceptions = HoursConfig['exceptions'];
export type CancelledDate = HoursExceptions['cancelled'][number];
export type SessionKind = RecurringSession['kind'];
export type Weekday = z.output<typeof weekday>;

/**
 * Validates the consultation hours (already parsed JSON) against the schema and the known
 * aldermen; throws a ConfigError naming the file, the field path and what is wrong.
 */
export function parseHours(
  json: unknown,
  knownAldermanIds: Iterable<string>,
  file = 'data/hours.json',
): HoursConfig {
  const result = hoursFileSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw dataError(file, issue?.path ?? [], issue?.message ?? 'invalid');
  }
  const problem = crossCheck(result.data, new Set(knownAldermanIds));
  if (problem) throw dataError(file, problem.path, problem.message);
  return result.data;
}

interface Problem {
  path: PropertyKey[];
  message: string;
}

/** Checks what the schema alone cannot: references between entries and sensible times. */
function crossCheck(hours: HoursConfig, aldermen: Set<string>): Problem | undefined {
  const all = [
    ...hours.sessions.map((s, i) => ({ s, path: ['sessions', i] })),
    ...hours.exceptions.extra.map((s, i) => ({ s, path: ['exceptions', 'extra', i] })),
  ];
  const ids = new Set<string>();
  for (const { s, path } of all) {
    if (!aldermen.has(s.aldermanId)) {
      return { path: [...path, 'aldermanId'], message: `no alderman "${s.aldermanId}" in aldermen.json` };
    }
    if (ids.has(s.id)) return { path: [...path, 'id'], message: `"${s.id}" is used twice` };
    ids.add(s.id);
    const length = minutesOfDay(s.end) - minutesOfDay(s.start);
    if (length <= 0) return { path: [...path, 'end'], message: 'expected a time after start' };
    if (length % s.slotMinutes !== 0) {
      return {
        path: [...path, 'slotMinutes'],
        message: `the session of ${length} minutes does not divide into slots`,
      };
    }
  }
  return crossCheckSessions(hours) ?? crossCheckCancellations(hours);
}

function crossCheckSessions(hours: HoursConfig): Problem | undefined {
  for (const [i, s] of hours.sessions.entries()) {
    if (s.validFrom && s.validUntil && s.validUntil < s.validFrom) {
      return { path: ['sessions', i, 'validUntil'], message: 'expected a date on or after validFrom' };
    }
    if (s.rule === 'weekly' && (s.intervalWeeks ?? 1) > 1 && !s.validFrom) {
      return {
        path: ['sessions', i, 'validFrom'],
        message: 'required with intervalWeeks: the first week counts from it',
      };
    }
  }
  return undefined;
}

function crossCheckCancellations(hours: HoursConfig): Problem | undefined {
  for (const [i, c] of hours.exceptions.cancelled.entries()) {
    const path = ['exceptions', 'cancelled', i];
    const recurring = hours.sessions.find((s) => s.id === c.sessionId);
    const extra = hours.exceptions.extra.find((s) => s.id === c.sessionId);
    if (!recurring && !extra) return { path: [...path, 'sessionId'], message: `no session "${c.sessionId}"` };
    const occurs = recurring ? sessionOccursOn(recurring, c.date) : extra?.date === c.date;
    if (!occurs)
      return {
        path: [...path, 'date'],
        message: `session "${c.sessionId}" does not take place on ${c.date}`,
      };
  }
  return undefined;
}
