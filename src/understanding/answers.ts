import { findAt, isNegation, type Token } from './tokens.js';
import { SOCIAL, type Phrase, type Vocabulary } from './vocabulary.js';

export type Answer = 'yes' | 'no' | 'unsure';

/** A yes, no or "I don't know", and how sure the reading is. */
export interface AnswerReading {
  answer: Answer;
  confidence: number;
  /** Positions of the words that are neither the answer nor fillers ("nee, *andere tijd*"). */
  rest: number[];
  /** A yes made only of words that say it is right as it is ("klopt", "prima zo"): `Vocabulary.asIs`. */
  asIs?: true;
  /** A no that holds words saying it is not right as it is ("klopt niet", "nee, fout"): `Vocabulary.notAsIs`. */
  notAsIs?: true;
}

/** What a phrase found among the answers is: an answer, a hedge, or an intent's own words (`held`). */
type Kind = Answer | 'hedge' | 'held';

type Tagged = Phrase & { answer: Kind; rank: number };

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
      ...heldPhrases(vocab).map((p) => ({ ...p, answer: 'held' as const })),
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

/**
 * Phrases of an intent that hold a yes, no or negation word among words of their own ("i dont
 * understand", "right to be forgotten", "never mind", "no buttons": a negation counts also where it is
 * a filler, as English "no" is for "no. 2"): read longest first with the answers, their
 * words are that intent's, not an answer. An answer as long as such a phrase ("toch niet", "laat
 * maar") stays an answer. Greetings, thanks and apologies are not among them: their words are
 * passed over as `ignore` where that matters.
 */
function heldPhrases(vocab: Vocabulary): Phrase[] {
  const answerWords = new Set(
    [...vocab.answers.yes, ...vocab.answers.no, ...vocab.answers.unsure].flatMap((p) => p.words),
  );
  const holds = (p: Phrase) =>
    p.words.length > 1 &&
    p.words.some((w) => vocab.negations.has(w) || (!vocab.fillers.has(w) && answerWords.has(w))) &&
    !onlyAnswers(vocab, p.words);
  return [...vocab.intents]
    .filter(([intent]) => !SOCIAL.includes(intent))
    .flatMap(([, list]) => list.filter(holds));
}

/**
 * The words are answers of one kind one after another, and nothing else: "nee hoeft niet" is "nee"
 * and "hoeft niet", "nee laat maar" is "nee" and "laat maar". Such a phrase of an intent (withdraw)
 * says no wherever a no is asked for, so it is not held: held, it made "nee hoeft niet" to "Zullen
 * we uw wijk onthouden?" unclear where "hoeft niet" alone was a no. "ok laat maar" (a yes and a no)
 * stays held.
 */
function onlyAnswers(vocab: Vocabulary, words: readonly string[]): boolean {
  const kinds = new Set<Answer>();
  for (let i = 0; i < words.length;) {
    const fits = (['yes', 'no'] as const).flatMap((answer) =>
      vocab.answers[answer]
        .filter((p) => p.words.every((w, k) => words[i + k] === w))
        .map((p) => ({ answer, length: p.words.length })),
    );
    const longest = fits.sort((a, b) => b.length - a.length)[0];
    if (!longest) return false;
    kinds.add(longest.answer);
    i += longest.length;
  }
  return kinds.size === 1;
}

/**
 * How many tokens the phrase takes from token `i` on: its words one after another, passing over a
 * softener between them ("toch maar niet" is "toch niet"); undefined when it does not stand there.
 */
function lengthAt(tokens: readonly Token[], p: Phrase, i: number): number | undefined {
  if (findAt(tokens, p, i)) return p.words.length;
  let at = i;
  for (const [k, word] of p.words.entries()) {
    while (k > 0 && tokens[at]?.soft && !tokens[at]?.hits.has(word)) at++;
    if (!tokens[at]?.hits.has(word)) return undefined;
    at++;
  }
  return at - i;
}

/** The first phrase (longest first) that starts at token `i`, and how many tokens it takes. */
function phraseAt(
  vocab: Vocabulary,
  tokens: readonly Token[],
  i: number,
): { phrase: Tagged; length: number } | undefined {
  const byFirst = phrasesStartingWith(vocab);
  let found: { phrase: Tagged; length: number } | undefined;
  for (const hit of tokens[i]?.hits ?? []) {
    for (const p of byFirst.get(hit) ?? []) {
      // Each list is in rank order: the first that fits is the best this word can start.
      if (found && p.rank >= found.phrase.rank) break;
      // A softener is no hedge: "stop maar" is no "but".
      if (p.answer === 'hedge' && tokens[i]?.soft) continue;
      const length = lengthAt(tokens, p, i);
      if (length !== undefined) {
        found = { phrase: p, length };
        break;
      }
    }
  }
  return found;
}

/**
 * Reads a yes or a no in any common form ("klopt", "prima zo", "👍", "nee dank je", "klopt niet").
 * Only a clear answer counts: yes and no together, a "maar", or a yes with a "niet" beside it is
 * no yes; a yes buried in many other words is not trusted either, nor one that is part of a sentence
 * of the message's own ("hij doet het niet", "er gaat iets fout": `ownSentence`) or of an intent's
 * phrase ("i dont understand", "right to be forgotten": `heldPhrases`). Undefined when it is neither. `ignore`: positions that are no part of it (greetings, thanks); `social`: those that
 * are greetings or thanks (or an apology).
 */
