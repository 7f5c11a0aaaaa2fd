import { findInOrder, isNegation, type Token } from './tokens.js';
import type { Phrase, Vocabulary } from './vocabulary.js';

/**
 * What the message asks to do with an appointment: cancel it ("ik wil mijn afspraak afzeggen",
 * `cancels`) or move it ("kan ik mijn afspraak verzetten?", `moves`). Undefined when it says neither,
 * both, or says it after a negation ("niet afzeggen"). Words typed with a typo count only as the
 * narrowest typos (as those of a step that takes something away).
 */
export function changeAsked(vocab: Vocabulary, tokens: readonly Token[]): 'cancel' | 'move' | undefined {
  const named = (list: readonly Phrase[]) =>
    list.some((p) => {
      const at = findInOrder(tokens, p, 0, true);
      return at !== undefined && !isNegation(vocab, tokens[(at[0] ?? 0) - 1]);
    });
  const cancel = named(vocab.cancels);
  const move = named(vocab.moves);
  if (cancel === move) return undefined;
  return cancel ? 'cancel' : 'move';
}
