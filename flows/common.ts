import type { TextKey } from '../src/i18n/translator.js';
import type { Choice } from '../src/ports/messages.js';
import type { StepContext, Transition } from './types.js';

/** Where the menu lives. */
export const MENU = { flow: 'menu', step: 'main' } as const;

/** A yes/no pair of choices with the usual synonyms. */
export function yesNo(
  ctx: StepContext,
  yesKey: TextKey = 'core.yes',
  noKey: TextKey = 'core.no',
): (Choice & { synonyms: string[] })[] {
  return [
    {
      id: 'yes',
      label: ctx.t(yesKey),
      synonyms: ['ja', 'yes', 'j', 'y', 'jazeker', 'ok', 'oke', 'goed', 'prima', 'graag'],
    },
    { id: 'no', label: ctx.t(noKey), synonyms: ['nee', 'no', 'n', 'neen', 'liever niet', 'niet'] },
  ];
}

/** Reads a yes/no answer from a choice or plain words; undefined when it is neither. */
export function yesOrNo(input: { choice?: Choice; normalized: string }): boolean | undefined {
  if (input.choice?.id === 'yes') return true;
  if (input.choice?.id === 'no') return false;
  if (/^(ja|yes|j|y|jazeker|ok|oke|okay|goed|prima|graag)\b/.test(input.normalized)) return true;
  if (/^(nee|no|n|neen|niet|liever niet)\b/.test(input.normalized)) return false;
  return undefined;
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
