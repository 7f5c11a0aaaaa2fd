import type { ServiceResult } from '../src/ports/services.js';
import { call, type EventHandler, type Flow, type StepContext, type Transition } from './types.js';
import type { CaseView } from '../src/features/cases/views.js';
import { REOPEN_WINDOW_DAYS } from '../src/features/cases/case-service.js';
import { askAgain, ratingChoices, ratingOf, toMenu, yesOrNo } from './common.js';
import { caseErrorText, dateText } from './format.js';

const solvedChoices = (ctx: StepContext) => [
  { id: 'yes', label: ctx.t('answer.solved') },
  { id: 'no', label: ctx.t('answer.not_solved') },
];

/** The answer to a resident's question arrives; when they are free, ask whether it helped. */
export const caseAnswered: EventHandler<'case.answered'> = (ctx, payload) => {
  const c = payload.case;
  const answer = ctx.t('answer.received', { reference: c.reference, answer: c.answer ?? '' });
  const busy = ctx.state.mode !== 'bot' || (ctx.state.at !== undefined && ctx.state.at.flow !== 'menu');
  if (busy) return { say: [answer, ctx.t('answer.later', { days: REOPEN_WINDOW_DAYS })] };
  return {
    say: [answer],
    data: { caseId: c.id, reference: c.reference },
    goto: { flow: 'case-answered', step: 'solved' },
  };
};

/** The answer-by date will be missed: say so before it passes, with a new date. */
export const caseDelay: EventHandler<'case.delay'> = (ctx, payload) => {
  const c = payload.case;
  return {
    say: [ctx.t('case.delay', { reference: c.reference, date: dateText(ctx, payload.newDate) })],
  };
};

/**
 * After an answer: solved (close and ask for a rating of 1 to 5) or not (write a follow-up, which
 * reopens the case within 7 days of the answer).
 */
export const caseAnsweredFlow: Flow = {
  name: 'case-answered',
  title: 'answer.title',
  start: 'solved',
  label: 'dashboard.flow.case-answered',
  steps: {
    solved: {
      label: 'dashboard.flow_step.case-answered.solved',
      thanksAnswers: true,
      // Nobody has to answer it: another choice ("Afspraak maken met de wethouder") is taken at once,
      // with no "Wilt u daarmee stoppen?" (a reaction stays possible from "Mijn vragen").
      tentative: true,
      enter: (ctx) => ({ say: [{ text: ctx.t('answer.solved_question'), choices: solvedChoices(ctx) }] }),
      answer: (ctx, input) => {
        // "Bedankt!" after an answer means it helped.
        const thanks = !input.choice && input.social?.includes('thanks') === true;
        const yes = thanks ? true : yesOrNo(input);
        const caseId = ctx.data.caseId ?? '';
        if (yes === true)
          return {
            call: call('cases.close', { caseId }, (next, r) => (r.ok ? { goto: 'rate' } : reopened(next, r))),
          };
        if (yes === false) return { goto: 'followup' };
        // "weet ik niet", "misschien" alone is no reaction: it must not reopen the case.
        if (!input.choice && input.answer === 'unsure' && input.answerAlone)
          return askAgain(ctx, ctx.t('answer.solved_question'));
        // Anything else they write is taken as their reaction to the answer.
        return {
          data: { followUp: input.text },
          call: call('cases.reopen', { caseId, text: input.text }, reopened),
        };
      },
    },
    rate: {
      label: 'dashboard.flow_step.case-answered.rate',
      // A rating is a favour asked: another choice leaves it, as at the question before.
      tentative: true,
      enter: (ctx) => ({ say: [{ text: ctx.t('answer.rate'), choices: ratingChoices(ctx) }] }),
      answer: (ctx, input) => {
        const rating = ratingOf(input);
        if (input.choice?.id === 'skip' || yesOrNo(input) === false)
          return toMenu({ say: [ctx.t('answer.closed')] });
        if (rating === undefined)
          return { say: [{ text: ctx.t('cases.error.rating_invalid'), choices: ratingChoices(ctx) }] };
        const thanks = (next: StepContext) => toMenu({ say: [next.t('answer.thanks')] });
        return { call: call('cases.rate', { caseId: ctx.data.caseId ?? '', rating }, thanks) };
      },
    },
    followup: {
      label: 'dashboard.flow_step.case-answered.followup',
      freeText: true,
      // "ik heb toch nog een vraag": what is still unclear about the answer, not a new question.
      reads: ['ask'],
      enter: (ctx) => ({ say: [ctx.t('answer.followup_write', { reference: ctx.data.reference ?? '' })] }),
      answer: (ctx, input) => ({
        data: { followUp: input.text },
        call: call('cases.reopen', { caseId: ctx.data.caseId ?? '', text: input.text }, reopened),
      }),
    },
  },
};

/** The follow-up reopened the case (the alderman hears of it), or it came too late. */
function reopened(ctx: StepContext, result: ServiceResult<CaseView>): Transition {
  if (!result.ok) {
    if (result.code === 'case.reopen_window_closed')
      return toMenu({ say: [ctx.t('answer.reopen_too_late', { days: REOPEN_WINDOW_DAYS })] });
    return toMenu({ say: [caseErrorText(ctx, result.code)] });
  }
  const c = result.value;
  return toMenu({
    say: [ctx.t('answer.reopened', { reference: c.reference, date: dateText(ctx, c.answerBy) })],
    effects: [
      {
        type: 'schedule',
        name: 'case.followup',
        data: { caseId: c.id, words: ctx.data.followUp ?? '' },
      },
    ],
  });
}
