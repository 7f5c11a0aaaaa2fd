import { aboutTime } from './times.js';
import { findAt, findInOrder, isNegation, type Token } from './tokens.js';
import { DESTRUCTIVE, REQUESTS, SOCIAL, type Intent, type Phrase, type Vocabulary } from './vocabulary.js';

/** How strongly a message points at one intent. */
export interface IntentScore {
  intent: Intent;
  score: number;
  /** Positions of the words this intent explains. */
  covered: Set<number>;
  lang: string;
  /** One of its request sentences is in the message (`requests` in the vocabulary): it asks for this as a whole. */
  request: boolean;
  /**
   * Only a `vague` phrase of this intent is typed ("het lukt me niet om in te loggen"), in a message
   * about no time: no reading of its own, only a step that reads this intent may take it.
   */
  vague?: true;
}

/** A vocabulary word weighs 1, a filler inside a phrase ("een", "the") half. */
function weight(vocab: Vocabulary, phraseWords: readonly string[]): number {
  return phraseWords.reduce((sum, w) => sum + (vocab.fillers.has(w) ? 0.5 : 1), 0);
}

/**
 * A phrase of an intent, and its place in that intent's list (request sentences, then vague
 * phrases, after its phrases).
 */
interface Listed {
  intent: Intent;
  order: number;
  phrase: Phrase;
  request: boolean;
  vague: boolean;
}

/** A phrase found typed, whether it is a request sentence, and whether it is vague. */
interface Candidate {
  phrase: Phrase;
  request: boolean;
  vague: boolean;
}

const phrasesByFirstWord = new WeakMap<Vocabulary, Map<string, Listed[]>>();

/** Every intent phrase and request sentence by its first word, made once per vocabulary. */
function byFirstWord(vocab: Vocabulary): Map<string, Listed[]> {
  const made = phrasesByFirstWord.get(vocab);
  if (made) return made;
  const index = new Map<string, Listed[]>();
  const add = (intent: Intent, order: number, phrase: Phrase, kind: Pick<Listed, 'request' | 'vague'>) => {
    const first = phrase.words[0] ?? '';
    index.set(first, [...(index.get(first) ?? []), { intent, order, phrase, ...kind }]);
  };
  const plain = { request: false, vague: false };
  for (const [intent, list] of vocab.intents) list.forEach((p, order) => add(intent, order, p, plain));
  for (const [intent, list] of vocab.requests) {
    const after = vocab.intents.get(intent)?.length ?? 0;
    list.forEach((p, order) => add(intent, after + order, p, { request: true, vague: false }));
  }
  for (const [intent, list] of vocab.vague) {
    const after = (vocab.intents.get(intent)?.length ?? 0) + (vocab.requests.get(intent)?.length ?? 0);
    list.forEach((p, order) => add(intent, after + order, p, { request: false, vague: true }));
  }
  phrasesByFirstWord.set(vocab, index);
  return index;
}

/**
 * The phrases of each intent that have every word in the message, in the intent's own order. Most
 * phrases have a word the message lacks: only those that start with a typed word are looked at.
 */
function phrasesTyped(vocab: Vocabulary, typed: ReadonlySet<string>): Map<Intent, Candidate[]> {
  const index = byFirstWord(vocab);
  const found = new Map<Intent, Listed[]>();
  for (const word of typed)
    for (const listed of index.get(word) ?? [])
      if (listed.phrase.words.every((w) => typed.has(w))) {
        const list = found.get(listed.intent);
        if (list) list.push(listed);
        else found.set(listed.intent, [listed]);
      }
  return new Map(
    [...found].map(([intent, list]) => [
      intent,
      list
        .sort((a, b) => a.order - b.order)
        .map(({ phrase, request, vague }) => ({ phrase, request, vague })),
    ]),
  );
}

/**
 * Where a request sentence's words stand right after one another ("laat me met rust", "wil geen
 * berichten meer"); undefined when they do not. Nothing may come between: "ik wil weten waarom ik
 * geen berichten meer krijg" has the words of "wil geen berichten meer", but asks another thing.
 */
function findRequest(tokens: readonly Token[], phrase: Phrase, careful: boolean): number[] | undefined {
  for (let start = 0; start + phrase.words.length <= tokens.length; start++)
    if (findAt(tokens, phrase, start, careful)) return phrase.words.map((_, k) => start + k);
  return undefined;
}

/**
 * Scores one intent: its most specific phrase, plus a little for each further word it explains. A
 * request sentence weighs as any phrase of its words, so a more specific phrase of another intent
 * still wins ("ik wil geen berichten meer over mijn wijk" is updates off, not stop).
 */
