import type { TextKey } from '../src/i18n/translator.js';
import type { Choice } from '../src/ports/messages.js';
import type { StepRef } from '../src/engine/state.js';
import type { Flow, Intent, Step, StepContext, Transition, UserInput } from './types.js';

/** Where the menu lives. */
export const MENU = { flow: 'menu', step: 'main' } as const;

/**
 * A yes/no pair of choices: a typed "klopt", "prima zo", "👍" or "nee dank je" picks one (the
 * words are in data/vocabulary). `acts` when the yes books, cancels, sends or stops.
 */
export function yesNo(
  ctx: StepContext,
  yesKey: TextKey = 'core.yes',
  noKey: TextKey = 'core.no',
  acts = false,
): Choice[] {
  return [
    { id: 'yes', label: ctx.t(yesKey), means: 'yes', ...(acts ? { acts: true } : {}) },
    { id: 'no', label: ctx.t(noKey), means: 'no' },
  ];
}

/**
 * The resident's district as far as it is known: found in this flow, remembered with their consent,
 * or looked up earlier in this visit (they did not want it remembered, but it is not asked again a
 * minute later).
 */
export function knownDistrictId(ctx: StepContext): string | undefined {
  return ctx.data.districtId ?? ctx.state.profile.districtId ?? ctx.state.session?.districtId;
}

/** Reads a yes/no answer from a choice or plain words; undefined when it is neither, or unsure. */
export function yesOrNo(input: { choice?: Choice; answer?: 'yes' | 'no' | 'unsure' }): boolean | undefined {
  if (input.choice?.id === 'yes') return true;
  if (input.choice?.id === 'no') return false;
  if (input.choice) return undefined;
  if (input.answer === 'yes') return true;
  if (input.answer === 'no') return false;
  return undefined;
}

/**
 * The same question again, kindly, with its choices and a hint how to answer: for anything that is
 * not a clear answer. Nothing is done on a guess.
 */
export function askAgain(ctx: StepContext, question?: string): Transition {
  const choices = ctx.state.choices ?? [];
  const hint = ctx.t(choices.length ? 'understanding.again_choices' : 'understanding.again');
  return {
    say: [{ text: question ? `${hint}\n${question}` : hint, ...(choices.length ? { choices } : {}) }],
    again: { hint },
  };
}

/** The message is only this intent (with fillers, greetings or thanks): safe for a word that works everywhere. */
export function whole(input: UserInput, intent: Intent): boolean {
  return input.intent?.intent === intent && input.intent.whole;
}

/**
 * The message's intent is a greeting, thanks or a goodbye (whatever the understanding counts as
 * social: `input.social` lists those it found, so no second list of them lives here).
 */
export function socialIntent(input: UserInput | undefined): boolean {
  const intent = input?.intent?.intent;
  return intent !== undefined && input?.social?.includes(intent) === true;
}

/** Back to the menu, showing it. */
export function toMenu(extra: Transition = {}): Transition {
  return { ...extra, goto: { ...MENU } };
}

/** Ends a sub-flow: back to the caller when there is one, otherwise to the menu. */
export function finish(ctx: StepContext, extra: Transition = {}): Transition {
  return ctx.state.stack.length > 0 ? { ...extra, done: true } : toMenu(extra);
}

/** Choices for a rating of 1 to 5, or none. */
export function ratingChoices(ctx: StepContext): Choice[] {
  return [
    ...['1', '2', '3', '4', '5'].map((n) => ({ id: `rate:${n}`, label: n })),
    { id: 'skip', label: ctx.t('answer.rate_skip') },
  ];
}

/** Reads a rating from a pressed choice or a typed digit; undefined when it is not 1 to 5. */
export function ratingOf(input: { choice?: Choice; normalized: string }): number | undefined {
  const rating = Number((input.choice?.id ?? '').replace('rate:', '') || input.normalized);
  return Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : undefined;
}

/**
 * Asks something in between (stop, another flow) without dropping the flow in progress: its step
 * comes back with its data when `resume` ends the question. At the menu it is a plain goto.
 */