export function readAnswer(
  vocab: Vocabulary,
  tokens: readonly Token[],
  ignore: ReadonlySet<number> = new Set(),
  social: ReadonlySet<number> = ignore,
): AnswerReading | undefined {
  const found: { answer: Kind; at: number; length: number; words: string }[] = [];
  const used = new Set<number>(ignore);
  const words = tokens.map((t) => plainReading(vocab, t));
  for (let i = 0; i < words.length; i++) {
    if (used.has(i)) continue;
    const at = phraseAt(vocab, words, i);
    if (!at) continue;
    found.push({ answer: at.phrase.answer, at: i, length: at.length, words: at.phrase.words.join(' ') });
    for (let k = 0; k < at.length; k++) used.add(i + k);
    i += at.length - 1;
  }
  const count = (a: Kind) => found.filter((f) => f.answer === a).length;
  const negation = (t: Token) => isNegation(vocab, t);
  const negations = words.filter((t, i) => !used.has(i) && negation(t));
  // Greetings and thanks never make a yes or no unclear, and are no words beside it.
  const restAt = words.flatMap((t, i) =>
    used.has(i) || social.has(i) || t.filler || negation(t) ? [] : [i],
  );
  const rest = restAt.length;
  if (count('unsure') > 0 && count('yes') === 0) return { answer: 'unsure', confidence: 0.9, rest: restAt };
  if (count('hedge') > 0 || count('unsure') > 0) return undefined;
  // "nee hoor, ga maar door": a no that tells to go on says both; it is asked again, never acted on.
  if (count('no') > 0 && goesOn(vocab, words, used)) return undefined;
  if (ownSentence({ words, phrases: found, used, negation }, social)) return undefined;
  const yes = count('yes');
  const no = count('no') + negations.length;
  if (yes > 0 && no > 0)
    return yesDenied(found, words, used, vocab) ? { answer: 'no', confidence: 0.8, rest: restAt } : undefined;
  if (yes > 0) {
    if (rest > 2) return undefined;
    const asIs = found.every((f) => f.answer !== 'yes' || vocab.asIs.has(f.words));
    return { answer: 'yes', confidence: 1 - rest * 0.15, rest: restAt, ...(asIs ? { asIs } : {}) };
  }
  if (count('no') > 0) {
    if (rest > 3) return undefined;
    // "klopt niet", also "nee, dat klopt niet": a no that says what was written down is wrong.
    const notAsIs = found.some((f) => f.answer === 'no' && vocab.notAsIs.has(f.words));
    return { answer: 'no', confidence: 1 - rest * 0.1, rest: restAt, ...(notAsIs ? { notAsIs } : {}) };
  }
  return undefined;
}

/** A go-on phrase ("ga door", "ga maar door", "carry on") stands among words no answer phrase took. */
function goesOn(vocab: Vocabulary, tokens: readonly Token[], used: ReadonlySet<number>): boolean {
  return tokens.some((_, i) => !used.has(i) && vocab.goOn.some((p) => lengthAt(tokens, p, i) !== undefined));
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
  const negationAt = (i: number) => !used.has(i) && isNegation(vocab, tokens[i]);
  return negationAt(y.at - 1) || negationAt(y.at + y.length);
}

/**
 * A word that is one letter from several vocabulary words ("doet": "doen", "dont", "does"; "wont":
 * "dont", "want") could be any of them, so for a yes or a no it counts only as what it is without a
 * guess: itself, a swapped pair, a consonant typed twice (`careful`). A typo that reaches one word
 * only ("klopy", "prma") is still that word.
 */
function plainReading(vocab: Vocabulary, token: Token): Token {
  const meant = [...token.hits].filter((h) => !vocab.fillers.has(h));
  return meant.length > 1 ? { ...token, hits: token.careful } : token;
}

/** What `readAnswer` found in a message: the words as read for an answer, and which a phrase explains. */
interface Found {
  words: readonly Token[];
  phrases: readonly { answer: Kind; at: number; length: number }[];
  /** Positions a phrase (or a greeting, thanks) explains. */
  used: ReadonlySet<number>;
  negation: (t: Token) => boolean;
}

/** The nearest word before (`step` -1) or after (+1) position `i` that is not a filler. */
function besideWord(tokens: readonly Token[], i: number, step: 1 | -1): number | undefined {
  for (let k = i + step; k >= 0 && k < tokens.length; k += step) if (!tokens[k]?.filler) return k;
  return undefined;
}

/**
 * The yes or no belongs to a sentence of the message's own, which tells something rather than
 * answers (unless a yes or no opens the message: "nee, ik kan vandaag niet"):
 *
 * - a "niet", "geen", "not" that no answer phrase holds stands beside a word that no phrase explains,
 *   and negates that word, not the question: "hij doet het niet", "het werkt niet", "it might not
 *   work". In "ik wil niet", "doe maar niet", "liever niet" it negates nothing else: a no.
 * - the first yes or no comes after such a word: "er gaat iets fout", "het ging fout".
 */
function ownSentence(f: Found, social: ReadonlySet<number>): boolean {
  const { words, used, negation } = f;
  const own = (k: number | undefined) =>
    k !== undefined && !used.has(k) && !social.has(k) && !words[k]?.filler && !negation(words[k] as Token);
  const first = words.findIndex((t, i) => !t.filler && !social.has(i));
  const answer = f.phrases.find((p) => p.answer === 'yes' || p.answer === 'no');
  // Read as it was typed, not as a typo: "might" (right) or "doet" opens no answer.
  if (answer?.at === first && (words[first]?.careful.size ?? 0) > 0) return false;
  const negates = words.some(
    (t, i) => !used.has(i) && negation(t) && (own(besideWord(words, i, -1)) || own(besideWord(words, i, 1))),
  );
  return negates || (answer !== undefined && words.slice(0, answer.at).some((_, i) => own(i)));
}
