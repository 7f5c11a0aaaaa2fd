import type {
  Case,
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
  answeredAt: number | null;
  /** How often the resident reopened it: each answer after a reopen is a new one. */
  reopenedCount: number;
  assignee: Case['assignee'];
  /** `channel:userId` of the resident. */
  residentKey: string;
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
    answeredAt: c.answeredAt?.getTime() ?? null,
    reopenedCount: c.reopenedCount,
    assignee: c.assignee,
    residentKey: c.residentKey,
  };
}
