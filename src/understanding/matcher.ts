import { readAnswer, type Answer, type AnswerReading } from './answers.js';
import { changeAsked } from './changes.js';
import { asks, consentsTo, readChoice, type ChosenBy, type OfferedChoice } from './choices.js';
import { contentPositions, scoreIntents, type IntentScore } from './intents.js';
import { withoutMarkup, writtenIn } from './language.js';
import { normalise } from './normalise.js';
import { readTimeWish, type TimeWish } from './time-wish.js';
import { tokensOf } from './tokens.js';
import { ESCAPES, SOCIAL, type Intent, type Vocabulary } from './vocabulary.js';

/** The intent a message points at. */
export interface IntentReading {
  intent: Intent;
  /** 0–1: how much of the message this intent explains, lowered when another intent is close. */
  confidence: number;
  /**
   * The message is only this intent (with fillers, greetings or thanks), or a request sentence of it
   * ("ik wil geen berichten meer ontvangen"): safe for a word that works everywhere.
   */
  whole: boolean;
  /** The language of the words that matched. */
  lang: string;
}

/** Everything a message could mean at once; the step decides which reading counts. */
export interface Understanding {
  choice?: { index: number; id: string; by: ChosenBy };
  /** The yes or no; `alone` when the message says nothing else (greetings, thanks and fillers aside). */
  answer?: { answer: Answer; confidence: number; alone: boolean; asIs?: true; notAsIs?: true };
  /** The clear intent, when one intent stands out. */
  intent?: IntentReading;
  /** The two or three likely intents, when no single one stands out ("Bedoelt u …?"). */
  candidates: Intent[];
  /**
   * The intent only its `vague` words point at, in a message about no time ("het lukt me niet om in
   * te loggen": other-time): no reading anywhere but at a step that reads that intent itself.
   */
  vague?: Intent;
  /** The message greets or thanks (besides whatever else it says). */
  social: Intent[];
  /** How many words carry meaning: not fillers, greetings or thanks ("wanneer wordt het gras gemaaid": 4). */
  meaningfulWords: number;
  /** The language the message is clearly written in (`writtenIn`); absent for a short or mixed one. */
  language?: string;
  /** The weekdays, part of the day, month or kind of slot it asks for ("liever op dinsdag", `readTimeWish`). */
  timeWish?: TimeWish;
  /** It asks to cancel an appointment, or to move one (`changeAsked`). */
  change?: 'cancel' | 'move';
}

/** A clear winner is this much ahead of the next intent. */
const MARGIN = 0.5;

/** Reads a message against the choices last offered: a choice, a yes/no, an intent, or nothing clear. */
export function understand(
  vocab: Vocabulary,
  text: string,
  choices: readonly OfferedChoice[] = [],
): Understanding {
  const normal = normalise(text);
  const tokens = tokensOf(vocab, normal);
  const scored = scoreIntents(vocab, tokens);
  const scores = scored.filter((s) => !s.vague);
  // The yes or no of the whole message, read once for both the choice and the answer. A greeting's
  // words are never a yes ("good morning": "good"); thanks may carry one ("top, bedankt").
  const social = socialPositions(scores);
  const content = contentPositions(tokens);
  const result: Understanding = {
    candidates: [],
    social: scores.filter((s) => SOCIAL.includes(s.intent)).map((s) => s.intent),
    meaningfulWords: content.filter((i) => !social.has(i)).length,
  };
  const greeting = socialPositions(scores, FRAMES);
  let whole: { reading: AnswerReading | undefined } | undefined;
  const wholeAnswer = () => (whole ??= { reading: readAnswer(vocab, tokens, greeting, social) }).reading;
  const coveredBy = (intent: string) => scores.find((s) => s.intent === intent)?.covered;
  const choice = choices.length
    ? readChoice(vocab, text, tokens, choices, normal, wholeAnswer, coveredBy)
    : undefined;
  const chosen = choice ? choices[choice.index] : undefined;
  if (choice && chosen) result.choice = { index: choice.index, id: chosen.id, by: choice.by };
  const answer = social.size ? readAnswer(vocab, tokens, social) : wholeAnswer();
  // A yes the acting choice would not take ("okay wait" at "Afspraak maken?") is no yes for the step either.
  const refused = answer?.answer === 'yes' && !consentsTo(choices, tokens, answer, coveredBy);
  if (answer && !refused && !(answer.answer === 'yes' && asks(text)))
    result.answer = {
      answer: answer.answer,
      confidence: answer.confidence,
      alone: answer.rest.length === 0,
      ...(answer.asIs ? { asIs: answer.asIs } : {}),
      ...(answer.notAsIs ? { notAsIs: answer.notAsIs } : {}),
    };
  const reading = intentOf(content, social, scores);
  if (reading.intent) result.intent = reading.intent;
  result.candidates = reading.candidates;
  const vague = scored.find((s) => s.vague);
  if (vague) result.vague = vague.intent;
  const timeWish = readTimeWish(vocab, tokens);
  if (timeWish) result.timeWish = timeWish;
  const change = changeAsked(vocab, tokens);
  if (change) result.change = change;
  // Markup and links carry words of code ("form", "button", "window"), not of the person's language.
  const plain = withoutMarkup(text);
  const language = writtenIn(vocab, plain === text ? tokens : tokensOf(vocab, normalise(plain)));
  if (language) result.language = language;
  return result;
}

