import type { ServiceResult } from '../src/ports/services.js';
import type { CaseView } from '../src/features/cases/views.js';
import { call, type EventHandler, type Flow, type StepContext, type Transition } from './types.js';
import { toMenu } from './common.js';
import { caseErrorText, dateText } from './format.js';

/** Staff need more information: the resident's next message is taken as their reply, when they are free. */
export const caseInfoRequested: EventHandler<'case.info_requested'> = (ctx, payload) => {
  const c = payload.case;
  const vars = { reference: c.reference, question: payload.question };
  const busy = ctx.state.mode !== 'bot' || (ctx.state.at !== undefined && ctx.state.at.flow !== 'menu');
  if (busy) return { say: [ctx.t('case.info_request_later', vars)] };
  return {
    say: [ctx.t('case.info_request', vars)],
    data: { caseId: c.id, reference: c.reference },
    goto: { flow: 'case-info', step: 'write' },
  };
};

/** Staff moved the answer-by date: the resident hears the new date (sooner or later) and the reason. */
export const caseDateMoved: EventHandler<'case.date_moved'> = (ctx, payload) => ({
  say: [
    ctx.t(payload.earlier === true ? 'case.date_moved_earlier' : 'case.date_moved', {
      reference: payload.case.reference,
      date: dateText(ctx, payload.case.answerBy),
      reason: payload.reason,
    }),
  ],
});

/** Staff closed the resident's question without an answer: the resident hears it, and why. */
export const caseClosed: EventHandler<'case.closed'> = (ctx, payload) => ({
  say: [ctx.t('case.closed', { reference: payload.case.reference, reason: payload.reason })],
});

function waitingListed(ctx: StepContext, result: ServiceResult<CaseView[]>): Transition {
  const cases = result.ok ? result.value : [];
  const first = cases[0];
  if (!first) return toMenu({ say: [ctx.t('info.none')] });
  if (cases.length === 1) return { data: { caseId: first.id, reference: first.reference }, goto: 'write' };
  const choices = cases.slice(0, 10).map((c) => ({ id: `case:${c.id}:${c.reference}`, label: c.reference }));
  return { say: [{ text: ctx.t('info.pick'), choices }], goto: 'choose' };
}

function added(ctx: StepContext, result: ServiceResult<CaseView>): Transition {
  if (!result.ok) return toMenu({ say: [caseErrorText(ctx, result.code)] });
  const c = result.value;
  return toMenu({
    say: [ctx.t('info.added', { reference: c.reference, date: dateText(ctx, c.answerBy) })],
    effects: [
      { type: 'schedule', name: 'case.info', data: { caseId: c.id, words: ctx.data.followUp ?? '' } },
    ],
  });
}

/**
 * The resident adds the information staff asked for: straight after the request, or later with
 * "aanvullen". Their message is added to the case, which is worked on again.
 */
export const caseInfoFlow: Flow = {
  name: 'case-info',
  title: 'info.title',
  start: 'pick',
  label: 'dashboard.flow.case-info',
  intents: ['add-info'],
  steps: {
    pick: {
      enter: () => ({ call: call('cases.waiting', {}, waitingListed) }),
    },
    choose: {
      label: 'dashboard.flow_step.case-info.choose',
      answer: (ctx, input) => {
        const [, caseId, reference] = input.choice?.id.split(':') ?? [];
        if (!caseId || !reference) return toMenu();
        return { data: { caseId, reference }, goto: 'write' };
      },
    },
    write: {
      label: 'dashboard.flow_step.case-info.write',
      freeText: true,
      keepWhenIdle: true,
      enter: (ctx) => ({ say: [ctx.t('info.write', { reference: ctx.data.reference ?? '' })] }),
      answer: (ctx, input) => ({
        data: { followUp: input.text },
        call: call('cases.add-info', { caseId: ctx.data.caseId ?? '', text: input.text }, added),
      }),
    },
  },
};
