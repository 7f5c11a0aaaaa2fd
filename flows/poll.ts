import { call, type EventHandler, type Flow, type StepContext, type Transition } from './types.js';
import type { PollView } from '../src/features/polls/views.js';
import { MAX_FOLLOW_UP } from '../src/features/polls/poll.js';
import type { ServiceResult } from '../src/ports/services.js';
import type { Choice } from '../src/ports/messages.js';
import { askAgain, knownDistrictId, toMenu } from './common.js';
import { dateText, districtName } from './format.js';
import { broadcastSay } from './participation.js';

const districtOf = (ctx: StepContext) => knownDistrictId(ctx);
const current = (ctx: StepContext) => (ctx.data.polls ?? []).find((p) => p.id === ctx.data.pollId);

function optionChoices(poll: PollView): Choice[] {
  return poll.options.map((label, i) => ({ id: `opt:${i}`, label }));
}

/** The question with its options, what the resident chose before, and until when. */
function ask(ctx: StepContext, poll: PollView): Transition {
  const lines = [ctx.t('poll.question', { question: poll.question })];
  if (poll.scale) lines.push(ctx.t('poll.scale_hint'));
  const mine = poll.mine === null ? undefined : poll.options[poll.mine];
  if (mine !== undefined) lines.push(ctx.t('poll.yours', { choice: mine }));
  else lines.push(ctx.t('poll.privacy', { count: ctx.municipality.retention.pollAnswers.days }));
  if (poll.closesAt !== null) lines.push(ctx.t('poll.closes', { date: dateText(ctx, poll.closesAt) }));
  return {
    data: { pollId: poll.id },
    say: [{ text: lines.join('\n'), choices: optionChoices(poll) }],
    goto: 'answer',
  };
}

/** The open polls of the resident's district: none, one (asked at once) or several (chosen first). */
function found(ctx: StepContext, result: ServiceResult<PollView[]>): Transition {
  const polls = result.ok ? result.value : [];
  const district = districtName(ctx, districtOf(ctx) ?? null);
  const [first] = polls;
  if (!first) return toMenu({ say: [ctx.t('poll.none', { district })] });
  if (polls.length === 1) {
    const asked = ask(ctx, first);
    return { ...asked, data: { ...asked.data, polls } };
  }
  const choices = polls.map((p) => ({ id: `poll:${p.id}`, label: p.question }));
  return { data: { polls }, say: [{ text: ctx.t('poll.choose', { district }), choices }], goto: 'which' };
}

/** The answer is stored: thanks, and the follow-up question when the poll has one. */
function answered(
  ctx: StepContext,
  result: ServiceResult<{ changed: boolean; followUp: string | null }>,
  label: string,
): Transition {
  if (!result.ok) return toMenu({ say: [ctx.t('poll.closed_now')] });
  const thanks = ctx.t(result.value.changed ? 'poll.changed' : 'poll.thanks', { choice: label });
  const { followUp } = result.value;
  if (!followUp) return toMenu({ say: [`${thanks}\n${ctx.t('poll.change_hint')}`] });
  return {
    say: [thanks, { text: ctx.t('poll.follow_up', { question: followUp }), choices: skipChoice(ctx) }],
    goto: 'follow',
  };
}

/** "Overslaan" at the follow-up question. */
const skipChoice = (ctx: StepContext): Choice[] => [{ id: 'skip', label: ctx.t('poll.skip') }];

/**
 * Polls (peilingen): "peiling" shows the open poll of the resident's district (the remembered one,
 * or asked through the district flow); one answer per poll, changed by answering again until it
 * closes; then the optional free-text follow-up.
 */
