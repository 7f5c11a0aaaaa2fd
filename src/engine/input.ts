import type { Choice } from '../ports/messages.js';
import type { ChosenBy } from '../understanding/choices.js';
import { understand } from '../understanding/matcher.js';
import type { Vocabulary } from '../understanding/vocabulary.js';
import type { UserInput } from './flow.js';

/** Lower case, no accents, inner white space folded, surrounding punctuation dropped. */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s.!?,;:'"()[\]-]+|[\s.!?,;:'"()[\]-]+$/g, '')
    .trim();
}

/**
 * Matches an answer to the choices last offered: a button's id, or what the matcher reads (label,
 * number, ordinal, time, a yes or no for a yes/no pair, words only one label has).
 */
export function matchChoice(
  vocab: Vocabulary,
  choices: readonly Choice[] | undefined,
  text: string,
  choiceId?: string,
): Choice | undefined {
  if (!choices?.length) return undefined;
  if (choiceId !== undefined) return choices.find((c) => c.id === choiceId);
  const u = understand(vocab, text, choices);
  return u.choice ? choices[u.choice.index] : undefined;
}

/**
 * Builds the input a step sees from raw message parts: the choice, yes/no and intent it reads as.
 * `earlier`: choices of the same question shown before `choices` (`ConversationState.earlier`).
 */
export function toInput(
  vocab: Vocabulary,
  text: string,
  hasMedia: boolean,
  choices: readonly Choice[] | undefined,
  choiceId?: string,
  firstName?: string,
  earlier?: readonly Choice[],
): UserInput {
  const trimmed = text.trim();
  const u = understand(vocab, trimmed, choiceId === undefined ? (choices ?? []) : []);
  const input: UserInput = {
    text: trimmed,
    normalized: normalize(trimmed),
    hasMedia,
    candidates: u.candidates,
    social: u.social,
    ...(firstName ? { firstName } : {}),
    ...(u.answer ? { answer: u.answer.answer, answerAlone: u.answer.alone } : {}),
    ...(u.answer?.asIs ? { answerAsIs: true as const } : {}),
    ...(u.answer?.notAsIs ? { answerNotAsIs: true as const } : {}),
    ...(u.intent ? { intent: u.intent } : {}),
    ...(u.vague ? { vague: u.vague } : {}),
    ...(u.timeWish ? { timeWish: u.timeWish } : {}),
    ...(u.change ? { change: u.change } : {}),
    ...(isSentence(trimmed, u.meaningfulWords) ? { sentence: true as const } : {}),
    ...(u.language === 'nl' || u.language === 'en' ? { language: u.language } : {}),
  };
  const before =
    choiceId === undefined && earlier?.length
      ? shownBefore(vocab, trimmed, choices ?? [], earlier)
      : undefined;
  if (before)
    return { ...input, choice: { id: before.choice.id, label: before.choice.label }, choiceBy: before.by };
  const choice = choiceId !== undefined ? choices?.find((c) => c.id === choiceId) : pick(u, choices);
  if (choice) {
    input.choice = { id: choice.id, label: choice.label };
    if (choiceId === undefined && u.choice)
      input.choiceBy = choice.id === u.choice.id ? u.choice.by : 'words';
    if (!trimmed) input.text = choice.label;
  }
  return input;
}

/**
 * A choice shown before the list on screen ("di 8 dec 19:20" of the first page, while the second is
 * shown), picked by its label or its time typed ("dinsdag 19:20"). Read with the list shown, so that
 * a time both have ("19:20") is no earlier one (the list shown reads it next); and before it, so that
 * "dinsdag 19:20" is no Wednesday at 19:20 of the list shown. A number or an ordinal counts on the
 * list shown, and words alone ("dinsdag") may mean a day of that list: those pick nothing earlier.
 * The step still checks the choice (a free time is booked only if still free).
 */
function shownBefore(
  vocab: Vocabulary,
  text: string,
  shown: readonly Choice[],
  earlier: readonly Choice[],
): { choice: Choice; by: ChosenBy } | undefined {
  const read = understand(vocab, text, [...shown, ...earlier]).choice;
  if (!read || (read.by !== 'label' && read.by !== 'time')) return undefined;
  const choice = earlier[read.index - shown.length];
  return choice ? { choice, by: read.by } : undefined;
}

/** See `UserInput.sentence`. */
function isSentence(text: string, meaningfulWords: number): boolean {
  return meaningfulWords >= 4 || (meaningfulWords >= 3 && text.includes('?'));
}

/**
 * The choice the words name. Where words only one label has point one way and the intent another
 * that is itself offered (the menu: "wethouder" is the district question, though a label has the
 * word), the offered intent wins.
 */
function pick(u: ReturnType<typeof understand>, choices: readonly Choice[] | undefined): Choice | undefined {
  if (!u.choice || !choices) return undefined;
  const intent = u.intent?.intent;
  if (u.choice.by === 'words' && intent && intent !== u.choice.id) {
    const offered = choices.find((c) => c.id === intent);
    if (offered) return offered;
  }
  return choices[u.choice.index];
}
