import type { Assignee, Case, CaseHandler } from '../../ports/case-repository.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { endOfLocalDay, localDateOf, type LocalDate } from '../../shared/local-date.js';
import { change, checkedText, event } from './case-change.js';
import { isOpen } from './case-status.js';
import { getCase, reassignCase } from './case-service.js';
import { InvalidCaseInputError } from './errors.js';
import {
  isWorkingDay,
  shiftWorkingDays,
  workingDaysBetween,
  type WorkingDayOptions,
} from './working-days.js';

type CaseRepos = Pick<Repositories, 'cases'>;

/** The longest internal note, reason or question to the resident, in characters. */
export const MAX_NOTE_LENGTH = 2000;

/**
 * Gives the case to a team (a department or an alderman: the person handling it is cleared, the
 * new team picks) or to a person inside the team (the team stays). Giving it to whoever already
 * has it changes nothing and records nothing.
 */
export async function assignCase(
  repos: CaseRepos,
  caseId: string,
  target: Assignee | ({ type: 'person' } & CaseHandler),
  actor: string,
  now: Date,
): Promise<Case> {
  const c = await getCase(repos, caseId);
  if (target.type === 'person') {
    if (c.handler?.id === target.id) return c;
    const handler = { id: target.id, name: target.name };
    return change(repos, c, null, { handler }, now, event(actor, 'assigned', { handler, from: c.handler }));
  }
  if (c.assignee && c.assignee.type === target.type && c.assignee.id === target.id) return c;
  const moved = await reassignCase(repos, caseId, target, actor, now);
  if (!moved.handler) return moved;
  return change(
    repos,
    moved,
    null,
    { handler: null },
    now,
    event(actor, 'assigned', { handler: null, from: moved.handler }),
  );
}

/** An internal note: kept in the history, never sent to the resident. */
export async function addNote(
  repos: CaseRepos,
  caseId: string,
  actor: string,
  text: string,
  now: Date,
): Promise<Case> {
  const note = checkedText(text, MAX_NOTE_LENGTH);
  const c = await getCase(repos, caseId);
  return change(repos, c, null, {}, now, event(actor, 'note', { text: note, internal: true }));
}

/** Staff ask the resident for more: the case waits, and its answer-by clock stops until they reply. */
export async function requestInfo(
  repos: CaseRepos,
  caseId: string,
  actor: string,
  question: string,
  now: Date,
): Promise<Case> {
  const text = checkedText(question, MAX_NOTE_LENGTH);
  const c = await getCase(repos, caseId);
  return change(
    repos,
    c,
    'ask',
    { waitingSince: now },
    now,
    event(actor, 'info_requested', { question: text }),
  );
}

/**
 * The resident's reply to a request for information: added to the case, which is worked on again.
 * The answer-by date moves by the working days the case waited (the clock stood still, as with a
 * suspended statutory term), so the resident's wait never eats into the municipality's promise.
 */
export async function addInfo(
  repos: CaseRepos,
  caseId: string,
  text: string,
  now: Date,
  options: WorkingDayOptions,
): Promise<Case> {
  const info = checkedText(text);
  const c = await getCase(repos, caseId);
  const waited = c.waitingSince ? Math.max(0, workingDaysBetween(c.waitingSince, now, options)) : 0;
  const answerDay = shiftWorkingDays(localDateOf(c.answerBy, options.timeZone), waited, options.holidays);
  const answerBy = waited > 0 ? endOfLocalDay(answerDay, options.timeZone) : c.answerBy;
  const changes = {
    waitingSince: null,
    answerBy,
    escalated: c.escalated && answerBy <= now,
    // A new answer-by date replaces what the delay notice promised; the same one keeps it.
    ...(answerBy.getTime() !== c.answerBy.getTime() ? { promisedBy: null } : {}),
  };
  const detail = { text: info, waitedWorkingDays: waited, answerBy: answerBy.toISOString() };
  return change(repos, c, 'resume', changes, now, event('resident', 'info_received', detail));
}

/**
 * Moves the answer-by date of an open case to the end of `date` (a working day, today or later),
 * with the reason the resident will read. A case that escalated may escalate again at the new date.
 */
export async function moveAnswerBy(
  repos: CaseRepos,
  caseId: string,
  actor: string,
  request: { date: LocalDate; reason: string },
  now: Date,
  options: WorkingDayOptions,
): Promise<Case> {
  const reason = checkedText(request.reason, MAX_NOTE_LENGTH);
  const c = await getCase(repos, caseId);
  if (!isOpen(c.status) && c.status !== 'waiting')
    throw new InvalidCaseInputError(
      'case.not_open',
      `a case that is "${c.status}" has no answer-by date to move`,
    );
  if (request.date < localDateOf(now, options.timeZone) || !isWorkingDay(request.date, options.holidays))
    throw new InvalidCaseInputError(
      'case.date_invalid',
      `${request.date} is not a working day from today on`,
    );
  const answerBy = endOfLocalDay(request.date, options.timeZone);
  const detail = { from: c.answerBy.toISOString(), to: answerBy.toISOString(), reason };
  const changes = { answerBy, promisedBy: null, escalated: false };
  return change(repos, c, null, changes, now, event(actor, 'date_moved', detail));
}