export const pollFlow: Flow = {
  name: 'poll',
  start: 'start',
  label: 'dashboard.flow.poll',
  title: 'poll.title',
  intents: ['poll'],
  steps: {
    start: {
      enter: (ctx) =>
        districtOf(ctx) ? { goto: 'find' } : { goto: { flow: 'district', step: 'ask' }, returnTo: 'find' },
    },
    find: {
      enter: (ctx) => {
        const districtId = districtOf(ctx);
        if (!districtId) return toMenu({ say: [ctx.t('poll.no_district')] });
        return { call: call('polls.open', { districtId }, found) };
      },
    },
    which: {
      label: 'dashboard.flow_step.poll.which',
      answer: (ctx, input) => {
        const id = input.choice?.id.startsWith('poll:') ? input.choice.id.slice(5) : undefined;
        const poll = (ctx.data.polls ?? []).find((p) => p.id === id);
        return poll ? ask(ctx, poll) : askAgain(ctx);
      },
    },
    answer: {
      label: 'dashboard.flow_step.poll.answer',
      answer: (ctx, input) => {
        const poll = current(ctx);
        const choice = input.choice?.id.startsWith('opt:') ? Number(input.choice.id.slice(4)) : NaN;
        const label = poll?.options[choice];
        if (!poll || label === undefined) return askAgain(ctx);
        const args = { pollId: poll.id, districtId: districtOf(ctx) ?? '', choice };
        return { call: call('polls.answer', args, (next, result) => answered(next, result, label)) };
      },
    },
    follow: {
      label: 'dashboard.flow_step.poll.follow',
      freeText: true,
      relabel: (ctx, choice) => (choice.id === 'skip' ? ctx.t('poll.skip') : undefined),
      answer: (ctx, input) => {
        // "nee", "no thanks" on its own is no comment: nothing is stored.
        if (input.choice?.id === 'skip' || (input.answer === 'no' && input.answerAlone))
          return toMenu({ say: [ctx.t('poll.change_hint')] });
        const text = input.text.trim();
        if (!text) return askAgain(ctx);
        // Asked to shorten, not cut: the service keeps at most MAX_FOLLOW_UP characters.
        if (text.length > MAX_FOLLOW_UP) {
          const shorter = ctx.t('poll.follow_up_too_long', { length: text.length, max: MAX_FOLLOW_UP });
          return { say: [{ text: shorter, choices: skipChoice(ctx) }] };
        }
        return {
          call: call('polls.follow_up', { pollId: ctx.data.pollId ?? '', text }, (next, result) =>
            toMenu({ say: [next.t(result.ok ? 'poll.follow_up_thanks' : 'poll.closed_now')] }),
          ),
        };
      },
    },
  },
};

/** A poll the resident answered has closed: the outcome, the figures if there were enough, and the plan. */
export const pollClosed: EventHandler<'poll.closed'> = (ctx, payload) => {
  const lines = [ctx.t('poll.outcome', { question: payload.question })];
  if (payload.results)
    lines.push(
      ctx.t('poll.outcome_figures'),
      ...payload.results.map((r) => ctx.t('poll.outcome_line', { label: r.label, percent: r.percent })),
    );
  else lines.push(ctx.t('poll.outcome_few'));
  if (payload.outcome) lines.push(ctx.t('poll.outcome_plan', { outcome: payload.outcome }));
  const text = lines.join('\n');
  // A channel that may not write first now (whatsapp-web.js): said before their next reply.
  return payload.hold || ctx.state.mode !== 'bot' ? { hold: [text] } : { say: [text] };
};

/** Staff wrote (or corrected) what the municipality will do with a closed poll the resident answered. */
export const pollOutcome: EventHandler<'poll.outcome'> = (ctx, payload) => {
  const lines = [
    ctx.t(payload.corrected ? 'poll.outcome_corrected' : 'poll.outcome_later', {
      question: payload.question,
    }),
    ctx.t('poll.outcome_plan', { outcome: payload.outcome }),
  ];
  const text = lines.join('\n');
  // As the closing: a channel that may not write first now hears it before their next reply.
  return payload.hold || ctx.state.mode !== 'bot' ? { hold: [text] } : { say: [text] };
};

/** A poll opened in a district the resident follows: the question, and how to answer. */
export const pollInvite: EventHandler<'poll.invite'> = (ctx, payload) => {
  const lines = [ctx.t('poll.invite', { question: payload.question })];
  if (payload.closesAt !== null) lines.push(ctx.t('poll.closes', { date: dateText(ctx, payload.closesAt) }));
  lines.push(ctx.t('poll.invite_how'));
  return broadcastSay(ctx, payload, lines.join('\n'));
};
