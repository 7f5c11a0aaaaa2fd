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

/** Who has the case now, as the alderman knows them: a department by its name, an alderman as "wethouder …". */
function newTeam(ctx: StepContext, c: CaseView): string {
  const to = c.assignee;
  if (to?.type === 'department') return to.name;
  const alderman = ctx.municipality.aldermen.find((a) => a.id === to?.id);
  return alderman ? ctx.t('staff.case.to_alderman', { name: alderman.name }) : (to?.id ?? '');
}

/**
 * Notices to the alderman's own chat: a new case, a reminder, an escalation, a follow-up, information
 * asked for, and a case handed to another team.
 */
export const staffCaseEvents: {
  [
    K in
      | 'case.assigned'
      | 'case.reminder'
      | 'case.escalated'
      | 'case.reopened'
      | 'case.info'
      | 'case.handed_over'
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
  'case.handed_over': (ctx, p) => ({
    say: [
      ctx.t(p.case.kind === 'proposal' ? 'staff.case.handed_over_proposal' : 'staff.case.handed_over', {
        reference: p.case.reference,
        to: newTeam(ctx, p.case),
      }),
    ],
  }),
};