export function interrupt(ctx: StepContext, target: StepRef, data: Transition['data'] = {}): Transition {
  const at = ctx.state.at;
  if (!at || at.flow === MENU.flow || at.flow === target.flow)
    return Object.keys(data).length ? { data, goto: target } : { goto: target };
  // A step that only shows choices (the free times) asks nothing on entering: its choices come back.
  // One list per interruption, as the stack holds one step each (stop during the switch question).
  const saved = ctx.data.resumeChoices ?? [];
  const resumeChoices = [...saved, ctx.state.choices ?? []];
  // Its question too, kept beside them (one per interruption, as the choices), and the choices of
  // that question shown before (the free times of earlier pages, still picked by their time typed).
  const resumeQuestions = [
    ...saved.map((_, i) => ctx.data.resumeQuestions?.[i] ?? null),
    ctx.state.question ?? null,
  ];
  const resumeEarlier = [...saved.map((_, i) => ctx.data.resumeEarlier?.[i] ?? []), ctx.state.earlier ?? []];
  return {
    data: { ...data, resumeChoices, resumeQuestions, resumeEarlier },
    goto: target,
    returnTo: at.step,
  };
}

/** Whether `interrupt` left a step to come back to. */
export function interrupted(ctx: StepContext): boolean {
  return ctx.state.stack.length > 0 && (ctx.data.resumeChoices?.length ?? 0) > 0;
}

/** The step a place in a flow names; undefined at the menu or for a step that no longer exists. */
export function stepAt(flows: readonly Flow[], at: StepRef | undefined): Step | undefined {
  if (!at || at.flow === MENU.flow) return undefined;
  return flows.find((f) => f.name === at.flow)?.steps[at.step];
}

/**
 * What a word that leaves the step ("menu", "terug") does where the person is: the step's own
 * question first when it holds unsent words (`Step.leaving`), else nothing (they leave).
 */
export function leaving(ctx: StepContext, flows: readonly Flow[]): Transition | undefined {
  return stepAt(flows, ctx.state.at)?.leaving?.(ctx);
}

/** `text`, with the choices to answer it when there are any. */
function withChoices(text: string, choices: readonly Choice[]): string | { text: string; choices: Choice[] } {
  return choices.length ? { text, choices: [...choices] } : text;
}

/** Choices shown again: the same ids, each label in the conversation's language where the step says it (`relabel`). */
function inLanguage(ctx: StepContext, step: Step | undefined, choices: readonly Choice[]): Choice[] {
  return choices.map((c) => ({ ...c, label: step?.relabel?.(ctx, c, choices) ?? c.label }));
}

/**
 * Says `text` and goes on at the step in progress, nothing typed lost (help, a greeting, a language
 * switch there): a step with its own question asks it again; otherwise its choices come back with
 * the same ids (their numbers still work), in the language of `ctx`. Undefined at the menu or
 * outside a flow.
 */
export function sameStep(ctx: StepContext, flows: readonly Flow[], text: string): Transition | undefined {
  const at = ctx.state.at;
  const step = stepAt(flows, at);
  if (!at || !step) return undefined;
  if (step.enter) return { say: [text], goto: at.step };
  return { say: [withChoices(text, inLanguage(ctx, step, ctx.state.choices ?? []))] };
}

/**
 * Back to the step `interrupt` left, after `text`: a step with its own question asks it again;
 * otherwise the question it was at comes again with its choices, the same ids (their numbers still
 * work), in the language spoken now (a switch during the question in between: the choices only,
 * then, as the question was asked in the other language).
 */
export function resume(ctx: StepContext, flows: readonly Flow[], text: string): Transition {
  const step = stepAt(flows, ctx.state.stack[ctx.state.stack.length - 1]);
  if (step?.enter) return { say: [text], ...unwind(ctx) };
  const saved = ctx.data.resumeChoices ?? [];
  const choices = inLanguage(ctx, step, saved[saved.length - 1] ?? []);
  const question = ctx.data.resumeQuestions?.[saved.length - 1];
  // The choices shown before them come back too: without them a time of an earlier page typed now
  // was read on the page shown alone ("dinsdag 19:20" took Wednesday's 19:20).
  const earlier = inLanguage(ctx, step, ctx.data.resumeEarlier?.[saved.length - 1] ?? []);
  const also = earlier.length && choices.length ? { earlier } : {};
  if (question && question.lang === ctx.lang && choices.length)
    return { say: [text, { text: question.text, choices, ...also }], ...unwind(ctx) };
  const said = withChoices(text, choices);
  return { say: [typeof said === 'string' ? said : { ...said, ...also }], ...unwind(ctx) };
}

/**
 * Ends an interruption without a word of its own: back to the step `interrupt` left, for a step that
 * asks its own question again on entering (an interruption of the stop question that would ask it
 * once more on top of itself).
 */
export function unwind(ctx: StepContext): Transition {
  const data = {
    resumeChoices: (ctx.data.resumeChoices ?? []).slice(0, -1),
    resumeQuestions: (ctx.data.resumeQuestions ?? []).slice(0, -1),
    resumeEarlier: (ctx.data.resumeEarlier ?? []).slice(0, -1),
  };
  return { data, done: true };
}
