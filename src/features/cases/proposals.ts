import type { Case, CaseEventName, ProposalStage } from '../../ports/case-repository.js';
import { PROPOSAL_STAGES } from '../../ports/case-repository.js';
import type { Repositories } from '../../ports/unit-of-work.js';
import { MAX_NOTE_LENGTH } from './case-actions.js';
import { change, checkedText, event } from './case-change.js';
import { getCase } from './case-service.js';
import { canTransition } from './case-status.js';
import { InvalidCaseInputError } from './errors.js';

/** The stages staff can set (a proposal is "received" when it is made). */
export const SETTABLE_STAGES: readonly ProposalStage[] = PROPOSAL_STAGES.filter((s) => s !== 'received');

/** The stages that end the municipality's part: the resident has their answer. */
const FINAL: readonly ProposalStage[] = ['supported', 'not_possible'];

/** Whether `value` is a stage staff can set. */
export function isSettableStage(value: string): value is ProposalStage {
  return (SETTABLE_STAGES as readonly string[]).includes(value);
}

/** Whether the case is a proposal whose stage staff can still change. */
export function stageChangeable(c: Pick<Case, 'kind' | 'status'>): boolean {
  return c.kind === 'proposal' && c.status !== 'closed';
}

/** The status machine's step for a stage: a final stage answers, the others mean work started. */
function statusEvent(status: Case['status'], stage: ProposalStage): CaseEventName | null {
  const name: CaseEventName = FINAL.includes(stage) ? 'answer' : 'start';
  return canTransition(status, name) ? name : null;
}

/**
 * Sets a proposal's stage, with the reason the resident will read (required for "not possible",
 * optional otherwise). "Supported" and "not possible" answer the case; the other stages mark it
 * being worked on. The change and its reason go into the history.
 */
export async function setProposalStage(
  repos: Pick<Repositories, 'cases'>,
  caseId: string,
  actor: string,
  request: { stage: ProposalStage; reason?: string },
  now: Date,
): Promise<Case> {
  const c = await getCase(repos, caseId);
  if (c.kind !== 'proposal')
    throw new InvalidCaseInputError('case.not_proposal', `case ${c.reference} is not a proposal`);
  if (!isSettableStage(request.stage) || !stageChangeable(c))
    throw new InvalidCaseInputError('case.stage_invalid', `cannot set "${request.stage}" on ${c.reference}`);
  const typed = request.reason?.trim() ?? '';
  if (request.stage === 'not_possible' && !typed)
    throw new InvalidCaseInputError('case.reason_required', 'say why the proposal is not possible');
  const reason = typed ? checkedText(typed, MAX_NOTE_LENGTH) : null;
  const name = statusEvent(c.status, request.stage);
  const final = FINAL.includes(request.stage);
  const changes = {
    stage: request.stage,
    ...(final ? { answer: reason, answeredAt: now, waitingSince: null } : {}),
  };
  const detail = { stage: request.stage, from: c.stage, ...(reason ? { reason } : {}) };
  return change(repos, c, name, changes, now, event(actor, 'stage_changed', detail));
}
