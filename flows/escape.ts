import type { Choice } from '../src/ports/messages.js';
import type { ConversationState } from '../src/engine/state.js';
import { leaving, MENU, sameStep, socialIntent, stepAt, whole } from './common.js';
import type { Flow, GlobalWord, UserInput } from './types.js';

/** In a flow (not at the menu, not idle). */
function inFlow(state: ConversationState): boolean {
  return state.at !== undefined && state.at.flow !== MENU.flow;
}

/**
 * "terug", "annuleren", "ik wil iets anders": leaves what is going on, says so, shows the menu; a
 * question being written asks first (`Step.leaving`).
 */
export function backWord(flows: () => readonly Flow[]): GlobalWord {
  return {
    name: 'back',
    match: (input) => !input.choice && whole(input, 'back'),
    handle: (ctx) => {
      // "annuleren", "cancel" at the menu, where nothing is going on: the resident's appointment (it
      // is still asked: "Wilt u … afzeggen?"; without one, they hear they have none).
      const cancel = ctx.input?.change === 'cancel' && flows().some((f) => f.name === 'my-appointments');
      if (!inFlow(ctx.state) && cancel) return { goto: { flow: 'my-appointments', step: 'list' } };
      if (!inFlow(ctx.state)) return { goto: { ...MENU } };
      // "terug", "vorige", "go back" alone (no "annuleren", no "iets anders"): a step before this one.
      const short = ctx.input !== undefined && ctx.input.text.trim().split(/\s+/u).length <= 2;
      const previous =
        short && !ctx.input?.change ? stepAt(flows(), ctx.state.at)?.previous?.(ctx) : undefined;
      if (previous) return previous;
      return leaving(ctx, flows()) ?? { say: [ctx.t('back.left')], goto: { ...MENU } };
    },
  };
}

/**
 * "ik zie de knop niet", "I don't see the buttons": how to answer by typing, then the same question
 * again with its choices (numbered where the channel has no buttons). Never a no or a yes: "niet" and
 * "don't" are words of this sentence, not an answer to the question.
 */
export function noButtonsWord(flows: () => readonly Flow[]): GlobalWord {
  return {
    name: 'no-buttons',
    notInFreeText: true,
    match: (input) => !input.choice && whole(input, 'no-buttons'),
    handle: (ctx) => {
      const text = ctx.t('core.no_buttons');
      return sameStep(ctx, flows(), text) ?? { say: [text], goto: { ...MENU } };
    },
  };
}

/** A yes/no question is waiting: there "bedankt" or "top" is the step's to read, not a greeting. */
function yesNoAsked(choices: readonly Choice[] | undefined): boolean {
  return (choices ?? []).some((c) => (c.means ?? c.id) === 'yes');
}

/**
 * At a yes/no question, small talk that is no answer: a greeting, or thanks or an apology on their
 * own ("bedankt", "sorry"), never "top, bedankt" (a yes) or thanks where the step reads it.
 */
function noAnswer(flows: readonly Flow[], input: UserInput, state: ConversationState): boolean {
  if (whole(input, 'greeting')) return true;
  if (input.answer !== undefined) return false;
  if (whole(input, 'apology')) return true;
  return whole(input, 'thanks') && stepAt(flows, state.at)?.thanksAnswers !== true;
}

/** "doei", also after thanks ("dank u wel, tot ziens"). */
function saysGoodbye(input: UserInput): boolean {
  return input.social?.includes('goodbye') === true;
}

/**
 * "goedemorgen", "dank u wel", "bedankt!": a short friendly answer, and the resident stays where
 * they were: the question they were asked comes again (or its choices). "doei", "tot ziens" outside
 * a flow: a goodbye, and no menu after it (in a flow the step reads it, as any other answer).
 */
export function socialWord(flows: () => readonly Flow[]): GlobalWord {
  return {
    name: 'social',
    notInFreeText: true,
    // The welcome already greets: "hallo" as a first message gets it and the menu, no second hello.
    quietAfterWelcome: true,
    match: (input, state) =>
      !input.choice &&
      socialIntent(input) &&
      input.intent?.whole === true &&
      !(saysGoodbye(input) && inFlow(state)) &&
      // At a yes/no question "top" or "nee dank je" is the step's to read; a greeting never answers it.
      (!yesNoAsked(state.choices) || noAnswer(flows(), input, state)),
    handle: (ctx, input) => {
      if (saysGoodbye(input)) return { say: [ctx.t('social.goodbye')] };
      const key = whole(input, 'thanks')
        ? 'social.thanks'
        : whole(input, 'apology')
          ? 'social.apology'
          : 'core.menu.hello';
      const text = ctx.t(key);
      return sameStep(ctx, flows(), text) ?? { say: [text], goto: { ...MENU } };
    },
  };
}
