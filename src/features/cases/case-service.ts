import { randomUUID } from 'node:crypto';
import type { Repositories } from '../../ports/unit-of-work.js';
import type {
  Assignee,
  AssigneeType,
  Case,
  CaseEvent,
  CaseKind,
  ProposalDetails,
} from '../../ports/case-repository.js';
import type { CaseChanges } from '../../ports/case-repository.js';
import { OPEN_STATUSES, transition } from './case-status.js';
import { change, checkedText, event } from './case-change.js';
import {
  CaseNotFoundError,
  ConcurrentCaseChangeError,
  InvalidCaseInputError,
  NotAnsweredError,
  ReopenWindowClosedError,
} from './errors.js';
import type { HolidayCalendar } from '../../municipality/holidays.js';
import { addMonths, endOfLocalDay, localDateOf, yearOf } from '../../shared/local-date.js';
import { normalizeReference, referenceNumbering } from './reference.js';
import { route, type DistrictRef, type RoutingRule } from './routing.js';
import { addWorkingDays } from './working-days.js';

export { MAX_CASE_TEXT_LENGTH } from './case-change.js';
/** A follow-up reopens a case only this many days after its answer; later it is a new question. */
export const REOPEN_WINDOW_DAYS = 7;

/** How an answer-by date is computed: the norm in working days, where, and which days are closed. */
export interface AnswerByRules {
  norm: number;
  /** A term in calendar months instead of `norm` (a privacy request: one month). */
  months?: number;
  holidays: HolidayCalendar;
  timeZone: string;
}

/**
 * The answer-by moment for something received at `start`: the end of the `norm`-th working day
 * after it, or with `months` the end of the same day that many months later (AVG art. 12(3)).
 */
export function answerByOf(start: Date, rules: AnswerByRules): Date {
  if (rules.months === undefined) return addWorkingDays(start, rules.norm, rules);
  return endOfLocalDay(addMonths(localDateOf(start, rules.timeZone), rules.months), rules.timeZone);
}

export interface CreateCaseInput extends AnswerByRules {
  residentKey: string;
  residentName?: string | null;
  channel: string;
  language: string;
  districtId: string | null;
  topic: string;
  text: string;
  /** A question unless said; a proposal carries its details and starts as "received". */
  kind?: CaseKind;
  /** Who made it, for its history: the resident unless said (`staff:<id>` from a webcare takeover). */
  createdBy?: string;
  /**
   * The department staff chose when they made it (webcare); kept in its history so that routing
   * honours it even when the queue lost the job that carried it (the sweep reads it back).
   */
  departmentId?: string;
  proposal?: ProposalDetails;
  /** The inbound message id that carried the question. */
  idempotencyKey: string;
  now: Date;
  /** The municipality's reference prefix, e.g. `RSW`. */
  prefix: string;
}

/**
 * Turns a question into a case with a reference and an answer-by date, and records it. The same
 * idempotency key always gives the one case, however many calls race. Run it in a transaction.
 */
export async function createCase(repos: Pick<Repositories, 'cases'>, input: CreateCaseInput): Promise<Case> {
  const text = checkedText(input.text);
  const kind = input.kind ?? 'question';
  const proposal = kind === 'proposal' ? checkedProposal(input.proposal) : null;
  // No look-up first: a repeat is rare (a retried job or turn), so it is found by the refused
  // insert below, at the price of one reference number skipped (numbers may skip, never repeat).
  const numbering = referenceNumbering(input.prefix, yearOf(localDateOf(input.now, input.timeZone)));
  const c: Case = {
    id: randomUUID(),
    // Storage draws the number and makes the reference with the insert (insertNumbered).
    reference: '',
    residentKey: input.residentKey,
    residentName: input.residentName?.slice(0, 100) ?? null,
    channel: input.channel,
    language: input.language,
    districtId: input.districtId,
    topic: input.topic,
    kind,
    text,
    proposal,
    stage: kind === 'proposal' ? 'received' : null,
    status: 'new',
    assignee: null,
    handler: null,
    waitingSince: null,
    answerBy: answerByOf(input.now, input),
    answer: null,
    answeredAt: null,
    reopenedCount: 0,
    promisedBy: null,
    rating: null,
    escalated: false,
    idempotencyKey: input.idempotencyKey,
    createdAt: input.now,
    updatedAt: input.now,
  };
  const { topic, districtId, channel } = c;
  const detail = {
    reference: '',
    topic,
    districtId,
    channel,
    answerBy: c.answerBy.toISOString(),
    ...(kind !== 'question' ? { kind } : {}),
    ...(input.departmentId ? { departmentId: input.departmentId } : {}),
  };
  const created = {
    caseId: c.id,
    at: input.now,
    actor: input.createdBy ?? 'resident',
    type: 'created' as const,
    detail,
  };
  const reference = await repos.cases.insertNumbered(c, numbering, created);
  if (reference === null) {
    const winner = await repos.cases.findByIdempotencyKey(input.idempotencyKey);
    if (!winner) throw new ConcurrentCaseChangeError(input.idempotencyKey);
    return winner;
  }
  return { ...c, reference };
}

