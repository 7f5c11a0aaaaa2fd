import distance from 'damerau-levenshtein';
import { folded, normalise, wordsOf } from './normalise.js';
import type { Phrase, Vocabulary } from './vocabulary.js';

/** One typed word and the vocabulary words it stands for (itself, or what it is a typo of). */
export interface Token {
  text: string;
  hits: ReadonlySet<string>;
  /**
   * The hits reached by the narrowest typos only (`sounds` in `typosFor`): the word itself, a
   * swapped pair, a consonant typed twice. A phrase of a destructive intent reads these, so a word
   * it shares with a harmless intent ("vergeet" in "vergeet het") is no door to it ("vergeef mij").
   */
  careful: ReadonlySet<string>;
  filler: boolean;
  /** A softener read as a filler ("maar" in "stop maar"): an answer's phrase may pass over it ("toch maar niet"). */
  soft?: boolean;
}

/** How many letters may differ for a word this long: none under 4, one from 4, two from 8. */
export function allowedEdits(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

const LETTERS = /^\p{L}+$/u;

/**
 * A letter typed twice or a double typed once ("menuu", "afsprak", "wiss") is the commonest slip on
 * a phone: half an edit. Not where two letters are left ("ook" is no "ok"), nor from a word typed
 * with 3 letters, which takes no typo (`allowedEdits`): "ana" is no "Anna", "wet" no "weet".
 */
function doubledSlip(typedLength: number, foldedLength: number): number | undefined {
  return foldedLength >= 3 && typedLength >= 4 ? 0.5 : undefined;
}

/**
 * Letters to change to turn a typed word into a vocabulary (or label) word; undefined when too many.
 * A caller that compares one word many times may pass the words already folded.
 */
export function edits(
  typed: string,
  word: string,
  typedFolded?: string,
  wordFolded?: string,
): number | undefined {
  if (typed === word) return 0;
  if (!LETTERS.test(typed) || !LETTERS.test(word)) return undefined;
  const a = typedFolded ?? folded(typed);
  const b = wordFolded ?? folded(word);
  if (a === b) return doubledSlip(typed.length, a.length);
  const allowed = allowedEdits(Math.min(typed.length, word.length));
  if (allowed === 0 || Math.abs(typed.length - word.length) > allowed) return undefined;
  const steps = distance(a, b).steps;
  return steps <= allowed ? steps : undefined;
}

/**
 * Whether a typed word is a vocabulary (or label) word, allowing a typo scaled to its length
 * (Damerau-Levenshtein: a swapped pair of letters is one edit). Numbers never count as typos.
 */
export function sameWord(typed: string, word: string, typedFolded?: string, wordFolded?: string): boolean {
  return edits(typed, word, typedFolded, wordFolded) !== undefined;
}

/**
 * A vocabulary word ready for comparing: folded, its letters counted, which typos reach it
 * (`typosFor`), and for a word reached only by typos that keep its sound, that sound (`soundOf`).
 */
interface Entry {
  word: string;
  folded: string;
  letters: Int32Array;
  typos: Typos;
  sound?: Sound;
}

/** Letters a–z each have a slot in a letter count; every other letter shares the last one. */
const SLOTS = 27;

function countLetters(word: string): Int32Array {
  const counts = new Int32Array(SLOTS);
  for (const c of word) {
    const k = (c.codePointAt(0) ?? 0) - 97;
    const slot = k >= 0 && k < 26 ? k : 26;
    counts[slot] = (counts[slot] ?? 0) + 1;
  }
  return counts;
}

/**
 * How many letters two words do not share: one edit changes this by at most two. Letters outside
 * a–z share a slot, which can only make the difference smaller, so no word within reach is missed.
 * Stops counting once it is past `limit`.
 */
function letterDifference(a: Int32Array, b: Int32Array, limit: number): number {
  let diff = 0;
  for (let k = 0; k < SLOTS && diff <= limit; k++) diff += Math.abs((a[k] ?? 0) - (b[k] ?? 0));
  return diff;
}

/**
 * For each folded length, the vocabulary words (letters only) within two letters of it, shortest
 * first; made once per vocabulary, so that a typed word is compared with no list built per message.
 */
const entriesByLength = new WeakMap<Vocabulary, Map<number, Entry[]>>();

function entriesNear(vocab: Vocabulary, length: number): readonly Entry[] {
  let near = entriesByLength.get(vocab);
  if (!near) {
    const byLength = new Map<number, Entry[]>();
    for (const word of vocab.known) {
      if (!LETTERS.test(word)) continue;
      const f = folded(word);
      const list = byLength.get(f.length) ?? [];
      const typos = typosFor(vocab, word, f);
      list.push({
        word,
        folded: f,
        letters: countLetters(f),
        typos,
        ...(typos === 'sounds' ? { sound: soundOf(word) } : {}),
      });
      byLength.set(f.length, list);
    }
    near = new Map();
    const longest = Math.max(0, ...byLength.keys());
    for (let l = 1; l <= longest + 2; l++) {
      const list: Entry[] = [];
      for (let k = l - 2; k <= l + 2; k++) list.push(...(byLength.get(k) ?? []));
      near.set(l, list);
    }
    entriesByLength.set(vocab, near);
  }
  return near.get(length) ?? [];
}

/** Command words shorter than this take only a swap or a doubled letter as a typo (see `typosFor`). */
const COMMAND_STRICT_BELOW = 8;

/** How far a typed word may be from a vocabulary word and still be read as it (see `typosFor`). */
type Typos = 'length' | 'letters' | 'sounds';

/**
 * The one rule for which typos reach a vocabulary word, by what the word can set off:
 *
 * - `sounds`: a word only destructive intents use (`DESTRUCTIVE`: "stop", "afmelden", "verwijder"),
 *   of any length. A misread there ends the messages, the subscriptions or the data, so only a typo
 *   that keeps the word's letters and its sound counts: a swapped pair ("stpo", "sotp", "afmeldne")
 *   or a consonant typed twice ("stopp", "sstop", German "Stopp"); from a word of 8 letters or more
 *   also one letter left out ("afmelen", "unsubscibe"), which makes no other word of one that long.
 *   A vowel typed twice is another word ("stoop", like "boom", "heel"), and so is a letter added,
 *   changed, or dropped from a shorter word ("stoep", "stopt", "inschrijven", "afmelding"). Each of
 *   these intents still asks before it acts, or acts
 *   only on what the resident can undo (updates off: "updates" again). A phrase of a destructive
 *   intent holds every word of it to this rule, also a word a harmless intent shares ("vergeet" of
 *   "vergeet het"): "vergeef mij" is no "vergeet mij" (`careful` on a token, read in intents.ts).
 *   A word only a goodbye uses (`CLOSING`: "doei", "ziens") takes the same rule: "doet" or "doen"
 *   is no goodbye, which would leave the resident without the menu.
 * - `letters`: a word that is a command on its own ("menu", "hulp", "terug"), shorter than 8
 *   letters: a swapped pair or any letter typed twice ("mneu", "menuu"); a letter added, dropped or
 *   changed turns real words into commands ("helen" into "helpen"), and a command on its own leaves
 *   the step, on a free-text answer too.
 * - `length`: every other word, by its length (`allowedEdits`).
 */
function typosFor(vocab: Vocabulary, word: string, folded: string): Typos {
  if (vocab.destructive.has(word) || vocab.closing.has(word)) return 'sounds';
  if (folded.length < COMMAND_STRICT_BELOW && vocab.commands.has(word)) return 'letters';
  return 'length';
}

/** The typed word has the same letters as the entry, one pair swapped ("stpo", "sotp"); 4 letters or more. */
function swapped(typed: string, letters: Int32Array, word: string, wordLetters: Int32Array): boolean {
  return (
    typed.length === word.length &&
    allowedEdits(typed.length) > 0 &&
    letterDifference(letters, wordLetters, 0) === 0 &&
    distance(typed, word).steps === 1
  );
}

const DOUBLED_CONSONANT = /([^aeiou])\1+/gu;

/**
 * A typo that keeps a word's letters and sound (`sounds` in `typosFor`): only consonants typed twice
 * ("stopp", "stopen" for "stoppen"), or a swapped pair, also one that splits a double letter ("lale"
 * for "alle"); a vowel typed twice or once is no such typo. From a word of 8 letters or more, one
 * letter left out ("afmelen" for "afmelden").
 */
function sameSound(typed: string, word: string): boolean {
  return soundsAlike(soundOf(typed), soundOf(word));
}

/** A word as `sameSound` compares it: itself and with its doubled consonants single, letters counted. */
interface Sound {
  word: string;
  letters: Int32Array;
  single: string;
  singleLetters: Int32Array;
}

function soundOf(word: string): Sound {
  const single = word.replace(DOUBLED_CONSONANT, '$1');
  return { word, letters: countLetters(word), single, singleLetters: countLetters(single) };
}

function soundsAlike(a: Sound, b: Sound): boolean {
  return (
    a.single === b.single ||
    swapped(a.single, a.singleLetters, b.single, b.singleLetters) ||
    swapped(a.word, a.letters, b.word, b.letters) ||
    leftOut(a.word, b.word)
  );
}

/** Words this long have no other word one letter shorter that a resident would mean ("afmelden"). */
const LEFT_OUT_FROM = 8;

/** The typed word is `word` with one letter left out ("afmelen", "unsubscibe"); `word` of 8 letters or more. */
function leftOut(typed: string, word: string): boolean {
  if (word.length < LEFT_OUT_FROM || typed.length !== word.length - 1) return false;
  let i = 0;
  while (i < typed.length && typed[i] === word[i]) i++;
  return typed.slice(i) === word.slice(i + 1);
}

/** A typed word ready for comparing with every entry: its sound only once an entry asks for it. */
interface Typed {
  text: string;
  folded: string;
  letters: Int32Array;
  sound?: Sound;
}

/** How many edits away a typed word is from an entry, by `typosFor`; undefined when out of reach. */
function typoEdits(typed: Typed, entry: Entry): number | undefined {
  const { folded: ft, letters } = typed;
  const typos = entry.typos;
  if (entry.sound && !soundsAlike((typed.sound ??= soundOf(typed.text)), entry.sound)) return undefined;
  if (ft === entry.folded) return doubledSlip(typed.text.length, ft.length);
  if (typos === 'sounds') return 1;
  if (typos === 'letters') return swapped(ft, letters, entry.folded, entry.letters) ? 1 : undefined;
  const allowed = allowedEdits(Math.min(typed.text.length, entry.word.length));
  const possible =
    allowed > 0 &&
    Math.abs(ft.length - entry.folded.length) <= allowed &&
    letterDifference(letters, entry.letters, 2 * allowed) <= 2 * allowed;
  const steps = possible ? distance(ft, entry.folded).steps : Infinity;
  return steps <= allowed ? steps : undefined;
}

/** The vocabulary words a typed word is the closest typo of (compared folded, nearest first; see `typosFor`). */
function closest(vocab: Vocabulary, typed: string): Set<string> {
  if (!LETTERS.test(typed)) return new Set();
  const ft = folded(typed);
  const word: Typed = { text: typed, folded: ft, letters: countLetters(ft) };
  let best = Infinity;
  let hits: string[] = [];
  for (const entry of entriesNear(vocab, ft.length)) {
    const e = typoEdits(word, entry);
    if (e === undefined || e > best) continue;
    if (e < best) hits = [];
    best = e;
    hits.push(entry.word);
  }
  return new Set(hits);
}

/** The word is a negation ("niet", "geen", "not", "no"), or a typo of one. */
export function isNegation(vocab: Vocabulary, token: Token | undefined): boolean {
  return [...(token?.hits ?? [])].some((h) => vocab.negations.has(h));
}

/**
 * Softeners ("maar", "gerust") as fillers, marked `soft`: "stop maar", "ga maar door", "toch maar
 * niet" say what they would without them. Right after a yes or a no ("ja maar", "klopt, maar") or
 * opening the message, a word that is also a hedge is left as it is: there it is "but".
 */
function soften(vocab: Vocabulary, tokens: readonly Token[]): Token[] {
  const answers = [...vocab.answers.yes, ...vocab.answers.no];
  const afterAnswer = (i: number) =>
    answers.some((p) => i - p.words.length >= 0 && findAt(tokens, p, i - p.words.length));
  return tokens.map((t, i) =>
    vocab.softeners.has(t.text) && i > 0 && !afterAnswer(i) ? { ...t, filler: true, soft: true } : t,
  );
}

/** The words of a message, each with the vocabulary words it matches; a known word is never a typo. */
export function tokenize(vocab: Vocabulary, text: string): Token[] {
  return tokensOf(vocab, normalise(text));
}

/** The tokens of a text already normalised (`normalise`), for a caller that needs that text too; softeners `soften`ed. */
export function tokensOf(vocab: Vocabulary, normal: string): Token[] {
  const tokens = wordsOf(normal).map((w) => {
    const hits = vocab.known.has(w) ? new Set([w]) : closest(vocab, w);
    const careful = new Set([...hits].filter((h) => h === w || sameSound(w, h)));
    const filler = vocab.fillers.has(w) || [...hits].some((h) => vocab.fillers.has(h));
    return { text: w, hits, careful, filler };
  });
  return soften(vocab, tokens);
}

/** The vocabulary words a token stands for; only its `careful` ones for a destructive phrase. */
function reaches(token: Token | undefined, word: string, careful: boolean): boolean {
  return (careful ? token?.careful : token?.hits)?.has(word) === true;
}

/**
 * Where a phrase's words occur in order (other words may come between); undefined when not all do.
 * `careful`: a phrase of a destructive intent, whose every word takes only the narrowest typos.
 */
export function findInOrder(
  tokens: readonly Token[],
  phrase: Phrase,
  from = 0,
  careful = false,
): number[] | undefined {
  const at: number[] = [];
  let i = from;
  for (const word of phrase.words) {
    while (i < tokens.length && !reaches(tokens[i], word, careful)) i++;
    if (i >= tokens.length) return undefined;
    at.push(i++);
  }
  return at;
}

/** Where a phrase's words occur right after one another, starting at `start` (`careful` as in `findInOrder`). */
export function findAt(tokens: readonly Token[], phrase: Phrase, start: number, careful = false): boolean {
  return phrase.words.every((word, k) => reaches(tokens[start + k], word, careful));
}
