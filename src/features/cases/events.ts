import type { CaseView } from './views.js';

/** What the cases feature tells conversations, by event name: the contract with the flows that handle it. */
export interface CaseEvents {
  /** To the assigned alderman's chat: a new case for them. */
  'case.assigned': { case: CaseView };
  /** To the assigned alderman's chat: a working day before the answer-by date. */
  'case.reminder': { case: CaseView };
  /** To the assigned alderman's chat: the answer-by date passed. */
  'case.escalated': { case: CaseView };
  /** To the assigned alderman's chat: the resident reacted to the answer. */
  'case.reopened': { case: CaseView; words: string };
  /** To the resident: the answer-by date will be missed; `newDate` is the honest new one (epoch ms). */
  'case.delay': { case: CaseView; newDate: number };
  /** To the resident: the answer to their question. */
  'case.answered': { case: CaseView };
  /** To the resident: staff need more information; their next message is added to the case. */
  'case.info_requested': { case: CaseView; question: string };
  /**
   * To the resident: staff moved the answer-by date (the case's `answerBy` is the new one), and why;
   * `earlier` when it is before the date the resident was told (absent in events stored before it).
   */
  'case.date_moved': { case: CaseView; reason: string; earlier?: boolean };
  /** To the resident: staff closed their case before answering it, and why (`reason`). */
  'case.closed': { case: CaseView; reason: string };
  /** To the resident: their proposal's stage changed (`case.stage`); `reason` is staff's words, if any. */
  'case.proposal_stage': { case: CaseView; reason: string | null };
  /** To the assigned alderman's chat: the resident sent the information asked for. */
  'case.info': { case: CaseView; words: string };
  /** To the chat of the alderman who had the case: staff gave it to another team (`case.assignee`). */
  'case.handed_over': { case: CaseView };
}

/** The jobs the cases feature runs, by name, with their data. */
export interface CaseJobs {
  /** Routes a new case by the rules, or to `departmentId` when staff chose one (a lost job's sweep uses the rules). */
  'case.route': { caseId: string; departmentId?: string };
  'case.followup': { caseId: string; words: string };
  /** The resident sent the information asked for: plan the new timers, tell the assignee. */
  'case.info': { caseId: string; words: string };
}
