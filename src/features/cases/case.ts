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
