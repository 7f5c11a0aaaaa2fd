import distance from 'damerau-levenshtein';
import { folded, words } from './normalise.js';
import type { Phrase, Vocabulary } from './vocabulary.js';

/** One typed word and the vocabulary words it stands for (itself, or what it is a typo of). */
export interface Token {
  text: string;
  hits: ReadonlySet<string>;
  filler: boolean;
}

/** How many letters may differ for a word this long: none under 4, one from 4, two from 8. */
export function allowedEdits(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

const LETTERS = /^\p{L}+$/u;

/** Letters to change to turn a typed word into a vocabulary (or label) word; undefined when too many. */
export function edits(typed: string, word: string): number | undefined {
  if (typed === word) return 0;
  if (!LETTERS.test(typed) || !LETTERS.test(word)) return undefined;
  const a = folded(typed);
  const b = folded(word);
  // Doubled letters ("menuu", "afsprak") are the commonest slip on a phone: half an edit. Not for
  // words of two letters: "ook" is no "ok".
  if (a === b) return a.length >= 3 ? 0.5 : undefined;
  const allowed = allowedEdits(Math.min(typed.length, word.length));
  if (allowed === 0 || Math.abs(typed.length - word.length) > allowed) return undefined;
  const steps = distance(a, b).steps;
  return steps <= allowed ? steps : undefined;
}

/**
 * Whether a typed word is a vocabulary (or label) word, allowing a typo scaled to its length
 * (Damerau-Levenshtein: a swapped pair of letters is one edit). Numbers never count as typos.
 */
export function sameWord(typed: string, word: string): boolean {
  return edits(typed, word) !== undefined;
}

/** A vocabulary word ready for comparing: folded, and its letters counted. */
interface Entry {
  word: string;
  folded: string;
  letters: Map<string, number>;
}

function countLetters(word: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of word) counts.set(c, (counts.get(c) ?? 0) + 1);
  return counts;
}

/** How many letters two words do not share: one edit changes this by at most two. */
function letterDifference(a: Map<string, number>, b: Map<string, number>): number {
  let diff = 0;
  for (const [c, n] of a) diff += Math.abs(n - (b.get(c) ?? 0));
  for (const [c, n] of b) if (!a.has(c)) diff += n;
  return diff;
}

/** Vocabulary words (letters only) by folded length, made once per vocabulary. */
const entriesByLength = new WeakMap<Vocabulary, Map<number, Entry[]>>();

function entriesNear(vocab: Vocabulary, length: number): Entry[] {
  let index = entriesByLength.get(vocab);
  if (!index) {
    index = new Map();
    for (const word of vocab.known) {
      if (!LETTERS.test(word)) continue;
      const f = folded(word);
      const list = index.get(f.length) ?? [];
      list.push({ word, folded: f, letters: countLetters(f) });
      index.set(f.length, list);
    }
    entriesByLength.set(vocab, index);
  }
  const near: Entry[] = [];
  for (let l = length - 2; l <= length + 2; l++) near.push(...(index.get(l) ?? []));
  return near;
}

/** The vocabulary words a typed word is the closest typo of (compared folded, nearest first). */
function closest(vocab: Vocabulary, typed: string): Set<string> {
  if (!LETTERS.test(typed)) return new Set();
  const ft = folded(typed);
  const letters = countLetters(ft);
  let best = Infinity;
  let hits: string[] = [];
  for (const entry of entriesNear(vocab, ft.length)) {
    let e: number | undefined;
    if (ft === entry.folded) e = ft.length >= 3 ? 0.5 : undefined;
    else {
      const allowed = allowedEdits(Math.min(typed.length, entry.word.length));
      const possible =
        allowed > 0 &&
        Math.abs(ft.length - entry.folded.length) <= allowed &&
        letterDifference(letters, entry.letters) <= 2 * allowed;
      const steps = possible ? distance(ft, entry.folded).steps : Infinity;
      if (steps <= allowed) e = steps;
    }
    if (e === undefined || e > best) continue;
    if (e < best) hits = [];
    best = e;
    hits.push(entry.word);
  }
  return new Set(hits);
}

/** The words of a message, each with the vocabulary words it matches; a known word is never a typo. */
export function tokenize(vocab: Vocabulary, text: string): Token[] {
  return words(text).map((w) => {
    const hits = vocab.known.has(w) ? new Set([w]) : closest(vocab, w);
    return { text: w, hits, filler: vocab.fillers.has(w) || [...hits].some((h) => vocab.fillers.has(h)) };
  });
}

/** Where a phrase's words occur in order (other words may come between); undefined when not all do. */
export function findInOrder(tokens: readonly Token[], phrase: Phrase, from = 0): number[] | undefined {
  const at: number[] = [];
  let i = from;
  for (const word of phrase.words) {
    while (i < tokens.length && !tokens[i]?.hits.has(word)) i++;
    if (i >= tokens.length) return undefined;
    at.push(i++);
  }
  return at;
}

/** Where a phrase's words occur right after one another, starting at `start`. */
export function findAt(tokens: readonly Token[], phrase: Phrase, start: number): boolean {
  return phrase.words.every((word, k) => tokens[start + k]?.hits.has(word) === true);
}
