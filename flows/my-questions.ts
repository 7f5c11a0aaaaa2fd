import type { ServiceResult } from '../src/ports/services.js';
import { call, type Flow, type StepContext, type Transition } from './types.js';
import type { CaseView } from '../src/features/cases/views.js';
import { findReference } from '../src/features/cases/reference.js';
import { REOPEN_WINDOW_DAYS } from '../src/features/cases/case-service.js';
import { owesReaction } from '../src/features/cases/case-status.js';
import { toMenu } from './common.js';
import { dateText, exampleReference, firstWords, topicLabel } from './format.js';

const ANSWERED = ['answered', 'closed'];

/** Where a proposal stands, in the resident's words. */
function stageText(ctx: StepContext, c: CaseView): string {
  return ctx.t(`proposal.stage.${c.stage ?? 'received'}`);
}

/** The date the resident was last told: the delay notice's promise while it stands, else the answer-by date. */
function promised(c: CaseView): number {
  return c.promisedBy ?? c.answerBy;
}

/** One line about a case for the resident; a proposal still waiting for its first reaction says by when. */
function caseLine(ctx: StepContext, c: CaseView): string {
  if (c.kind === 'proposal') {
    const vars = { reference: c.reference, stage: stageText(ctx, c) };
    return owesReaction(c)
      ? ctx.t('status.line_proposal_waiting', { ...vars, date: dateText(ctx, promised(c)) })
      : ctx.t('status.line_proposal', vars);
  }
  const vars = {
    reference: c.reference,
    topic: topicLabel(ctx, c.topic),
    status: ctx.t(`cases.status.${c.status}`),
    date: dateText(ctx, promised(c)),
  };
  return ctx.t(ANSWERED.includes(c.status) ? 'status.line_answered' : 'status.line', vars);
}

/** A proposal's status: its stage, the date of the first reaction while none came, the reaction once there. */
function proposalDetail(ctx: StepContext, c: CaseView): string {
  const vars = { reference: c.reference, what: firstWords(c.text, 20), stage: stageText(ctx, c) };
  if (c.answer) return ctx.t('status.detail_proposal_answer', { ...vars, answer: c.answer });
  if (owesReaction(c))
    return ctx.t('status.detail_proposal_waiting', { ...vars, date: dateText(ctx, promised(c)) });
  return ctx.t('status.detail_proposal', vars);
}

/** The full status of one case, with its answer when there is one, in the words its resident reads. */
export function caseStatusText(ctx: StepContext, c: CaseView): string {
  if (c.kind === 'proposal') return proposalDetail(ctx, c);
  const vars = {
    reference: c.reference,
    topic: topicLabel(ctx, c.topic),
    status: ctx.t(`cases.status.${c.status}`),
    date: dateText(ctx, promised(c)),
    answer: c.answer ?? '',
  };
  const detail = ctx.t(
    c.answer && ANSWERED.includes(c.status) ? 'status.detail_answered' : 'status.detail',
    vars,
  );
  // Asked for information and gone elsewhere since: say how to send it, not only that it is awaited.
  return c.status === 'waiting' ? `${detail}\n${ctx.t('status.waiting_how')}` : detail;
}

/** Cases answered within the reopen window, which the resident may still react to. */
function reactable(ctx: StepContext, cases: CaseView[]): CaseView[] {
  const window = REOPEN_WINDOW_DAYS * 86_400_000;
  return cases.filter(
    (c) => c.answeredAt !== null && ANSWERED.includes(c.status) && ctx.now.getTime() - c.answeredAt <= window,
  );
}

/** The resident's cases, with a choice to react to each recent answer. */
function listed(ctx: StepContext, result: ServiceResult<CaseView[]>): Transition {
  const cases = result.ok ? result.value : [];
  if (cases.length === 0) return toMenu({ say: [ctx.t('status.none')] });
  const shown = cases.slice(0, 10);
  const react = reactable(ctx, shown).map((c) => ({
    id: `react:${c.id}:${c.reference}`,
    label: ctx.t('status.react', { reference: c.reference }),
  }));
  const waiting = shown.some((c) => c.status === 'waiting') ? [ctx.t('status.waiting_how')] : [];
  const text = [ctx.t('status.list'), ...shown.map((c) => `• ${caseLine(ctx, c)}`), ...waiting].join('\n');
  if (react.length === 0) return toMenu({ say: [text] });
  return {
    say: [{ text, choices: [...react, { id: 'menu', label: ctx.t('core.back_to_menu') }] }],
    goto: 'pick',
  };
}

/** One case's status, or the same "not found" for someone else's reference as for a made-up one. */
function found(ctx: StepContext, result: ServiceResult<CaseView>): Transition {
  if (!result.ok) return toMenu({ say: [ctx.t('status.not_found', { example: exampleReference(ctx) })] });
  return toMenu({ say: [caseStatusText(ctx, result.value)] });
}

/**
 * "status RSW-2026-000042" and "mijn vragen": the resident's own cases with status and answer-by date.
 * Another resident's reference gets the same "not found" as a made-up one.
 */
export const myQuestionsFlow: Flow = {
  name: 'my-questions',
  // It starts with a list or a status, which is safe to ask for twice.
  repeatable: true,
  start: 'list',
  label: 'dashboard.flow.my-questions',
  intents: ['my-questions'],
  // "status RSW-2026-000042": the status of that one question.
  triggers: [/^status\b/],
  menu: { order: 40, label: 'status.menu' },
  steps: {
    list: {
      enter: (ctx) => {
        const typed = ctx.input ? findReference(ctx.input.text) : null;
        // A linked alderman's "status RSW-…" opens the case as their own list does.
        if (typed && ctx.staff)
          return { data: { reference: typed }, goto: { flow: 'staff-cases', step: 'open' } };
        return typed ? { data: { reference: typed }, goto: 'one' } : { call: call('cases.mine', {}, listed) };
      },
    },
    pick: {
      label: 'dashboard.flow_step.my-questions.pick',
      relabel: (ctx, choice) => {
        const [kind, , reference] = choice.id.split(':');
        if (choice.id === 'menu') return ctx.t('core.back_to_menu');
        return kind === 'react' && reference ? ctx.t('status.react', { reference }) : undefined;
      },
      answer: (ctx, input) => {
        const [kind, caseId, reference] = (input.choice?.id ?? '').split(':');
        if (kind === 'react' && caseId && reference)
          return { goto: { flow: 'case-answered', step: 'followup' }, data: { caseId, reference } };
        return toMenu();
      },
    },
    one: {
      label: 'dashboard.flow_step.my-questions.reference',
      enter: (ctx) =>
        ctx.data.reference !== undefined
          ? { call: call('cases.find', { reference: ctx.data.reference }, found) }
          : { say: [ctx.t('status.ask_reference', { example: exampleReference(ctx) })] },
      answer: (ctx, input) => {
        const reference = findReference(input.text);
        if (!reference) return { say: [ctx.t('status.not_found', { example: exampleReference(ctx) })] };
        return { data: { reference }, call: call('cases.find', { reference }, found) };
      },
    },
  },
};