/** Social intents whose words only frame a message and never answer it: all but thanks ("top, bedankt"). */
const FRAMES: readonly Intent[] = SOCIAL.filter((i) => i !== 'thanks');

/** Positions of greeting and thanks words (or of `intents`'), which never make a yes or a no unclear. */
function socialPositions(scores: readonly IntentScore[], intents: readonly Intent[] = SOCIAL): Set<number> {
  return new Set(scores.filter((s) => intents.includes(s.intent)).flatMap((s) => [...s.covered]));
}

function intentOf(
  content: readonly number[],
  socialAt: ReadonlySet<number>,
  scores: readonly IntentScore[],
): { intent?: IntentReading; candidates: Intent[] } {
  const [best] = scores;
  if (!best) return { candidates: [] };
  const second = scores.find((s) => s !== best && !SOCIAL.includes(s.intent));
  const social = SOCIAL.includes(best.intent);
  if (second && !social && best.score - second.score < MARGIN) {
    const close = scores.filter((s) => !SOCIAL.includes(s.intent) && best.score - s.score < MARGIN);
    return { candidates: close.slice(0, 3).map((s) => s.intent) };
  }
  // Greetings and thanks explain their words too.
  const unexplained = content.filter((i) => !best.covered.has(i) && !socialAt.has(i)).length;
  const share = content.length ? (content.length - unexplained) / content.length : 1;
  const lead = second ? Math.min(1, (best.score - second.score) / best.score + 0.5) : 1;
  return {
    intent: {
      intent: best.intent,
      confidence: Math.round(share * lead * 100) / 100,
      whole: unexplained === 0 || best.request,
      lang: best.lang,
    },
    candidates: [best.intent],
  };
}

/** What kind of answer a step waits for. */
export type StepKind =
  | { kind: 'open'; choices?: readonly OfferedChoice[] }
  | { kind: 'choice'; choices: readonly OfferedChoice[] }
  | { kind: 'confirm'; choices?: readonly OfferedChoice[] }
  | { kind: 'text' };

/** One reading of a message at a step, as the corpus labels it. */
export type Reading =
  | { kind: 'choice'; id: string; confidence: number }
  | { kind: Answer; confidence: number }
  | { kind: 'intent'; intent: Intent; confidence: number }
  | { kind: 'text'; confidence: number }
  | { kind: 'unclear'; candidates: Intent[]; confidence: number };

/**
 * The one reading that counts at a step, the step's own answers first: at a confirmation a choice
 * or a yes/no; at a choice a choice; then a word that works everywhere when the message is only
 * that; in the open (the menu, no flow) the intent that stands out; anything else is unclear.
 */
export function read(vocab: Vocabulary, text: string, step: StepKind): Reading {
  const choices = step.kind === 'text' ? [] : (step.choices ?? []);
  const u = understand(vocab, text, choices);
  // In the open, a clear intent says more than a word that happens to be in a menu label.
  const byWordsOnly = u.choice?.by === 'words' && step.kind === 'open' && u.intent;
  if (u.choice && !byWordsOnly) return { kind: 'choice', id: u.choice.id, confidence: 1 };
  if (step.kind === 'confirm' && u.answer && !(step.choices ?? []).length)
    return { kind: u.answer.answer, confidence: u.answer.confidence };
  if (step.kind === 'confirm' && u.answer?.answer === 'unsure') return { kind: 'unsure', confidence: 1 };
  const escape = u.intent && u.intent.whole && ESCAPES.includes(u.intent.intent) ? u.intent : undefined;
  if (escape) return { kind: 'intent', intent: escape.intent, confidence: escape.confidence };
  const social = u.intent && u.intent.whole && SOCIAL.includes(u.intent.intent) ? u.intent : undefined;
  if (social && step.kind !== 'text') return { kind: 'intent', intent: social.intent, confidence: 1 };
  if (step.kind === 'text') return { kind: 'text', confidence: 1 };
  if (step.kind === 'open' && u.intent)
    return { kind: 'intent', intent: u.intent.intent, confidence: u.intent.confidence };
  return { kind: 'unclear', candidates: u.candidates, confidence: 0 };
}
