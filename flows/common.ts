import type { TextKey } from '../src/i18n/translator.js';
import type { Choice } from '../src/ports/messages.js';
import type { Intent, StepContext, Transition, UserInput } from './types.js';

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
  };
}

/** The message is only this intent (with fillers, greetings or thanks): safe for a word that works everywhere. */
export function whole(input: UserInput, intent: Intent): boolean {
  return input.intent?.intent === intent && input.intent.whole;
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
