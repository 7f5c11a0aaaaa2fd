import type { Assignee, Case } from '../../ports/case-repository.js';
import type { RoutingConfig, RoutingRule } from '../../municipality/case-data.js';

export type { RoutingConfig, RoutingRule } from '../../municipality/case-data.js';

/** What routing needs of a district (districts.json has more). */
export interface DistrictRef {
  id: string;
  aldermanId: string;
}

/** What routing reads of a case; without a kind it is a question. */
export type RoutedCase = Pick<Case, 'topic' | 'districtId'> & Partial<Pick<Case, 'kind'>>;

/** Who gets the case, and which rule said so (for the event history). */
export interface RoutingDecision {
  assignee: Assignee;
  ruleId: string;
}

/** Thrown only when rules were not checked by parseRouting (whose last rule always matches). */
export class NoRouteError extends Error {
  constructor(topic: string, districtId: string | null) {
    super(`no routing rule matches topic "${topic}" in district "${districtId ?? '(none)'}"`);
    this.name = 'NoRouteError';
  }
}

/**
 * Picks who answers a case: the FIRST rule whose topics and districts both match wins (as in
 * Signalen). A "district-alderman" rule gives the district's alderman, or its `otherwise` when the
 * case has no (known) district; without `otherwise` the rule is passed over.
 */
export function route(
  c: RoutedCase,
  rules: readonly RoutingRule[],
  districts: readonly DistrictRef[],
): RoutingDecision {
  for (const rule of rules) {
    if (!matches(rule, c)) continue;
    const assignee = target(rule, c.districtId, districts);
    if (assignee) return { assignee, ruleId: rule.id };
  }
  throw new NoRouteError(c.topic, c.districtId);
}

function matches(rule: RoutingRule, c: RoutedCase): boolean {
  const { topics, districts, kinds } = rule.match;
  if (kinds && !kinds.includes(c.kind ?? 'question')) return false;
  if (topics && !topics.includes(c.topic)) return false;
  if (districts && (c.districtId === null || !districts.includes(c.districtId))) return false;
  return true;
}

function target(
  rule: RoutingRule,
  districtId: string | null,
  districts: readonly DistrictRef[],
): Assignee | undefined {
  const assign = rule.assign;
  if (assign.type === 'alderman') return { type: 'alderman', id: assign.id };
  if (assign.type === 'department') return { type: 'department', id: assign.id, name: assign.name };
  const district = districtId === null ? undefined : districts.find((d) => d.id === districtId);
  if (district) return { type: 'alderman', id: district.aldermanId };
  return assign.otherwise && { ...assign.otherwise };
}

/** The answer-by norm in working days for a kind of case: its own from the data, else the general one. */
export function answerNorm(
  routing: Pick<RoutingConfig, 'answerNormWorkingDays' | 'answerNormByKind'>,
  kind: Case['kind'],
): number {
  return routing.answerNormByKind[kind] ?? routing.answerNormWorkingDays;
}

/** The term in calendar months for a kind of case, when the data gives one (a privacy request). */
export function answerMonths(
  routing: Pick<RoutingConfig, 'answerMonthsByKind'>,
  kind: Case['kind'],
): number | undefined {
  return routing.answerMonthsByKind[kind];
}
