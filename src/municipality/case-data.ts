import { join } from 'node:path';
import { z } from '../shared/zod.js';
import { isLocalDate } from '../shared/local-date.js';
import { dataError, parseDataFile, readJsonFile } from '../shared/data-file.js';
import { loadStandardAnswers, type StandardAnswer } from './standard-answers.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected an id of lower-case letters, digits and -');
const text = z.string().trim().min(1, 'expected a non-empty text');
const localized = z.object({ nl: text, en: text }).strict();
const date = z.string().refine(isLocalDate, 'expected a date as YYYY-MM-DD');

const holidayCommon = {
  id,
  name: localized,
  /** A day the law leaves to the municipality (Bevrijdingsdag, Goede Vrijdag): documented, still a flag. */
  municipalChoice: z.boolean().default(false),
  /** False keeps the day listed without closing the municipality. */
  closed: z.boolean().default(true),
};

const fixedRule = z
  .object({
    ...holidayCommon,
    kind: z.literal('fixed'),
    month: z.number().int().min(1).max(12),
    day: z.number().int().min(1).max(31),
    /** Days to move the holiday when it falls on a Sunday (Koningsdag: -1). */
    ifSunday: z.number().int().min(-6).max(6).optional(),
  })
  .strict()
  .refine((r) => r.day <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][r.month - 1]!, {
    message: 'expected a day that exists in that month',
    path: ['day'],
  });

const easterRule = z
  .object({ ...holidayCommon, kind: z.literal('easter'), offset: z.number().int().min(-70).max(70) })
  .strict();

export const holidayCalendarSchema = z
  .object({
    $comment: z.string().optional(),
    rules: z.array(z.discriminatedUnion('kind', [fixedRule, easterRule])),
    extraDates: z.array(z.object({ date, name: localized }).strict()).default([]),
  })
  .strict();

export type HolidayCalendar = z.output<typeof holidayCalendarSchema>;
export type HolidayRule = HolidayCalendar['rules'][number];

export const topicsSchema = z
  .object({
    $comment: z.string().optional(),
    topics: z
      .array(
        z
          .object({
            id,
            label: localized,
            // The topic for "weet ik niet" / "geen idee" when a resident picks one (at most one has it).
            other: z.boolean().optional(),
          })
          .strict(),
      )
      .min(1, 'expected at least one topic')
      .refine((topics) => topics.filter((t) => t.other).length <= 1, 'at most one topic may be "other"'),
  })
  .strict();

export type Topic = z.output<typeof topicsSchema>['topics'][number];

const aldermanTarget = z.object({ type: z.literal('alderman'), id }).strict();
const departmentTarget = z.object({ type: z.literal('department'), id, name: text }).strict();
const fixedTarget = z.discriminatedUnion('type', [aldermanTarget, departmentTarget]);
const districtAldermanTarget = z
  .object({ type: z.literal('district-alderman'), otherwise: fixedTarget.optional() })
  .strict();

/** The kinds of case (a question, a resident's proposal, a privacy request); the same list as `CaseKind` in the ports. */
const caseKind = z.enum(['question', 'proposal', 'privacy']);

const routingRule = z
  .object({
    id,
    match: z
      .object({
        topics: z.array(id).min(1).optional(),
        districts: z.array(id).min(1).optional(),
        kinds: z.array(caseKind).min(1).optional(),
      })
      .strict()
      .default({}),
    assign: z.discriminatedUnion('type', [aldermanTarget, departmentTarget, districtAldermanTarget]),
  })
  .strict();

export const routingSchema = z
  .object({
    $comment: z.string().optional(),
    answerNormWorkingDays: z.number().int().min(1).max(60).default(5),
    /** A norm per kind of case where it differs (a first reaction to a proposal: e.g. 10 working days). */
    answerNormByKind: z.partialRecord(caseKind, z.number().int().min(1).max(60)).default({}),
    /**
     * A term in calendar months for a kind, instead of working days (a privacy request: one month,
     * AVG art. 12(3)); it wins over the norms above.
     */
    answerMonthsByKind: z.partialRecord(caseKind, z.number().int().min(1).max(3)).default({}),
    rules: z.array(routingRule).min(1, 'expected at least one rule'),
  })
  .strict();

export type RoutingConfig = z.output<typeof routingSchema>;
export type RoutingRule = RoutingConfig['rules'][number];

/** Every department the routing rules can assign a case to, once each, in the order they first appear. */
export function routingDepartments(routing: RoutingConfig): { id: string; name: string }[] {
  const found = new Map<string, string>();
  for (const rule of routing.rules) {
    const target = rule.assign.type === 'district-alderman' ? rule.assign.otherwise : rule.assign;
    if (target?.type === 'department' && !found.has(target.id)) found.set(target.id, target.name);
  }
  return [...found].map(([id, name]) => ({ id, name }));
}

/** Ids the routing file may refer to; each list given is checked. */
export interface RoutingReferences {
  topicIds?: readonly string[];
  districtIds?: readonly string[];
  aldermanIds?: readonly string[];
}

