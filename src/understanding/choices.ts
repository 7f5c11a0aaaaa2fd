import { readAnswer, type AnswerReading } from './answers.js';
import { inLabel, labelOf, labelWord, typedWord } from './labels.js';
import { normalise } from './normalise.js';
import { chosenByDay, chosenByTime, namesOnlyMonth } from './times.js';
import { findAt, isNegation, tokensOf, type Token } from './tokens.js';
import { ESCAPES, SOCIAL, type Vocabulary } from './vocabulary.js';

/** A choice as the matcher sees it: its label, and what it means on a yes/no question. */
export interface OfferedChoice {
  id: string;
  label: string;
  /** The choice is the yes (or the no) of the question it answers. */
  means?: 'yes' | 'no';
  /** Choosing it books, cancels, sends or stops: only a pressed button, its label, number or a clear yes picks it. */
  acts?: boolean;
  /** The intent this acting yes confirms: its words beside the yes are consent ("ja, boek maar"). */
  confirms?: string;
}

/** Positions of the words each intent explains in the message (from `scoreIntents`). */
export type CoveredBy = (intent: string) => ReadonlySet<number> | undefined;

/** How a choice was recognised. */
export type ChosenBy = 'label' | 'number' | 'ordinal' | 'time' | 'answer' | 'words';

export interface ChoiceReading {
  index: number;
  by: ChosenBy;
}

/** A message that ends in a question mark asks something; its "ja?" is no yes to act on. */
export function asks(text: string): boolean {
  return /\?\s*$/.test(text);
}

function plainLabel(label: string): string {
  return labelOf(label).plain;
}

/** The words that say which choice, without fillers and words like "nummer". */
function meaningful(vocab: Vocabulary, tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => !t.filler && !vocab.numberWords.has(t.text) && t.text !== '#');
}

/**
 * Reads which choice was meant: its label, a number ("2", "nummer 2"), an ordinal ("de eerste"),
 * a time ("13:00", "4 uur") when only one choice has it, yes or no where the choices are a yes/no
 * pair, or words that only one choice's label has ("Anna", "andere wethouder").
 */
export function readChoice(
  vocab: Vocabulary,
  text: string,
  tokens: readonly Token[],
  choices: readonly OfferedChoice[],
  typed = normalise(text),
  answerOf: () => AnswerReading | undefined = () => readAnswer(vocab, tokens),
  coveredBy: CoveredBy = () => undefined,
): ChoiceReading | undefined {
  const exact = choices.findIndex((c) => plainLabel(c.label) === typed);
  if (exact >= 0) return { index: exact, by: 'label' };
  // A greeting's words are no time: "goedemiddag", "good morning".
  const social = new Set(SOCIAL.flatMap((i) => [...(coveredBy(i) ?? [])]));
  const timed = chosenByTime(vocab, tokens, choices, social);
  if (timed) return timed.index === undefined ? undefined : { index: timed.index, by: 'time' };
  const rest = meaningful(vocab, tokens);
  const only = rest.length === 1 ? rest[0] : undefined;
  if (only && /^\d{1,2}$/.test(only.text)) {
    const n = Number(only.text);
    return n >= 1 && n <= choices.length ? { index: n - 1, by: 'number' } : undefined;
  }
  const ordinal = rest.map((t) => t.text).join(' ');
  // "de 5e" where a time on the 5th is shown is that date (see `chosenByDay`).
  const dated = chosenByDay(vocab, ordinal, choices);
  if (dated) return dated.index === undefined ? undefined : { index: dated.index, by: 'time' };
  const place = vocab.ordinals.get(ordinal);
  if (place !== undefined && choices.length > 0) {
    const index = place === 0 ? lastOfKind(choices) : place - 1;
    return index < choices.length ? { index, by: 'ordinal' } : undefined;
  }
  const confirmed = confirmedInWords(vocab, tokens, choices, coveredBy);
  if (confirmed !== undefined) return { index: confirmed, by: 'answer' };
  const subject = subjectOf(choices, coveredBy);
  const answer = answerOf();
  if (answer && answer.answer !== 'unsure') {
    const index = answerIndex(vocab, choices, answer.answer);
    // "nee, andere tijd", "een andere tijd graag": the other words name another choice, which wins.
    // The words of what the question is about ("nee, een andere afspraak") name no choice.
    const own = answer.rest.filter((i) => !subject.has(i));
    const named = own.length
      ? byWords(
          vocab,
          own.flatMap((i) => tokens[i] ?? []),
          choices,
        )
      : undefined;
    // Only a choice that is neither the yes nor the no: in "nee, niet onthouden" the no covers it.
    const neutral = named && !choices[named.index]?.acts && !choices[named.index]?.means;
    if (named && neutral && named.index !== index) return named;
    const consented = answer.answer !== 'yes' || consentsTo(choices, tokens, answer, coveredBy);
    if (index >= 0 && consented && !(asks(text) && answer.answer === 'yes')) return { index, by: 'answer' };
  }
  if (namesOnlyMonth(tokens, choices)) return undefined;
  return (
    byWords(vocab, rest, choices) ??
    besideTheAnswer(vocab, tokens, choices, subject) ??
    escapeNamed(vocab, tokens, choices, coveredBy, social) ??
    namedInSentence(vocab, tokens, choices)
  );
}

