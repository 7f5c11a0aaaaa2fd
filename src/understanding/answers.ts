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

type Tagged = Phrase & { answer: Answer | 'hedge' };

const sortedPhrases = new WeakMap<Vocabulary, Tagged[]>();

/** All answer and hedge phrases, longest first, so "klopt niet" is read before "klopt". */
function phrasesOf(vocab: Vocabulary): Tagged[] {
  let list = sortedPhrases.get(vocab);
  if (!list) {
    const { yes, no, unsure } = vocab.answers;
    list = [
      ...unsure.map((p) => ({ ...p, answer: 'unsure' as const })),
      ...no.map((p) => ({ ...p, answer: 'no' as const })),
      ...yes.map((p) => ({ ...p, answer: 'yes' as const })),
      ...vocab.hedges.map((p) => ({ ...p, answer: 'hedge' as const })),
    ].sort((a, b) => b.words.length - a.words.length);
    sortedPhrases.set(vocab, list);
  }
  return list;
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
    const phrase = phrasesOf(vocab).find(
      (p) => tokens[i]?.hits.has(p.words[0] ?? '') && findAt(tokens, p, i),
    );
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
