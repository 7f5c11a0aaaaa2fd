import type { Choice } from '../ports/messages.js';
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

/** A choice's label without emoji or numbering, for comparing with what someone typed. */
function plainLabel(label: string): string {
  return normalize(label.replace(/\p{Extended_Pictographic}/gu, '').replace(/^\d+[.)]\s*/, ''));
}

/**
 * Matches an answer to the choices last offered: a button's id, the choice's number, its label,
 * or one of its synonyms, in any letter case.
 */
export function matchChoice(
  choices: readonly (Choice & { synonyms?: string[] })[] | undefined,
  text: string,
  choiceId?: string,
): Choice | undefined {
  if (!choices?.length) return undefined;
  if (choiceId !== undefined) return choices.find((c) => c.id === choiceId);
  const typed = normalize(text);
  if (/^\d{1,2}$/.test(typed)) return choices[Number(typed) - 1];
  return (
    choices.find((c) => plainLabel(c.label) === typed) ??
    choices.find((c) => c.synonyms?.some((s) => normalize(s) === typed))
  );
}

/** Builds the input a step sees from raw message parts. */
export function toInput(
  text: string,
  hasMedia: boolean,
  choices: readonly Choice[] | undefined,
  choiceId?: string,
  firstName?: string,
): UserInput {
  const trimmed = text.trim();
  const choice = matchChoice(choices, trimmed, choiceId);
  const input: UserInput = {
    text: trimmed,
    normalized: normalize(trimmed),
    hasMedia,
    ...(firstName ? { firstName } : {}),
  };
  if (choice) {
    input.choice = { id: choice.id, label: choice.label };
    if (!trimmed) input.text = choice.label;
  }
  return input;
}
