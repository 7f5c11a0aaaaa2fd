import type { Case, CaseEventName, CaseStatus } from '../../ports/case-repository.js';
import { IllegalTransitionError } from './errors.js';

export type { CaseEventName, CaseStatus } from '../../ports/case-repository.js';

export const CASE_STATUSES: readonly CaseStatus[] = [
  'new',
  'routed',
  'in_progress',
  'waiting',
  'answered',
  'closed',
  'reopened',
];

/** Statuses in which someone at the municipality still owes the resident an answer. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['new', 'routed', 'in_progress', 'reopened'];

/** Statuses the inbox counts as open: owed an answer, or waiting for the resident's information. */
export const INBOX_OPEN_STATUSES: readonly CaseStatus[] = [...OPEN_STATUSES, 'waiting'];

/**
 * The whole machine. `waiting` (staff asked the resident for more) stops the answer-by clock, so it
 * is not among OPEN_STATUSES: no reminder or escalation fires while the resident is the one to act. An alderman may answer straight from `routed` (a reply from their own chat
 * needs no separate "start"); `reassign` keeps the status; `reopen` works from `answered` and
 * `closed` (Signalen reopens closed signals too; the 7-day window is the service's rule); an
 * operator may `close` an open case (a duplicate, spam) without an answer.
 */
const MACHINE: Record<CaseStatus, Partial<Record<CaseEventName, CaseStatus>>> = {
  new: { route: 'routed', close: 'closed' },
  routed: { reassign: 'routed', start: 'in_progress', ask: 'waiting', answer: 'answered', close: 'closed' },
  in_progress: { reassign: 'in_progress', ask: 'waiting', answer: 'answered', close: 'closed' },
  waiting: { reassign: 'waiting', resume: 'in_progress', answer: 'answered', close: 'closed' },
  answered: { reopen: 'reopened', close: 'closed' },
  closed: { reopen: 'reopened' },
  reopened: {
    reassign: 'reopened',
    start: 'in_progress',
    ask: 'waiting',
    answer: 'answered',
    close: 'closed',
  },
};

/** The status after `event`; throws IllegalTransitionError when the machine does not allow it. */
export function transition(status: CaseStatus, event: CaseEventName): CaseStatus {
  const next = MACHINE[status][event];
  if (!next) throw new IllegalTransitionError(status, event);
  return next;
}

/** Whether `event` is allowed in `status`. */
export function canTransition(status: CaseStatus, event: CaseEventName): boolean {
  return MACHINE[status][event] !== undefined;
}

/** Whether the municipality still owes an answer. */
export function isOpen(status: CaseStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/**
 * Whether the case still owes its resident a reaction by the answer-by date: an open question, or
 * an open proposal nobody reacted to yet (any stage after "received" is the first reaction the
 * proposal's norm promises, so no reminder or escalation follows it).
 */
export function owesReaction(c: Pick<Case, 'kind' | 'stage' | 'status'>): boolean {
  if (!isOpen(c.status)) return false;
  return c.kind !== 'proposal' || c.stage === 'received' || c.stage === null;
}

/**
 * Whether the case is late: it still owes a reaction (`owesReaction`) and its answer-by moment has
 * passed. The case inbox's "overdue" filter counts the same cases (`dueMoments`).
 */
export function isOverdue(
  c: Pick<Case, 'kind' | 'stage' | 'status'> & { answerBy: Date | number },
  now: Date,
): boolean {
  return owesReaction(c) && new Date(c.answerBy).getTime() < now.getTime();
}
