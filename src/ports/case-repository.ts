import type { Counts, DataSubject, PurgeBatch, StoredRows } from './personal-data.js';
/** Where a case is in its life. */
export type CaseStatus = 'new' | 'routed' | 'in_progress' | 'waiting' | 'answered' | 'closed' | 'reopened';

/** What can happen to a case's status. `ask`: staff ask the resident for more; `resume`: it came. */
export type CaseEventName = 'route' | 'reassign' | 'start' | 'ask' | 'resume' | 'answer' | 'reopen' | 'close';

/**
 * What a case is: a question, a resident's own plan or proposal (*voorstel*), or a request about
 * their personal data for the privacy team (access, AVG art. 15, or erasure, art. 17; its topic says which).
 */
export type CaseKind = 'question' | 'proposal' | 'privacy';

/** Every kind, in the order the dashboard lists them. */
export const CASE_KINDS: readonly CaseKind[] = ['question', 'proposal', 'privacy'];

/**
 * Where a proposal stands, as the resident hears it: received, being looked at, invited for a
 * talk, supported, or not possible (always with the reason).
 */
export type ProposalStage = 'received' | 'reviewing' | 'invited' | 'supported' | 'not_possible';

/** Every stage, in the order a proposal usually goes through them. */
export const PROPOSAL_STAGES: readonly ProposalStage[] = [
  'received',
  'reviewing',
  'invited',
  'supported',
  'not_possible',
];

/** What a resident told about their plan besides what it is (the case's `text`). */
export interface ProposalDetails {
  /** Where: a street, a park, the whole district. */
  where: string;
  /** Who is involved: neighbours, a club, a school. */
  who: string;
  /** What help they need from the municipality. */
  help: string;
}

/** Who answers a case: an alderman, or a department of the municipality. */
export type Assignee = { type: 'alderman'; id: string } | { type: 'department'; id: string; name: string };

export type AssigneeType = Assignee['type'];

/** The person (a dashboard account) handling a case inside its department or for its alderman. */
export interface CaseHandler {
  id: string;
  name: string;
}

