/** Where a case is in its life. */
export type CaseStatus = 'new' | 'routed' | 'in_progress' | 'answered' | 'closed' | 'reopened';

/** What can happen to a case's status. */
export type CaseEventName = 'route' | 'reassign' | 'start' | 'answer' | 'reopen' | 'close';

/** Who answers a case: an alderman, or a department of the municipality. */
export type Assignee = { type: 'alderman'; id: string } | { type: 'department'; id: string; name: string };

export type AssigneeType = Assignee['type'];

/** A resident's question and what became of it. */
export interface Case {
  id: string;
  /** Readable and unique, e.g. `RSW-2026-000042`. */
  reference: string;
  /** `channel:userId`, the resident as the channels know them. */
  residentKey: string;
  channel: string;
  language: string;
  districtId: string | null;
  topic: string;
  /** The question as the resident wrote it. */
  text: string;
  status: CaseStatus;
  assignee: Assignee | null;
  /** The promised moment: the end of the last working day of the norm. */
  answerBy: Date;
  /** The latest answer; earlier ones stay in the events. */
  answer: string | null;
  answeredAt: Date | null;
  reopenedCount: number;
  rating: number | null;
  escalated: boolean;
  /** The inbound message id that created the case; a second create with it returns this case. */
  idempotencyKey: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What an entry in a case's history records. */
export type CaseEventType =
  | 'created'
  | 'routed'
  | 'reassigned'
  | 'started'
  | 'answered'
  | 'reopened'
  | 'closed'
  | 'rated'
  | 'escalated';

/** One entry in a case's history: when, who, what. */
export interface CaseEvent {
  id: number;
  caseId: string;
  at: Date;
  /** `resident`, `system`, `alderman:<id>`, `operator:<id>`, … */
  actor: string;
  type: CaseEventType;
  detail: Record<string, unknown>;
}

/** A history entry before the database numbered it. */
export type NewCaseEvent = Omit<CaseEvent, 'id'>;

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
