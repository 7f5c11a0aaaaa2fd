import type { AssigneeType, Case, CaseEvent, CaseStatus, NewCaseEvent } from '../features/cases/case.js';

/** Fields a command may change; the rest of a case is fixed once created. */
export type CaseChanges = Partial<
  Pick<
    Case,
    | 'status'
    | 'assignee'
    | 'answerBy'
    | 'answer'
    | 'answeredAt'
    | 'reopenedCount'
    | 'rating'
    | 'escalated'
    | 'updatedAt'
  >
>;

/** Storage of cases, their history and their reference counters. Implemented in src/storage/. */
export interface CaseRepository {
  /**
   * The next number for (prefix, year), starting at 1; atomic in one statement, so concurrent
   * callers (processes too) never get the same number. Numbers may be skipped, never repeated.
   */
  nextNumber(prefix: string, year: number): Promise<number>;
  /** Stores a new case; false (and nothing stored) when its idempotency key is already used. */
  insertIfNew(c: Case): Promise<boolean>;
  findById(id: string): Promise<Case | null>;
  findByReference(reference: string): Promise<Case | null>;
  findByIdempotencyKey(key: string): Promise<Case | null>;
  /**
   * Applies `changes` only while the case still has the `expected` status (and escalated flag,
   * when given); false when someone changed it first (compare-and-set).
   */
  update(
    id: string,
    expected: { status: CaseStatus; escalated?: boolean },
    changes: CaseChanges,
  ): Promise<boolean>;
  /** Cases with one of `statuses` assigned to (type, id), earliest answer-by first. */
  listForAssignee(type: AssigneeType, id: string, statuses: readonly CaseStatus[]): Promise<Case[]>;
  /** A resident's cases, newest first. */
  listForResident(residentKey: string): Promise<Case[]>;
  /** Cases with one of `statuses`, not yet escalated, whose answer-by is at or before `now`; earliest first. */
  listOverdue(now: Date, statuses: readonly CaseStatus[]): Promise<Case[]>;
  /** New cases created at or before `createdBefore` that no routing has reached (a lost job). */
  listUnrouted(createdBefore: Date): Promise<Case[]>;
  addEvent(event: NewCaseEvent): Promise<CaseEvent>;
  /** A case's history, oldest first. */
  events(caseId: string): Promise<CaseEvent[]>;
}
