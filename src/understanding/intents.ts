import { findInOrder, type Token } from './tokens.js';
import { SOCIAL, type Intent, type Phrase, type Vocabulary } from './vocabulary.js';

/** How strongly a message points at one intent. */
export interface IntentScore {
  intent: Intent;
  score: number;
  /** Positions of the words this intent explains. */
  covered: Set<number>;
  lang: string;
}

/** A vocabulary word weighs 1, a filler inside a phrase ("een", "the") half. */
function weight(vocab: Vocabulary, phraseWords: readonly string[]): number {
  return phraseWords.reduce((sum, w) => sum + (vocab.fillers.has(w) ? 0.5 : 1), 0);
}

/** A phrase of an intent, and its place in that intent's list. */
interface Listed {
  intent: Intent;
  order: number;
  phrase: Phrase;
}

const phrasesByFirstWord = new WeakMap<Vocabulary, Map<string, Listed[]>>();

/** Every intent phrase by its first word, made once per vocabulary. */
function byFirstWord(vocab: Vocabulary): Map<string, Listed[]> {
  let index = phrasesByFirstWord.get(vocab);
  if (!index) {
    index = new Map();
    for (const [intent, list] of vocab.intents)
      for (const [order, phrase] of list.entries()) {
        const first = phrase.words[0] ?? '';
        index.set(first, [...(index.get(first) ?? []), { intent, order, phrase }]);
      }
    phrasesByFirstWord.set(vocab, index);
  }
  return index;
}

/**
 * The phrases of each intent that have every word in the message, in the intent's own order. Most
 * phrases have a word the message lacks: only those that start with a typed word are looked at.
 */
function phrasesTyped(vocab: Vocabulary, typed: ReadonlySet<string>): Map<Intent, Phrase[]> {
  const index = byFirstWord(vocab);
  const found = new Map<Intent, Listed[]>();
  for (const word of typed)
    for (const listed of index.get(word) ?? [])
      if (listed.phrase.words.every((w) => typed.has(w)))
        found.set(listed.intent, [...(found.get(listed.intent) ?? []), listed]);
  return new Map(
    [...found].map(([intent, list]) => [intent, list.sort((a, b) => a.order - b.order).map((l) => l.phrase)]),
  );
}

/** Scores one intent: its most specific phrase, plus a little for each further word it explains. */
function scoreIntent(
  vocab: Vocabulary,
  tokens: readonly Token[],
  intent: Intent,
  phrases: readonly Phrase[],
): IntentScore | undefined {
  let best: { score: number; lang: string; at: number[] } | undefined;
  const covered = new Set<number>();
  for (const phrase of phrases) {
    const at = findInOrder(tokens, phrase);
    if (!at) continue;
    // A phrase made only of fillers ("in het") says nothing on its own; "geen afspraak", "niet
    // stoppen" say the opposite.
    if (at.every((i) => tokens[i]?.filler) || negated(vocab, tokens, at[0] ?? 0)) continue;
    at.forEach((i) => covered.add(i));
    const score = weight(vocab, phrase.words) - spread(at) * 0.1;
    if (!best || score > best.score) best = { score, lang: phrase.lang, at };
  }
  if (!best) return undefined;
  const bestAt = new Set(best.at);
  const extra = [...covered].filter((i) => !bestAt.has(i) && !tokens[i]?.filler).length;
  return { intent, score: best.score + extra * 0.25, covered, lang: best.lang };
}

/** The word before a phrase is a negation ("geen", "niet", "not", "no"). */
function negated(vocab: Vocabulary, tokens: readonly Token[], first: number): boolean {
  return [...(tokens[first - 1]?.hits ?? [])].some((h) => vocab.negations.has(h));
}

/** Words between a phrase's words: a phrase spread over a long sentence counts a little less. */
function spread(at: readonly number[]): number {
  const first = at[0] ?? 0;
  const last = at[at.length - 1] ?? 0;
  return last - first + 1 - at.length;
}

/** Every intent the message points at, strongest first; social intents only when nothing else. */
export function scoreIntents(vocab: Vocabulary, tokens: readonly Token[]): IntentScore[] {
  const typed = new Set(tokens.flatMap((t) => [...t.hits]));
  const candidates = phrasesTyped(vocab, typed);
  const scored = [...vocab.intents.keys()]
    .map((intent) => scoreIntent(vocab, tokens, intent, candidates.get(intent) ?? []))
    .filter((s): s is IntentScore => s !== undefined)
    .sort((a, b) => b.score - a.score);
  const real = scored.filter((s) => !SOCIAL.includes(s.intent));
  return real.length ? [...real, ...scored.filter((s) => SOCIAL.includes(s.intent))] : scored;
}

/** Positions of the words that carry meaning (not fillers). */
export function contentPositions(tokens: readonly Token[]): number[] {
  return tokens.flatMap((t, i) => (t.filler ? [] : [i]));
}