/**
 * One of a list (districts, aldermen, topics, times: `kindOf`) named in a sentence of the
 * resident's own: "ik woon in het stationskwartier", "I live in Havenkwartier", "mijn vraag gaat
 * over afval". Every word that names a label names the same one, one of them of 4 letters or more;
 * no "niet", doubt, yes or no in it (the other readings take those). Not an action beside the list
 * ("Andere postcode", "Andere tijd kiezen"): a word of those ("postcode", "kiezen") is in many sentences.
 */
function namedInSentence(
  vocab: Vocabulary,
  tokens: readonly Token[],
  choices: readonly OfferedChoice[],
): ChoiceReading | undefined {
  const hedged = (i: number) => !tokens[i]?.soft && vocab.hedges.some((p) => findAt(tokens, p, i));
  if (tokens.some((t, i) => isNegation(vocab, t) || hedged(i))) return undefined;
  const answerWords = answerWordsOf(vocab);
  const labels = choices.map((c) => labelOf(c.label));
  let found: number | undefined;
  let named = false;
  for (const t of meaningful(vocab, tokens)) {
    if ([...t.hits].some((h) => answerWords.has(h))) return undefined;
    const typed = typedWord(t);
    const names = labels.flatMap((l, i) => (inLabel(typed, l) ? [i] : []));
    if (names.length === 0) continue;
    if (names.length > 1 || (found !== undefined && found !== names[0])) return undefined;
    found = names[0];
    named ||= t.text.length >= 4;
  }
  const choice = found === undefined ? undefined : choices[found];
  const listed = choice !== undefined && choices.filter((c) => kindOf(c) === kindOf(choice)).length > 1;
  return found !== undefined && named && listed && kindOf(choice) && !choice.acts && !choice.means
    ? { index: found, by: 'words' }
    : undefined;
}

/** What a choice is one of ("district", "slot", "alderman": its id before the colon); undefined for an action ("again"). */
function kindOf(c: OfferedChoice | undefined): string | undefined {
  return c?.id.includes(':') ? c.id.split(':')[0] : undefined;
}

/**
 * A word that works everywhere, said with a word of one choice here: "opnieuw beginnen" (start) at
 * "Nee, opnieuw schrijven" writes the question again, rather than leaving it for the menu. Only
 * when the message is nothing but that intent's words, and only a choice that neither acts nor
 * answers, the one label that shares a word with them.
 */
function escapeNamed(
  vocab: Vocabulary,
  tokens: readonly Token[],
  choices: readonly OfferedChoice[],
  coveredBy: CoveredBy,
  social: ReadonlySet<number>,
): ChoiceReading | undefined {
  const content = tokens.flatMap((t, i) => (t.filler || social.has(i) ? [] : [i]));
  for (const intent of ESCAPES) {
    const covered = coveredBy(intent);
    if (!covered?.size || !content.every((i) => covered.has(i))) continue;
    // Its words, fillers too where they mean a label's word: "over" of "start over" is "again".
    const own = [...covered].flatMap((i) => {
      const t = tokens[i];
      const hits = t && withAlike(vocab, t);
      return t && hits && (!t.filler || hits !== t.hits) ? [typedWord({ text: t.text, hits })] : [];
    });
    return unique(
      choices.map((c) => !c.acts && !c.means && own.some((t) => inLabel(t, labelOf(c.label)))),
      'words',
    );
  }
  return undefined;
}

/**
 * The choice that is the yes (or the no): marked so (`means`, or the id), or else, where no choice
 * is marked, one whose label is itself only a yes or a no (a poll's "Ja" and "Nee").
 */