/** Validates a holidays file (already parsed JSON). */
export function parseHolidayCalendar(value: unknown, file = 'holidays.json'): HolidayCalendar {
  return parseDataFile(holidayCalendarSchema, value, file);
}

/** Validates a topics file (already parsed JSON); ids must be unique. */
export function parseTopics(value: unknown, file = 'topics.json'): Topic[] {
  const { topics } = parseDataFile(topicsSchema, value, file);
  const seen = new Set<string>();
  topics.forEach((topic, i) => {
    if (seen.has(topic.id)) throw dataError(file, `topics[${i}].id`, `"${topic.id}" is listed twice`);
    seen.add(topic.id);
  });
  return topics;
}

/**
 * Validates a routing file (already parsed JSON): ids it names must exist, the last rule must
 * match every case and always find someone, so routing never comes up empty, and privacy requests
 * have a rule of their own.
 */
export function parseRouting(
  value: unknown,
  file = 'routing.json',
  refs: RoutingReferences = {},
): RoutingConfig {
  const routing = parseDataFile(routingSchema, value, file);
  routing.rules.forEach((rule, i) => checkRuleReferences(rule, `rules[${i}]`, file, refs));
  const lastIndex = routing.rules.length - 1;
  const last = routing.rules[lastIndex]!;
  if (last.match.topics || last.match.districts || last.match.kinds) {
    throw dataError(
      file,
      `rules[${lastIndex}].match`,
      'the last rule must match every case (use "match": {})',
    );
  }
  if (last.assign.type === 'district-alderman' && !last.assign.otherwise) {
    throw dataError(
      file,
      `rules[${lastIndex}].assign.otherwise`,
      'required on the last rule (for a case without a district)',
    );
  }
  checkPrivacyRule(routing.rules, file);
  return routing;
}

/** The rule a municipality copies when its file has none for privacy requests. */
const PRIVACY_RULE_EXAMPLE =
  '{"id": "privacyverzoeken", "match": {"kinds": ["privacy"]}, "assign": {"type": "department", "id": "privacy", "name": "Team Privacy"}}';

/**
 * A privacy request (AVG access or erasure; no district, a topic of its own) must reach a rule made
 * for it, not a catch-all meant for questions: it holds a legal term and goes to the privacy team.
 */
function checkPrivacyRule(rules: readonly RoutingRule[], file: string): void {
  const catches = rules.find(({ match, assign }) => {
    if (match.topics || match.districts || (match.kinds && !match.kinds.includes('privacy'))) return false;
    // Without a district, a district-alderman rule without a fallback is passed over.
    return assign.type !== 'district-alderman' || assign.otherwise !== undefined;
  });
  if (catches?.match.kinds?.includes('privacy')) return;
  throw dataError(
    file,
    'rules',
    `no rule for privacy requests (they would go to rule "${catches?.id ?? ''}"); add one before it: ${PRIVACY_RULE_EXAMPLE}`,
  );
}

function checkRuleReferences(rule: RoutingRule, at: string, file: string, refs: RoutingReferences): void {
  const check = (
    known: readonly string[] | undefined,
    ids: readonly string[],
    field: string,
    what: string,
  ): void => {
    if (!known) return;
    ids.forEach((value, i) => {
      if (!known.includes(value)) throw dataError(file, `${at}.${field}[${i}]`, `unknown ${what} "${value}"`);
    });
  };
  check(refs.topicIds, rule.match.topics ?? [], 'match.topics', 'topic');
  check(refs.districtIds, rule.match.districts ?? [], 'match.districts', 'district');
  const target = rule.assign.type === 'district-alderman' ? rule.assign.otherwise : rule.assign;
  const field = rule.assign.type === 'district-alderman' ? 'assign.otherwise.id' : 'assign.id';
  if (target?.type === 'alderman' && refs.aldermanIds && !refs.aldermanIds.includes(target.id)) {
    throw dataError(file, `${at}.${field}`, `unknown alderman "${target.id}"`);
  }
}

/** Everything the cases domain reads from the data folder. */
export interface CaseData {
  holidays: HolidayCalendar;
  topics: Topic[];
  routing: RoutingConfig;
  /** Answers staff may start from (standard-answers.json; none when the file is absent). */
  standardAnswers: StandardAnswer[];
}

/** Reads and checks holidays.json, topics.json, routing.json and standard-answers.json from `dataDir`. */
export function loadCaseData(dataDir: string, refs: Omit<RoutingReferences, 'topicIds'> = {}): CaseData {
  const file = (name: string): string => join(dataDir, name);
  const holidays = parseHolidayCalendar(readJsonFile(file('holidays.json')), file('holidays.json'));
  const topics = parseTopics(readJsonFile(file('topics.json')), file('topics.json'));
  const routing = parseRouting(readJsonFile(file('routing.json')), file('routing.json'), {
    ...refs,
    topicIds: topics.map((t) => t.id),
  });
  const topicIds = topics.map((t) => t.id);
  const standardAnswers = loadStandardAnswers(file('standard-answers.json'), topicIds);
  return { holidays, topics, routing, standardAnswers };
}
