import type {
  Case,
  CaseEvent,
  CaseKind,
  CaseStatus,
  ProposalDetails,
  ProposalStage,
} from '../../ports/case-repository.js';

/** A case as flows see it: plain JSON (it is kept in conversation state), no database ids beyond `id`. */
export interface CaseView {
  id: string;
  reference: string;
  topic: string;
  /** A question, or a resident's proposal (with its details and stage). */
  kind: CaseKind;
  status: CaseStatus;
  districtId: string | null;
  text: string;
  proposal: ProposalDetails | null;
  stage: ProposalStage | null;
  answer: string | null;
  /** Epoch milliseconds. */
  answerBy: number;
  /**
   * The later date the delay notice promised the resident (epoch ms), while it stands; the date to
   * tell them. Absent in views stored before it was added.
   */
  promisedBy?: number | null;
  answeredAt: number | null;
  /** How often the resident reopened it: each answer after a reopen is a new one. */
  reopenedCount: number;
  assignee: Case['assignee'];
  /** `channel:userId` of the resident. */
  residentKey: string;
  /** The language the resident asked in (`nl`, `en`); absent in views stored before it was added. */
  language?: string;
}

/** The view of a case. */
export function caseView(c: Case): CaseView {
  return {
    id: c.id,
    reference: c.reference,
    topic: c.topic,
    kind: c.kind,
    status: c.status,
    districtId: c.districtId,
    text: c.text,
    proposal: c.proposal,
    stage: c.stage,
    answer: c.answer,
    answerBy: c.answerBy.getTime(),
    promisedBy: c.promisedBy?.getTime() ?? null,
    answeredAt: c.answeredAt?.getTime() ?? null,
    reopenedCount: c.reopenedCount,
    assignee: c.assignee,
    residentKey: c.residentKey,
    language: c.language,
  };
}

/** What was said on a case after the question, in order: an answer, staff's question, the resident's words. */
export interface ThreadEntry {
  type: 'answered' | 'info_requested' | 'info_received' | 'reopened';
  text: string;
}

/** A case as an alderman opens it in their chat: with what was said on it since the question. */
export interface StaffCaseView extends CaseView {
  thread: ThreadEntry[];
}

/** Where each thread entry keeps its words in the history. */
const THREAD_TEXT: Record<ThreadEntry['type'], string> = {
  answered: 'text',
  info_requested: 'question',
  info_received: 'text',
  reopened: 'text',
};

function isThreadType(type: string): type is ThreadEntry['type'] {
  return Object.hasOwn(THREAD_TEXT, type);
}

/** The answers, questions for information and the resident's later words of a case's history, oldest first. */
export function caseThread(events: readonly CaseEvent[]): ThreadEntry[] {
  return events.flatMap((e) => {
    const type = e.type;
    if (!isThreadType(type)) return [];
    const text = e.detail[THREAD_TEXT[type]];
    return typeof text === 'string' && text ? [{ type, text }] : [];
  });
}
