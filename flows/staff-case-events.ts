import type { CaseView } from '../src/features/cases/views.js';
import { maskSensitive } from '../src/features/cases/sensitive.js';
import type { EventHandler, StepContext } from './types.js';
import { firstWords } from './format.js';
import { caseVars, proposalDetails, residentLanguage } from './staff-case-format.js';

/**
 * A new case: a question with its first words and how to answer it; a proposal with all four of
 * its parts and how to set its stage (it has no free answer: "antwoord" on it is refused).
 */
function assigned(ctx: StepContext, c: CaseView): string {
  const vars = caseVars(ctx, c);
  if (c.kind === 'proposal')
    return ctx.t('staff.case.assigned_proposal', { ...vars, details: proposalDetails(ctx, c) });
  return ctx.t('staff.case.assigned', { ...vars, words: firstWords(maskSensitive(c.text)) });
}

/** Notices to the alderman's own chat: a new case, a reminder, an escalation, a follow-up, information asked for. */
export const staffCaseEvents: {
  [
    K in 'case.assigned' | 'case.reminder' | 'case.escalated' | 'case.reopened' | 'case.info'
  ]: EventHandler<K>;
} = {
  'case.assigned': (ctx, p) => ({
    say: [[assigned(ctx, p.case), ...residentLanguage(ctx, p.case)].join('\n')],
  }),
  'case.reminder': (ctx, p) => ({
    say: [
      ctx.t(
        p.case.kind === 'proposal' ? 'staff.case.reminder_proposal' : 'staff.case.reminder',
        caseVars(ctx, p.case),
      ),
    ],
  }),
  'case.escalated': (ctx, p) => ({
    say: [
      ctx.t(
        p.case.kind === 'proposal' ? 'staff.case.escalated_proposal' : 'staff.case.escalated',
        caseVars(ctx, p.case),
      ),
    ],
  }),
  'case.reopened': (ctx, p) => ({
    say: [ctx.t('staff.case.reopened', { ...caseVars(ctx, p.case), words: firstWords(p.words, 30) })],
  }),
  'case.info': (ctx, p) => ({
    say: [ctx.t('staff.case.info', { ...caseVars(ctx, p.case), words: firstWords(p.words, 30) })],
  }),
};
