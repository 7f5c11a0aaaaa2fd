import type { ServiceResult } from '../src/ports/services.js';
import type { CaseView } from '../src/features/cases/views.js';
import { departmentsNamed, type Department } from '../src/features/cases/teams.js';
import { findReference } from '../src/features/cases/reference.js';
import { routingDepartments } from '../src/municipality/case-data.js';
import { sameWord } from '../src/understanding/tokens.js';
import { call, type Flow, type GlobalWord, type StepContext, type Transition } from './types.js';
import { toMenu } from './common.js';
import { caseErrorText, exampleReference } from './format.js';

/** The command word, a reference written loosely ("rsw 2026 42"), then the words that name the team. */
const COMMAND = /^(\S+)\s+([A-Za-z]{2,5}[\s-]*\d{4}[\s-]*\d{1,6})\b[\s:,]*([\s\S]*)$/;

/** The departments of the routing rules, one a line, with the word to type for each. */
function teamLines(ctx: StepContext, departments: readonly Department[]): string {
  return departments.map((d) => ctx.t('staff.forward.team', { id: d.id, name: d.name })).join('\n');
}

/** How to forward, with the departments to choose from (all of them, or those the words fitted). */
function usage(ctx: StepContext, departments: readonly Department[]): Transition {
  const example = exampleReference(ctx);
  return toMenu({ say: [`${ctx.t('staff.forward.usage', { example })}\n${teamLines(ctx, departments)}`] });
}

/** The case went to the department: the alderman hears where, and that nothing is left for them. */
function forwarded(ctx: StepContext, team: Department, result: ServiceResult<CaseView>): Transition {
  if (result.ok)
    return toMenu({
      say: [ctx.t('staff.forward.done', { reference: result.value.reference, team: team.name })],
    });
  const reference = ctx.data.reference ?? '';
  if (result.code === 'staff.only') return toMenu({ say: [ctx.t('staff.only')] });
  if (result.code === 'staff.not_yours' || result.code === 'case.not_found')
    return toMenu({ say: [ctx.t('staff.cases.not_yours')] });
  if (result.code === 'case.already_answered')
    return toMenu({ say: [ctx.t('staff.forward.answered', { reference })] });
  if (result.code === 'case.already_closed')
    return toMenu({ say: [ctx.t('staff.cases.closed_before', { reference })] });
  return toMenu({ say: [ctx.t('staff.cases.error', { reason: caseErrorText(ctx, result.code) })] });
}

/**
 * "doorsturen RSW-2026-000042 naar afval": a linked alderman hands a question of theirs to a
 * department of the routing rules, as "assign" does in the dashboard. Refused to anyone not linked.
 */
export const staffForwardFlow: Flow = {
  name: 'staff-forward',
  start: 'send',
  label: 'dashboard.flow.staff-forward',
  title: 'staff.title.forward',
  steps: {
    send: {
      enter: (ctx) => {
        if (!ctx.staff) return toMenu({ say: [ctx.t('staff.only')] });
        const departments = routingDepartments(ctx.municipality.cases.routing);
        const parts = COMMAND.exec(ctx.input?.text.trim() ?? '');
        const reference = findReference(parts?.[2] ?? '');
        const named = departmentsNamed(departments, parts?.[3] ?? '');
        const team = named.length === 1 ? named[0] : undefined;
        if (!reference || !team) return usage(ctx, named.length > 1 ? named : departments);
        const args = { reference, departmentId: team.id };
        return {
          data: { reference },
          call: call('cases.staff-forward', args, (c, r) => forwarded(c, team, r)),
        };
      },
    },
  },
};

export const staffForwardWord: GlobalWord = {
  name: 'staff-forward',
  // Only with a reference after it; the word with a typo forgiven ("doorsturn"), Dutch or English.
  match: (input) => {
    const first = /^([a-z]+):?\s+[a-z]{2,5}[\s-]*\d{4}[\s-]*\d{1,6}\b/.exec(input.normalized)?.[1];
    return (
      !input.choice && first !== undefined && (sameWord(first, 'doorsturen') || sameWord(first, 'forward'))
    );
  },
  handle: () => ({ goto: { flow: 'staff-forward', step: 'send' } }),
};
