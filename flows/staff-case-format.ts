import type { CaseView } from '../src/features/cases/views.js';
import { isOverdue, owesReaction } from '../src/features/cases/case-status.js';
import { maskSensitive } from '../src/features/cases/sensitive.js';
import type { StepContext } from './types.js';
import { dateText, districtName, firstWords, topicLabel } from './format.js';

/** The words of a proposal's part shown to the alderman: masked as a question is, long ones cut. */
const PROPOSAL_WORDS = 30;

/** What every staff text about a case names: its reference, district, topic and answer-by date. */
export function caseVars(ctx: StepContext, c: CaseView) {
  return {
    reference: c.reference,
    district: districtName(ctx, c.districtId),
    // A proposal has no topic of its own (PROPOSAL_TOPIC): its kind says what it is.
    topic: c.kind === 'proposal' ? ctx.t('staff.cases.kind_proposal') : topicLabel(ctx, c.topic),
    date: dateText(ctx, c.answerBy),
  };
}

/** A proposal's what, where, who and help, each on its own line, for the alderman to react to. */
export function proposalDetails(ctx: StepContext, c: CaseView): string {
  const words = (text: string | undefined) => firstWords(maskSensitive(text ?? ''), PROPOSAL_WORDS);
  return ctx.t('staff.cases.proposal_details', {
    what: words(c.text),
    where: words(c.proposal?.where),
    who: words(c.proposal?.who),
    help: words(c.proposal?.help),
  });
}

/**
 * The resident's language when it is not the alderman's: the answer reaches them as typed, so an
 * alderman writing Dutch to a resident who chose English should know before they write.
 */
export function residentLanguage(ctx: StepContext, c: CaseView): string[] {
  if (c.language === ctx.lang) return [];
  if (c.language === 'en') return [ctx.t('staff.cases.resident_lang.en')];
  if (c.language === 'nl') return [ctx.t('staff.cases.resident_lang.nl')];
  return [];
}

/** A proposal's stage in staff's words ("Wordt bekeken"), as the case page names it. */
export function stageLabel(ctx: StepContext, c: CaseView): string {
  return ctx.t(`dashboard.case.stage.${c.stage ?? 'received'}`);
}

/**
 * One line of the alderman's list, by the case inbox's rules: a case waiting for the resident says
 * so (its date stands still), a proposal that had its first reaction shows its stage (it owes
 * nothing by its date any more), a late one says it is late.
 */
export function caseLine(ctx: StepContext, c: CaseView): string {
  const vars = { ...caseVars(ctx, c), words: firstWords(maskSensitive(c.text), 8) };
  if (c.status === 'waiting') return ctx.t('staff.cases.line_waiting', vars);
  if (!owesReaction(c)) return ctx.t('staff.cases.line_stage', { ...vars, stage: stageLabel(ctx, c) });
  return ctx.t(isOverdue(c, ctx.now) ? 'staff.cases.line_late' : 'staff.cases.line', vars);
}

/** The list's order: what still owes the resident something by its date first, earliest first (as given). */
export function byDue(cases: readonly CaseView[]): CaseView[] {
  const reacted = (c: CaseView) => c.status !== 'waiting' && !owesReaction(c);
  return [...cases.filter((c) => !reacted(c)), ...cases.filter(reacted)];
}