/** A resident's question and what became of it. */
export interface Case {
  id: string;
  /** Readable and unique, e.g. `RSW-2026-000042`. */
  reference: string;
  /** `channel:userId`, the resident as the channels know them. */
  residentKey: string;
  /** The first name the channel gave, if any (standard answers greet with it). */
  residentName: string | null;
  channel: string;
  language: string;
  districtId: string | null;
  topic: string;
  /** A question, or a resident's proposal. */
  kind: CaseKind;
  /** The question as the resident wrote it; for a proposal, what the plan is. */
  text: string;
  /** A proposal's where, who and help; null for a question. */
  proposal: ProposalDetails | null;
  /** Where a proposal stands (the resident is told each change); null for a question. */
  stage: ProposalStage | null;
  status: CaseStatus;
  assignee: Assignee | null;
  /** The person working on it, if someone took it. */
  handler: CaseHandler | null;
  /** Since when the case waits for the resident's information (its clock stops meanwhile). */
  waitingSince: Date | null;
  /** The promised moment: the end of the last working day of the norm. */
  answerBy: Date;
  /**
   * The later date the resident was told when the answer-by date passed (the delay notice); null
   * until then, and again once the answer-by date is set anew (moved, more time, reopened). The
   * answer-by date stays: the case is still late by it.
   */
  promisedBy: Date | null;
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
  | 'escalated'
  | 'reminded'
  | 'assigned'
  | 'note'
  | 'info_requested'
  | 'info_received'
  | 'date_moved'
  | 'delay_told'
  | 'stage_changed';

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
    | 'handler'
    | 'waitingSince'
    | 'answerBy'
    | 'promisedBy'
    | 'answer'
    | 'answeredAt'
    | 'reopenedCount'
    | 'rating'
    | 'escalated'
    | 'stage'
    | 'updatedAt'
  >
>;

/** Which cases an account may see at all. */
export type CaseScope =
  /** Every case, but for these kinds (an operator does not see privacy requests). */
  | { kind: 'all'; exceptKinds?: readonly CaseKind[] }
  | { kind: 'department'; id: string }
  /** Their own cases, and (read-only) every case in their districts. */
  | { kind: 'alderman'; id: string; districtIds: readonly string[] };

/** Who a case is with, as a filter: a team, the viewer themself, or no person yet. */
export type AssigneeFilter =
  { type: 'department' | 'alderman'; id: string } | { type: 'me' } | { type: 'nobody' };

/** The inbox's filters; each one given narrows the list. */
export interface CaseFilters {
  statuses?: readonly CaseStatus[];
  assignee?: AssigneeFilter;
  /** A district id, or null for cases without a district. */
  districtId?: string | null;
  topic?: string;
  kind?: CaseKind;
  channel?: string;
  /** `overdue`: open and past the answer-by moment; `soon`: open and due by `dueSoonUntil`. */
  due?: 'overdue' | 'soon';
}

/**
 * What "overdue" and "due within 1 working day" are measured against: the case inbox's counts and
 * filters and the /metrics gauges take the same (`dueMoments` in src/features/cases/inbox.ts).
 */
export interface DueMoments {
  now: Date;
  /** The end of the next working day: `due: 'soon'` means an answer-by at or before it. */
  dueSoonUntil: Date;
  /** Statuses that still owe an answer (the due filters and counts look only at these). */
  openStatuses: readonly CaseStatus[];
}

/** One inbox request: what the viewer may see, what they filter and search, which page. */
export interface InboxQuery extends DueMoments {
  scope: CaseScope;
  /** The viewer's account id (the `me` filter and count). */
  viewerId: string;
  filters: CaseFilters;
  /** A canonical reference (exact match) or words that must all occur in the question. */
  search?: { reference: string } | { words: readonly string[] };
  offset: number;
  limit: number;
}

/** How many cases each filter value would give, the other filters staying as they are. */
export interface InboxCounts {
  status: Record<string, number>;
  /** By `department:<id>`, `alderman:<id>`, `me` and `nobody`. */
  assignee: Record<string, number>;
  /** By district id; `''` for cases without a district. */
  district: Record<string, number>;
  topic: Record<string, number>;
  kind: Record<string, number>;
  channel: Record<string, number>;
  due: { overdue: number; soon: number };
}

/** One page of the inbox, the earliest answer-by first. */
export interface InboxPage {
  cases: Case[];
  total: number;
  counts: InboxCounts;
}

/** How a new case's reference is made: `RSW-2026-000042` is prefix RSW, year 2026, 6 digits. */
export interface ReferenceNumbering {
  prefix: string;
  year: number;
  digits: number;
}

/** Storage of cases, their history and their reference counters. Implemented in src/storage/. */
export interface CaseRepository {
  /**
   * The next number for (prefix, year), starting at 1 each year; concurrent callers (processes too)
   * never get the same number, and a caller does not wait for another's transaction to end where
   * the database can avoid it (PostgreSQL). Numbers may be skipped (a create rolled back), never
   * repeated.
   */
  nextNumber(prefix: string, year: number): Promise<number>;
  /**
   * Stores a new case, and its first event when given (in the same statement where the database
   * can); false (and nothing stored) when its idempotency key is already used.
   */
  insertIfNew(c: Case, first?: NewCaseEvent): Promise<boolean>;
  /**
   * Stores a new case under the next number of (prefix, year), drawn as `nextNumber` draws it, in
   * the same statement as the case and its first event where the database can (PostgreSQL); the
   * case's `reference` and the event's `detail.reference` become `PREFIX-YEAR-` and the number with
   * at least `digits` digits. Gives that reference, or null (nothing stored, the number skipped) when
   * the idempotency key is already used.
   */
  insertNumbered(c: Case, numbering: ReferenceNumbering, first?: NewCaseEvent): Promise<string | null>;
  findById(id: string): Promise<Case | null>;
  findByReference(reference: string): Promise<Case | null>;
  findByIdempotencyKey(key: string): Promise<Case | null>;
  /**
   * Applies `changes` only while the case still has the `expected` status (and escalated flag,
   * when given); false when someone changed it first (compare-and-set). With `event`, the event is
   * recorded when (and only when) the change went in, in the same statement where the database can.
   */
  update(
    id: string,
    expected: { status: CaseStatus; escalated?: boolean },
    changes: CaseChanges,
    event?: NewCaseEvent,
  ): Promise<boolean>;
  /** Cases with one of `statuses` assigned to (type, id), earliest answer-by first. */
  listForAssignee(type: AssigneeType, id: string, statuses: readonly CaseStatus[]): Promise<Case[]>;
  /** A resident's cases, newest first. */
  listForResident(residentKey: string): Promise<Case[]>;
  /** Cases with one of `statuses`, not yet escalated, whose answer-by is at or before `now`; earliest first. */
  listOverdue(now: Date, statuses: readonly CaseStatus[]): Promise<Case[]>;
  /**
   * Cases with one of `statuses` whose answer-by is after `now` (their timers are still ahead); with
   * `changedSince`, only those changed at or after it.
   */
  listDueAfter(now: Date, statuses: readonly CaseStatus[], changedSince?: Date): Promise<Case[]>;
  /** New cases created at or before `createdBefore` that no routing has reached (a lost job). */
  listUnrouted(createdBefore: Date): Promise<Case[]>;
  /** The cases a viewer may see, filtered, searched and paged, with counts per filter value. */
  inbox(query: InboxQuery): Promise<InboxPage>;
  addEvent(event: NewCaseEvent): Promise<CaseEvent>;
  /** A case's history, oldest first. */
  events(caseId: string): Promise<CaseEvent[]>;
  /** Ids of the resident's cases. */
  idsOfResident(residentKey: string): Promise<string[]>;
  /**
   * Retention: anonymises cases answered or closed before the batch's moment (resident, text and
   * answer cleared, history deleted); district, topic, channel, dates and rating stay for statistics.
   */
  anonymiseSettled(batch: PurgeBatch): Promise<{ cases: number; case_events: number }>;
  /** The resident's cases and their history (AVG access request). */
  personalData(subject: DataSubject): Promise<StoredRows>;
  /** Anonymises the resident's cases (open ones are closed) and deletes their history (AVG erasure). */
  erasePersonalData(subject: DataSubject): Promise<Counts>;
}