/** The longest where, who or help of a proposal, in characters. */
export const MAX_PROPOSAL_FIELD_LENGTH = 1000;

/** A proposal's fields trimmed and checked: each one said, none too long. */
function checkedProposal(p: ProposalDetails | undefined): ProposalDetails {
  if (!p) throw new InvalidCaseInputError('case.text_empty', 'a proposal needs where, who and help');
  return {
    where: checkedText(p.where, MAX_PROPOSAL_FIELD_LENGTH),
    who: checkedText(p.who, MAX_PROPOSAL_FIELD_LENGTH),
    help: checkedText(p.help, MAX_PROPOSAL_FIELD_LENGTH),
  };
}

/**
 * Assigns a new case by the routing rules (first match wins), or to the department staff chose when
 * they made the case (`chosen`, the rule id then says so). A case that is no longer new is
 * returned as it is, so a repeated routing job does nothing.
 */
export async function routeCase(
  repos: Pick<Repositories, 'cases'>,
  caseId: string,
  rules: readonly RoutingRule[],
  districts: readonly DistrictRef[],
  now: Date,
  chosen?: Extract<Assignee, { type: 'department' }>,
): Promise<Case> {
  const c = await getCase(repos, caseId);
  if (c.status !== 'new') return c;
  const { assignee, ruleId } = chosen
    ? { assignee: chosen, ruleId: 'chosen-by-staff' }
    : route(c, rules, districts);
  return change(repos, c, 'route', { assignee }, now, event('system', 'routed', { assignee, ruleId }));
}

/** Gives a case to someone else (operator triage); a new case becomes routed. */
export async function reassignCase(
  repos: Pick<Repositories, 'cases'>,
  caseId: string,
  assignee: Assignee,
  actor: string,
  now: Date,
): Promise<Case> {
  const c = await getCase(repos, caseId);
  const name = c.status === 'new' ? 'route' : 'reassign';
  const detail = { assignee, from: c.assignee };
  return change(
    repos,
    c,
    name,
    { assignee },
    now,
    event(actor, name === 'route' ? 'routed' : 'reassigned', detail),
  );
}

/** Marks that someone started working on the case. */
export async function startCase(
  repos: Pick<Repositories, 'cases'>,
  caseId: string,
  actor: string,
  now: Date,
): Promise<Case> {
  const c = await getCase(repos, caseId);
  return change(repos, c, 'start', {}, now, event(actor, 'started', {}));
}

/** Stores the answer (earlier answers stay in the history) and marks the case answered; `standardAnswerId` notes what it started from. */
export async function answerCase(
  repos: Pick<Repositories, 'cases'>,
  caseId: string,
  actor: string,
  text: string,
  now: Date,
  standardAnswerId?: string,
): Promise<Case> {
  const answer = checkedText(text);
  const c = await getCase(repos, caseId);
  const changes = { answer, answeredAt: now, waitingSince: null };
  const detail = { text: answer, ...(standardAnswerId ? { standardAnswerId } : {}) };
  return change(repos, c, 'answer', changes, now, event(actor, 'answered', detail));
}

