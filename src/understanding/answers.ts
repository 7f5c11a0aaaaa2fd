import { findAt, type Token } from './tokens.js';
import type { Phrase, Vocabulary } from './vocabulary.js';

export type Answer = 'yes' | 'no' | 'unsure';

/** A yes, no or "I don't know", and how sure the reading is. */
export interface AnswerReading {
  answer: Answer;
  confidence: number;
  /** Positions of the words that are neither the answer nor fillers ("nee, *andere tijd*"). */
  rest: number[];
}

type Tagged = Phrase & { answer: Answer | 'hedge'; rank: number };

const phrasesByFirstWord = new WeakMap<Vocabulary, Map<string, Tagged[]>>();

/**
 * All answer and hedge phrases, longest first, so "klopt niet" is read before "klopt"; kept by their
 * first word, so that a typed word is only compared with the phrases that can start with it.
 */
function phrasesStartingWith(vocab: Vocabulary): Map<string, Tagged[]> {
  let byFirst = phrasesByFirstWord.get(vocab);
  if (!byFirst) {
    const { yes, no, unsure } = vocab.answers;
    const sorted = [
      ...unsure.map((p) => ({ ...p, answer: 'unsure' as const })),
      ...no.map((p) => ({ ...p, answer: 'no' as const })),
      ...yes.map((p) => ({ ...p, answer: 'yes' as const })),
      ...vocab.hedges.map((p) => ({ ...p, answer: 'hedge' as const })),
    ].sort((a, b) => b.words.length - a.words.length);
    byFirst = new Map();
    for (const [rank, p] of sorted.entries()) {
      const first = p.words[0] ?? '';
      byFirst.set(first, [...(byFirst.get(first) ?? []), { ...p, rank }]);
    }
    phrasesByFirstWord.set(vocab, byFirst);
  }
  return byFirst;
}

/** The first phrase (longest first) that starts at token `i`. */
function phraseAt(vocab: Vocabulary, tokens: readonly Token[], i: number): Tagged | undefined {
  const byFirst = phrasesStartingWith(vocab);
  let found: Tagged | undefined;
  for (const hit of tokens[i]?.hits ?? []) {
    for (const p of byFirst.get(hit) ?? []) {
      // Each list is in rank order: the first that fits is the best this word can start.
      if (found && p.rank >= found.rank) break;
      if (findAt(tokens, p, i)) {
        found = p;
        break;
      }
    }
  }
  return found;
}

/**
 * Reads a yes or a no in any common form ("klopt", "prima zo", "👍", "nee dank je", "klopt niet").
 * Only a clear answer counts: yes and no together, a "maar", or a yes with a "niet" beside it is
 * no yes; a yes buried in many other words is not trusted either. Undefined when it is neither.
 */
export function readAnswer(
  vocab: Vocabulary,
  tokens: readonly Token[],
  ignore: ReadonlySet<number> = new Set(),
): AnswerReading | undefined {
  const found: { answer: Answer | 'hedge'; at: number; length: number }[] = [];
  const used = new Set<number>(ignore);
  for (let i = 0; i < tokens.length; i++) {
    if (used.has(i)) continue;
    const phrase = phraseAt(vocab, tokens, i);
    if (!phrase) continue;
    found.push({ answer: phrase.answer, at: i, length: phrase.words.length });
    for (let k = 0; k < phrase.words.length; k++) used.add(i + k);
    i += phrase.words.length - 1;
  }
  const count = (a: Answer | 'hedge') => found.filter((f) => f.answer === a).length;
  const negation = (t: Token) => [...t.hits].some((h) => vocab.negations.has(h));
  const negations = tokens.filter((t, i) => !used.has(i) && negation(t));
  const restAt = tokens.flatMap((t, i) => (used.has(i) || t.filler || negation(t) ? [] : [i]));
  const rest = restAt.length;
  if (count('unsure') > 0 && count('yes') === 0) return { answer: 'unsure', confidence: 0.9, rest: restAt };
  if (count('hedge') > 0 || count('unsure') > 0) return undefined;
  const yes = count('yes');
  const no = count('no') + negations.length;
  if (yes > 0 && no > 0)
    return yesDenied(found, tokens, used, vocab)
      ? { answer: 'no', confidence: 0.8, rest: restAt }
      : undefined;
  if (yes > 0) return rest <= 2 ? { answer: 'yes', confidence: 1 - rest * 0.15, rest: restAt } : undefined;
  if (count('no') > 0)
    return rest <= 3 ? { answer: 'no', confidence: 1 - rest * 0.1, rest: restAt } : undefined;
  return undefined;
}

/** "niet goed", "not ok": a lone yes with a negation right beside it, and no other no. */
function yesDenied(
  found: readonly { answer: string; at: number; length: number }[],
  tokens: readonly Token[],
  used: ReadonlySet<number>,
  vocab: Vocabulary,
): boolean {
  const yeses = found.filter((f) => f.answer === 'yes');
  if (yeses.length !== 1 || found.some((f) => f.answer === 'no')) return false;
  const y = yeses[0];
  if (!y) return false;
  const isNegation = (i: number) =>
    !used.has(i) && [...(tokens[i]?.hits ?? [])].some((h) => vocab.negations.has(h));
  return isNegation(y.at - 1) || isNegation(y.at + y.length);
}
