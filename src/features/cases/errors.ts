import { DomainError } from '../../shared/errors.js';
import type { CaseEventName, CaseStatus } from '../../ports/case-repository.js';

/** The status machine does not allow `event` in `from`; the caller's view of the case is stale or wrong. */
export class IllegalTransitionError extends DomainError {
  constructor(
    readonly from: CaseStatus,
    readonly event: CaseEventName,
  ) {
    super('case.illegal_transition', `a case that is "${from}" cannot be "${event}"`);
    this.name = 'IllegalTransitionError';
  }
}

/** No case with that id (or, for a resident, none of theirs with that reference). */
export class CaseNotFoundError extends DomainError {
  constructor(what: string) {
    super('case.not_found', `no case ${what}`);
    this.name = 'CaseNotFoundError';
  }
}

/** A follow-up came more than the allowed days after the answer; it must become a new question. */
export class ReopenWindowClosedError extends DomainError {
  constructor(readonly days: number) {
    super('case.reopen_window_closed', `a case can only be reopened within ${days} days of its answer`);
    this.name = 'ReopenWindowClosedError';
  }
}

/** Input the domain refuses: an empty or too long text, a rating outside 1-5. */
export class InvalidCaseInputError extends DomainError {
  constructor(
    code:
      | 'case.text_empty'
      | 'case.text_too_long'
      | 'case.rating_invalid'
      | 'case.not_open'
      | 'case.date_invalid'
      | 'case.unknown_target'
      | 'case.unknown_standard_answer'
      | 'case.not_proposal'
      | 'case.stage_invalid'
      | 'case.reason_required',
    message: string,
  ) {
    super(code, message);
    this.name = 'InvalidCaseInputError';
  }
}

/** Someone else changed the case between our read and our write; running the command again is safe. */
export class ConcurrentCaseChangeError extends DomainError {
  constructor(caseId: string) {
    super('case.concurrent_change', `case ${caseId} changed while it was being updated`);
    this.name = 'ConcurrentCaseChangeError';
  }
}

/** Only an answered (or closed after an answer) case can be rated. */
export class NotAnsweredError extends DomainError {
  constructor(readonly status: string) {
    super('case.not_answered', `a case that is "${status}" has no answer to rate`);
    this.name = 'NotAnsweredError';
  }
}

/** The staff member may see the case but not do this to it (an alderman reading a district's case). */
export class CaseForbiddenError extends DomainError {
  constructor(readonly action: string) {
    super('case.forbidden', `this account may not ${action} this case`);
    this.name = 'CaseForbiddenError';
  }
}