/**
 * Reopens an answered (or closed) case for a follow-up, only within REOPEN_WINDOW_DAYS of the
 * answer. With `deadline`, the case gets a fresh answer-by date and may escalate again.
 */
export async function reopenCase(
  repos: Pick<Repositories, 'cases'>,
  caseId: string,
  text: string,
  now: Date,
  options: { actor?: string; deadline?: AnswerByRules } = {},
): Promise<Case> {
  const followUp = checkedText(text);
  const c = await getCase(repos, caseId);
  transition(c.status, 'reopen');
  const windowEnd = c.answeredAt && c.answeredAt.getTime() + REOPEN_WINDOW_DAYS * 86_400_000;
  if (!windowEnd || now.getTime() > windowEnd) throw new ReopenWindowClosedError(REOPEN_WINDOW_DAYS);
  const changes: CaseChanges = { reopenedCount: c.reopenedCount + 1 };
  if (options.deadline) {
    changes.answerBy = answerByOf(now, options.deadline);
    changes.promisedBy = null;
    changes.escalated = false;
  }
  const detail = {
    text: followUp,
    ...(changes.answerBy ? { answerBy: changes.answerBy.toISOString() } : {}),
  };
  return change(repos, c, 'reopen', changes, now, event(options.actor ?? 'resident', 'reopened', detail));
}

/** Closes a case: after its answer, or an open one that needs none (a duplicate, spam). */
export async function closeCase(
  repos: Pick<Repositories, 'cases'>,
  caseId: string,
  actor: string,
  now: Date,
  reason?: string,
): Promise<Case> {
  const c = await getCase(repos, caseId);
  return change(repos, c, 'close', {}, now, event(actor, 'closed', reason ? { reason } : {}));
}

/** Stores the resident's rating, 1 to 5, of an answered or closed case (a later rating replaces it). */
export async function rateCase(
  repos: Pick<Repositories, 'cases'>,
  caseId: string,
  rating: number,
  now: Date,
  actor = 'resident',
): Promise<Case> {
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
    throw new InvalidCaseInputError(
      'case.rating_invalid',
      `a rating is a whole number from 1 to 5, got ${rating}`,
    );
  }
  const c = await getCase(repos, caseId);
  if (!c.answeredAt || (c.status !== 'answered' && c.status !== 'closed'))
    throw new NotAnsweredError(c.status);
  return change(repos, c, null, { rating }, now, event(actor, 'rated', { rating }));
}

/** The open cases of an alderman or department, the earliest answer-by first. */
export async function casesForAssignee(
  repos: Pick<Repositories, 'cases'>,
  type: AssigneeType,
  id: string,
): Promise<Case[]> {
  return repos.cases.listForAssignee(type, id, OPEN_STATUSES);
}

/** All of a resident's cases, newest first. */
export async function casesForResident(
  repos: Pick<Repositories, 'cases'>,
  residentKey: string,
): Promise<Case[]> {
  return repos.cases.listForResident(residentKey);
}

/**
 * The resident's own case with that reference (typed sloppily or not), else null. Another
 * resident's reference gives the same null as a made-up one, so references cannot be probed.
 */
export async function findForResident(
  repos: Pick<Repositories, 'cases'>,
  residentKey: string,
  reference: string,
): Promise<Case | null> {
  const canonical = normalizeReference(reference);
  if (!canonical) return null;
  const c = await repos.cases.findByReference(canonical);
  return c && c.residentKey === residentKey ? c : null;
}

/** A case's history, oldest first. */
export async function caseEvents(repos: Pick<Repositories, 'cases'>, caseId: string): Promise<CaseEvent[]> {
  return repos.cases.events(caseId);
}

/** The case with that id; throws CaseNotFoundError. */
export async function getCase(repos: Pick<Repositories, 'cases'>, caseId: string): Promise<Case> {
  const c = await repos.cases.findById(caseId);
  if (!c) throw new CaseNotFoundError(`with id ${caseId}`);
  return c;
}
