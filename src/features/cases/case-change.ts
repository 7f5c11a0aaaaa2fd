import type { Repositories } from '../../ports/unit-of-work.js';
import type { Case, CaseChanges, CaseEventName, CaseEventType } from '../../ports/case-repository.js';
import { transition } from './case-status.js';
import { ConcurrentCaseChangeError, InvalidCaseInputError } from './errors.js';

/** The longest question or answer we store, in characters. */
export const MAX_CASE_TEXT_LENGTH = 4000;

/** A history entry to record with a change. */
export type EventDraft = { actor: string; type: CaseEventType; detail: Record<string, unknown> };

/** A history entry to record with a change. */
export function event(actor: string, type: CaseEventType, detail: Record<string, unknown>): EventDraft {
  return { actor, type, detail };
}

/**
 * Applies one command: checks the status machine, writes the change only if nobody changed the
 * status meanwhile (compare-and-set), then records the event.
 */
export async function change(
  repos: Pick<Repositories, 'cases'>,
  c: Case,
  name: CaseEventName | null,
  changes: CaseChanges,
  now: Date,
  draft: EventDraft,
): Promise<Case> {
  const status = name ? transition(c.status, name) : c.status;
  const all: CaseChanges = { ...changes, status, updatedAt: now };
  const recorded = { caseId: c.id, at: now, ...draft };
  if (!(await repos.cases.update(c.id, { status: c.status }, all, recorded)))
    throw new ConcurrentCaseChangeError(c.id);
  return { ...c, ...all };
}

/** The text trimmed; throws InvalidCaseInputError when empty or too long. */
export function checkedText(text: string, max = MAX_CASE_TEXT_LENGTH): string {
  const trimmed = text.trim();
  if (!trimmed) throw new InvalidCaseInputError('case.text_empty', 'the text is empty');
  if ([...trimmed].length > max) {
    throw new InvalidCaseInputError('case.text_too_long', `the text is longer than ${max} characters`);
  }
  return trimmed;
}