function scoreIntent(
  vocab: Vocabulary,
  tokens: readonly Token[],
  intent: Intent,
  phrases: readonly Candidate[],
): IntentScore | undefined {
  let best: { score: number; lang: string; at: number[] } | undefined;
  let requested = false;
  const covered = new Set<number>();
  // A phrase that takes something away reads every word of it by the narrowest typos (`typosFor`),
  // also a word it shares with a harmless intent: "vergeef mij" is not "vergeet mij".
  const careful = DESTRUCTIVE.includes(intent);
  for (const { phrase, request } of phrases) {
    const at = request ? findRequest(tokens, phrase, careful) : findInOrder(tokens, phrase, 0, careful);
    if (!at) continue;
    // A phrase made only of fillers ("in het") says nothing on its own; "geen afspraak", "niet
    // stoppen" say the opposite.
    if (at.every((i) => tokens[i]?.filler) || negated(vocab, tokens, at[0] ?? 0)) continue;
    at.forEach((i) => covered.add(i));
    requested ||= request;
    const score = weight(vocab, phrase.words) - spread(at) * 0.1;
    if (!best || score > best.score) best = { score, lang: phrase.lang, at };
  }
  if (!best) return undefined;
  const bestAt = new Set(best.at);
  const extra = [...covered].filter((i) => !bestAt.has(i) && !tokens[i]?.filler).length;
  return { intent, score: best.score + extra * 0.25, covered, lang: best.lang, request: requested };
}

/**
 * A `REQUESTS` intent (stop) counts only from a request sentence or as the whole message (its words
 * with fillers, greetings and thanks): "stop", "ik wil geen berichten meer", "laat me met rust". Its
 * words inside another sentence are not it ("ik heb geen berichten meer gekregen over mijn vraag",
 * "hou op de hoogte"), so that sentence is read as what else it says, or not understood.
 */
function requestOnly(tokens: readonly Token[], scored: readonly IntentScore[]): IntentScore[] {
  const social = new Set(scored.filter((s) => SOCIAL.includes(s.intent)).flatMap((s) => [...s.covered]));
  const content = contentPositions(tokens).filter((i) => !social.has(i));
  return scored.filter(
    (s) => !REQUESTS.includes(s.intent) || s.request || content.every((i) => s.covered.has(i)),
  );
}

/** The word before a phrase is a negation ("geen", "niet", "not", "no"). */
function negated(vocab: Vocabulary, tokens: readonly Token[], first: number): boolean {
  return isNegation(vocab, tokens[first - 1]);
}

/** Words between a phrase's words: a phrase spread over a long sentence counts a little less. */
function spread(at: readonly number[]): number {
  const first = at[0] ?? 0;
  const last = at[at.length - 1] ?? 0;
  return last - first + 1 - at.length;
}

/**
 * Every intent the message points at, strongest first; social intents only when nothing else. An
 * intent only a `vague` phrase points at, in a message about no time, comes last, marked `vague`.
 */
export function scoreIntents(vocab: Vocabulary, tokens: readonly Token[]): IntentScore[] {
  const typed = new Set(tokens.flatMap((t) => [...t.hits]));
  const candidates = phrasesTyped(vocab, typed);
  let timely: boolean | undefined;
  const about = () => (timely ??= aboutTime(vocab, tokens));
  // In the vocabulary's order of intents (the sort keeps it among equal scores); an intent without a
  // phrase typed scores nothing.
  const scored: IntentScore[] = [];
  const vague: IntentScore[] = [];
  for (const intent of vocab.intents.keys()) {
    const all = candidates.get(intent);
    const loose = all?.some((c) => c.vague) === true && !about();
    const phrases = loose ? all?.filter((c) => !c.vague) : all;
    const score = phrases?.length ? scoreIntent(vocab, tokens, intent, phrases) : undefined;
    const onlyVague = !score && loose && all ? scoreIntent(vocab, tokens, intent, all) : undefined;
    if (score) scored.push(score);
    else if (onlyVague) vague.push({ ...onlyVague, vague: true });
  }
  scored.sort((a, b) => b.score - a.score);
  const kept = reasonGivesWay(vocab, tokens, requestOnly(tokens, scored));
  const real = kept.filter((s) => !SOCIAL.includes(s.intent));
  const ordered = real.length ? [...real, ...kept.filter((s) => SOCIAL.includes(s.intent))] : kept;
  return [...ordered, ...vague];
}

/**
 * A cancel says what to do; "ik kan niet komen" beside it says why: "Ik kan niet komen, afspraak
 * afzeggen" is the appointments (to cancel one), not a wish for another time. Where the appointments'
 * words hold a cancel (`cancels` in the vocabulary), another time gives way; "ik kan niet komen"
 * alone, or with "mijn afspraak" and no cancel, still asks for another time.
 */
function reasonGivesWay(vocab: Vocabulary, tokens: readonly Token[], scored: IntentScore[]): IntentScore[] {
  const appointments = scored.find((s) => s.intent === 'my-appointments');
  if (!appointments || !scored.some((s) => s.intent === 'other-time')) return scored;
  const cancel = vocab.cancels.some((p) => findInOrder(tokens, p)?.every((i) => appointments.covered.has(i)));
  return cancel ? scored.filter((s) => s.intent !== 'other-time') : scored;
}

/** Positions of the words that carry meaning (not fillers). */
export function contentPositions(tokens: readonly Token[]): number[] {
  return tokens.flatMap((t, i) => (t.filler ? [] : [i]));
}
