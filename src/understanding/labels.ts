import { folded, normalise, words } from './normalise.js';
import { sameWord, type Token } from './tokens.js';

/** A label as the matcher compares it. */
export interface Label {
  plain: string;
  words: string[];
  /** Each word with its runs of one letter folded (`folded`), for comparing with typed words. */
  folded: string[];
}

const plainLabels = new Map<string, Label>();

/** A label without emoji or leading numbering, normalised, and its words; labels repeat, so kept. */
export function labelOf(label: string): Label {
  let known = plainLabels.get(label);
  if (!known) {
    const plain = normalise(label.replace(/^\s*\d+[.)]\s*/, ''));
    const w = words(plain);
    known = { plain, words: w, folded: w.map(folded) };
    if (plainLabels.size > 5_000) plainLabels.clear();
    plainLabels.set(label, known);
  }
  return known;
}

/** A typed word with its runs of one letter folded, folded once for every label it is compared with. */
export type Typed = Pick<Token, 'text' | 'hits'> & { folded: string };

/** A typed word ready for `labelWord`. */
export function typedWord(t: Pick<Token, 'text' | 'hits'>): Typed {
  return { text: t.text, hits: t.hits, folded: folded(t.text) };
}

const LETTERS = /^\p{L}+$/u;

/**
 * A typed word is a label's word: the same, a typo of it, the start of it ("stop" for "Stoppen",
 * "later" for "Latere tijden"), it inflected ("onthouden" for "onthoud"), or a word a short label
 * word starts ("dinsdag" for "di").
 */
export function labelWord(typed: Typed, word: string, wordFolded?: string): boolean {
  if (sameWord(typed.text, word, typed.folded, wordFolded) || typed.hits.has(word)) return true;
  if (!LETTERS.test(typed.text) || !LETTERS.test(word)) return false;
  // "stop" for "Stoppen", "haven" for "Havenkwartier"; not "wijkwethouder" for "wijk".
  if (typed.text.length >= 4 && word.startsWith(typed.text)) return true;
  // An inflection: "onthouden" for "onthoud", "afspraken" for "afspraak" is a typo anyway.
  if (word.length >= 4 && typed.text.startsWith(word) && typed.text.length - word.length <= 2) return true;
  return word.length >= 2 && word.length <= 3 && typed.text.length >= 5 && typed.text.startsWith(word);
}

/** Some word of the label is the typed word (`labelWord`). */
export function inLabel(typed: Typed, label: Label): boolean {
  return label.words.some((w, k) => labelWord(typed, w, label.folded[k]));
}
