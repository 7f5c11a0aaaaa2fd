import type { Translate } from '../../i18n/translator.js';
import type { HoursEntryKind } from '../../ports/hours-repository.js';

/** The form label of each field of the hours, as the refusal names it. */
const FIELDS: Record<string, Parameters<Translate>[0]> = {
  id: 'dashboard.hours.col.id',
  aldermanId: 'dashboard.agenda.alderman',
  weekday: 'dashboard.hours.field.weekday',
  intervalWeeks: 'dashboard.hours.field.interval',
  nth: 'dashboard.hours.field.nth',
  validFrom: 'dashboard.hours.field.valid_from',
  validUntil: 'dashboard.hours.field.valid_until',
  start: 'dashboard.hours.field.start',
  end: 'dashboard.hours.field.end',
  slotMinutes: 'dashboard.hours.field.slot',
  kind: 'dashboard.agenda.col.kind',
  place: 'dashboard.hours.col.place',
  date: 'dashboard.hours.field.date',
  sessionId: 'dashboard.hours.field.session',
};

/** What the check of data/hours.json says (in English, for the file's maintainer), and its words for staff. */
const MESSAGES: [RegExp, (m: RegExpMatchArray, t: Translate, day: (date: string) => string) => string][] = [
  [/^expected HH:MM$/, (_, t) => t('dashboard.hours.problem.time')],
  [/^expected a date as YYYY-MM-DD$/, (_, t) => t('dashboard.hours.problem.date')],
  [/^expected lower-case letters, digits and -$/, (_, t) => t('dashboard.hours.problem.id')],
  [/^expected at (least 5|most 240) minutes$/, (_, t) => t('dashboard.hours.problem.slot_range')],
  [/^expected a place/, (_, t) => t('dashboard.hours.problem.place')],
  [/^expected a time after start$/, (_, t) => t('dashboard.hours.problem.end_after_start')],
  [
    /^the session of (\d+) minutes does not divide into slots$/,
    (m, t) => t('dashboard.hours.problem.slots_divide', { count: m[1] ?? '' }),
  ],
  [/^expected a date on or after validFrom$/, (_, t) => t('dashboard.hours.problem.until_after_from')],
  [/^required with intervalWeeks/, (_, t) => t('dashboard.hours.problem.from_required')],
  [/^"(.+)" is used twice$/, (m, t) => t('dashboard.hours.problem.id_twice', { id: m[1] ?? '' })],
  [
    /^session "(.+)" does not take place on (\S+)$/,
    (m, t, day) => t('dashboard.hours.problem.not_on_date', { session: m[1] ?? '', date: day(m[2] ?? '') }),
  ],
  [/^no session "(.+)"$/, (m, t) => t('dashboard.hours.problem.no_session', { session: m[1] ?? '' })],
];

/**
 * A refused change of the hours in the page's language: `hours: exceptions.extra[1].end: expected a
 * time after start` becomes "Eindigt om: kies een tijd na de begintijd." A date in it is written
 * by `day` ("dinsdag 8 december 2026"). A problem it does not know stays as the check wrote it.
 * `changing` is the kind of entry the change was to: a session change refused over one of its
 * cancelled dates names that date, not a date field the session's form does not have.
 */
export function hoursProblem(
  problem: string,
  t: Translate,
  day: (date: string) => string,
  changing?: HoursEntryKind,
): string {
  // A session changed so that one of its cancelled dates no longer falls on it: that date is in the way.
  const inWay =
    /^hours: exceptions\.cancelled\[\d+\]\.date: session "(.+)" does not take place on (\S+)$/.exec(problem);
  if (inWay && changing !== undefined && changing !== 'cancelled')
    return t('dashboard.hours.problem.cancelled_in_way', {
      session: inWay[1] ?? '',
      date: day(inWay[2] ?? ''),
    });
  const parts = /^hours: (?:[A-Za-z]+(?:\[\d+\])?\.)*([A-Za-z]+): (.+)$/.exec(problem);
  const field = parts?.[1] ? FIELDS[parts[1]] : undefined;
  const said = parts?.[2] ?? '';
  for (const [pattern, words] of MESSAGES) {
    const m = pattern.exec(said);
    if (m && field) return `${t(field)}: ${words(m, t, day)}`;
  }
  return problem;
}