function answerIndex(vocab: Vocabulary, choices: readonly OfferedChoice[], answer: 'yes' | 'no'): number {
  const marked = choices.findIndex((c) => (c.means ?? c.id) === answer);
  if (marked >= 0 || choices.some((c) => c.means !== undefined)) return marked;
  const plain = choices.map((c) => plainAnswer(vocab, c.label));
  // Two labels that are both the yes (or the no) name no one choice.
  return plain.indexOf(answer) === plain.lastIndexOf(answer) ? plain.indexOf(answer) : -1;
}

/** Per vocabulary, what each label read before says: only a yes, only a no, or something else. */
const plainAnswers = new WeakMap<Vocabulary, Map<string, 'yes' | 'no' | null>>();

function plainAnswer(vocab: Vocabulary, label: string): 'yes' | 'no' | null {
  let known = plainAnswers.get(vocab);
  if (!known) plainAnswers.set(vocab, (known = new Map<string, 'yes' | 'no' | null>()));
  let answer = known.get(label);
  if (answer === undefined) {
    const reading = readAnswer(vocab, tokensOf(vocab, normalise(label)));
    answer = reading && reading.rest.length === 0 && reading.answer !== 'unsure' ? reading.answer : null;
    // Labels are the offered choices' (data and texts), a bounded set; a poll's options among them.
    if (known.size < 10_000) known.set(label, answer);
  }
  return answer;
}

/** Positions of the words of the intent an acting choice confirms: what the question is about ("afspraak", "boek"). */
function subjectOf(choices: readonly OfferedChoice[], coveredBy: CoveredBy): ReadonlySet<number> {
  const intent = choices.find((c) => c.acts && c.confirms !== undefined)?.confirms;
  return (intent === undefined ? undefined : coveredBy(intent)) ?? new Set();
}

/**
 * A choice that neither acts nor answers ("Andere tijd kiezen"), named among a yes and the words of
 * what the question is about: "ja, boek maar een andere tijd" at a booking's "Klopt dit?" asks for
 * another time, as a person at a desk would hear it; it neither books nor starts the booking again.
 * Not with a "niet" or "no" in it, which could deny the choice, nor with a doubt ("ja maar …").
 */
function besideTheAnswer(
  vocab: Vocabulary,
  tokens: readonly Token[],
  choices: readonly OfferedChoice[],
  subject: ReadonlySet<number>,
): ChoiceReading | undefined {
  const hedged = (i: number) => !tokens[i]?.soft && vocab.hedges.some((p) => findAt(tokens, p, i));
  if (tokens.some((t, i) => isNegation(vocab, t) || hedged(i))) return undefined;
  const answerWords = answerWordsOf(vocab);
  const own = meaningful(vocab, tokens).filter(
    (t) => !subject.has(tokens.indexOf(t)) && ![...t.hits].some((h) => answerWords.has(h)),
  );
  const named = byWords(vocab, own, choices);
  const choice = named ? choices[named.index] : undefined;
  return choice && !choice.acts && !choice.means ? named : undefined;
}

/**
 * The acting choice whose intent the message names, and nothing else: "boek maar", "ja, boek maar",
 * "maak de afspraak maar" at a booking's "Klopt dit?" (its `confirms`). Besides that intent's words
 * only a yes, fillers, greetings, thanks and a softener after those words may be there; a doubt or
 * any word of its own ("boek maar een andere tijd") is not this, and a "niet" beside them ("boek
 * maar niet") is the question's no.
 */
function confirmedInWords(
  vocab: Vocabulary,
  tokens: readonly Token[],
  choices: readonly OfferedChoice[],
  coveredBy: CoveredBy,
): number | undefined {
  const index = choices.findIndex((c) => c.acts && c.confirms !== undefined);
  const intent = choices[index]?.confirms;
  const named = intent === undefined ? undefined : coveredBy(intent);
  if (!named?.size) return undefined;
  const first = Math.min(...named);
  const social = new Set(SOCIAL.flatMap((i) => [...(coveredBy(i) ?? [])]));
  const softeners = tokens.flatMap((t, i) => (i > first && vocab.softeners.has(t.text) ? [i] : []));
  const ignore = new Set([...named, ...social, ...softeners]);
  const negation = (i: number) => isNegation(vocab, tokens[i]);
  const left = tokens.flatMap((t, i) => (ignore.has(i) || t.filler ? [] : [i]));
  // "boek maar niet", "niet boeken": the no of the question, when that is all it says.
  if (tokens.some((_, i) => !ignore.has(i) && negation(i))) {
    const no = choices.findIndex((c) => c.means === 'no');
    return no >= 0 && left.every(negation) ? no : undefined;
  }
  // The intent's words alone ("afspraak", "boeken") may mean "start again": only an order ("boek
  // maar", "book it please") or a yes beside them ("ja, boeken") is consent.
  if (left.length === 0) return softeners.length > 0 ? index : undefined;
  const answer = readAnswer(vocab, tokens, ignore, social);
  return answer?.answer === 'yes' && answer.rest.length === 0 ? index : undefined;
}

