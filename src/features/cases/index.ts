/** The cases domain: what flows, jobs and the dashboard use. Storage lives in src/storage/. */
export type {
  Assignee,
  AssigneeType,
  Case,
  CaseEvent,
  CaseEventName,
  CaseEventType,
  CaseStatus,
} from './case.js';
export { CASE_STATUSES, OPEN_STATUSES, canTransition, isOpen, transition } from './case-status.js';
export {
  CaseNotFoundError,
  ConcurrentCaseChangeError,
  IllegalTransitionError,
  InvalidCaseInputError,
  NotAnsweredError,
  ReopenWindowClosedError,
} from './errors.js';
export type { CaseRepository, CaseChanges } from '../../ports/case-repository.js';
export {
  loadCaseData,
  parseHolidayCalendar,
  parseRouting,
  parseTopics,
  type CaseData,
  type HolidayCalendar,
  type RoutingConfig,
  type RoutingRule,
  type Topic,
} from '../../municipality/case-data.js';
export { easterSunday, holidayOn, holidaysInYear, type Holiday } from '../../municipality/holidays.js';
export type { LocalDate } from '../../shared/local-date.js';
export { addWorkingDays, isWorkingDay, shiftWorkingDays, workingDaysBetween } from './working-days.js';
export {
  findReference,
  formatReference,
  normalizeReference,
  parseReference,
  type CaseReference,
} from './reference.js';
export { NoRouteError, route, type DistrictRef, type RoutingDecision } from './routing.js';
export {
  MAX_CASE_TEXT_LENGTH,
  REOPEN_WINDOW_DAYS,
  answerCase,
  caseEvents,
  casesForAssignee,
  casesForResident,
  closeCase,
  createCase,
  findForResident,
  getCase,
  reassignCase,
  rateCase,
  reopenCase,
  routeCase,
  startCase,
  type AnswerByRules,
  type CreateCaseInput,
} from './case-service.js';
export {
  dueForEscalation,
  escalationPlan,
  isCaseJobCurrent,
  markEscalated,
  type CaseJobData,
  type CaseJobKind,
  type EscalationOptions,
  type PlannedCaseJob,
} from './escalation.js';