/**
 * A yes takes a choice that books, cancels, sends or stops only when every other word it came with
 * is a word of that choice's label ("ja, afzeggen", "yes, cancel it"; greetings, thanks and fillers
 * aside). A yes among words of their own is no consent to act on: "okay wait", "good question", "I'm
 * good", "goed bezig" are asked again. Words of the intent the choice confirms count as its label's
 * ("ja, boek maar", "yes, book it" at a booking's "Klopt dit?"). True when no offered choice acts on a yes.
 */
export function consentsTo(
  choices: readonly OfferedChoice[],
  tokens: readonly Token[],
  answer: AnswerReading,
  coveredBy: CoveredBy = () => undefined,
): boolean {
  const acting = choices.find((c) => c.acts && (c.means ?? c.id) === 'yes');
  if (!acting) return true;
  const label = labelOf(acting.label);
  const confirmed = acting.confirms === undefined ? undefined : coveredBy(acting.confirms);
  return answer.rest.every((i) => {
    if (confirmed?.has(i)) return true;
    const t = tokens[i];
    return t !== undefined && inLabel(typedWord(t), label);
  });
}

/**
 * "de laatste": the last choice of the kind the list is made of ("slot:…", "district:…": the ids
 * before their colon), not a way out listed after them ("Stoppen", "Andere postcode"). A list
 * without such a kind (the menu) ends with its last choice.
 */
function lastOfKind(choices: readonly OfferedChoice[]): number {
  const first = kindOf(choices[0]);
  const same = choices.flatMap((c, i) => (first !== undefined && kindOf(c) === first ? [i] : []));
  return same.length > 1 ? (same[same.length - 1] ?? 0) : choices.length - 1;
}

const answerWordSets = new WeakMap<Vocabulary, Set<string>>();

/** Every word of a yes or no phrase, made once per vocabulary. */
function answerWordsOf(vocab: Vocabulary): Set<string> {
  let set = answerWordSets.get(vocab);
  if (!set) {
    set = new Set([...vocab.answers.yes, ...vocab.answers.no].flatMap((p) => p.words));
    answerWordSets.set(vocab, set);
  }
  return set;
}

/**
 * The one choice whose label has every meaningful word typed ("Anna", "andere wethouder"). A
 * choice that acts must also be typed in full, less its yes ("versturen" for "Ja, versturen").
 */
function byWords(
  vocab: Vocabulary,
  rest: readonly Token[],
  choices: readonly OfferedChoice[],
): ChoiceReading | undefined {
  if (rest.length === 0) return undefined;
  // A word that means the same as a label's word is that word: "different" for "another".
  const typed = rest.map((t) => typedWord({ text: t.text, hits: withAlike(vocab, t) }));
  const fits = choices.map((c) => {
    const label = labelOf(c.label);
    if (!typed.every((t) => inLabel(t, label))) return false;
    if (!c.acts) return true;
    const answerWords = answerWordsOf(vocab);
    const needed = label.words.filter((w) => !vocab.fillers.has(w) && !answerWords.has(w));
    return needed.length > 0 && needed.every((w) => typed.some((t) => labelWord(t, w)));
  });
  // "mooi hoor" fits "Mooi" and "Niet mooi": the label that says nothing more than was typed wins.
  const whole = fits.map(
    (fit, i) =>
      fit &&
      labelOf(choices[i]?.label ?? '')
        .words.filter((w) => !vocab.fillers.has(w))
        .every((w) => typed.some((t) => labelWord(t, w))),
  );
  return unique(fits, 'words') ?? unique(whole, 'words');
}

/** A token's vocabulary words and the words that mean the same (`alike`). */
function withAlike(vocab: Vocabulary, t: Token): ReadonlySet<string> {
  const alike = [t.text, ...t.hits].flatMap((w) => [...(vocab.alike.get(w) ?? [])]);
  return alike.length ? new Set([...t.hits, ...alike]) : t.hits;
}

function unique(fits: readonly boolean[], by: ChosenBy): ChoiceReading | undefined {
  const hits = fits.flatMap((fit, i) => (fit ? [i] : []));
  return hits.length === 1 && hits[0] !== undefined ? { index: hits[0], by } : undefined;
}
