import { compoundParts, dayOfMonth, digitOrdinal, monthNumber, weekdayIn } from './times.js';
import type { Token } from './tokens.js';
import type { DayPart, SlotKind, Vocabulary } from './vocabulary.js';

/** How a date or month is meant: on or in it (none), after it, from it on, or before it. */
export type DateBound = 'after' | 'from' | 'before';

/** The parts of a wish that name a time: what fits, or (as `not`) what does not. */
export interface TimeParts {
  /** ISO weekdays: 1 is Monday, 7 is Sunday. */
  weekdays?: number[];
  dayPart?: DayPart;
  /** The month, 1 to 12. */
  month?: number;
  /** A day of that month ("22 december"); only with `month`. */
  day?: number;
  /** "na 30 december", "vanaf januari", "voor 20 december": the month or day is a bound. */
  bound?: DateBound;
  kind?: SlotKind;
}

/**
 * What a message asks of a time, read without a list of times: "heeft u iets op dinsdag?", "liever
 * 's avonds", "in januari", "op 22 december", "telefonisch graag", "na 30 december", and what it
 * rules out: "niet in december", "9 december kan ik niet", "dinsdag gaat niet, wel donderdag". A
 * step that shows free times looks for times that fit it when none of those shown does.
 */
export interface TimeWish extends TimeParts {
  /** Times that fit this are left out. */
  not?: TimeParts;
  /** "kan het eerder?": earlier than the times shown. */
  earlier?: true;
}

/** Words that end one part of a sentence and start the next: "niet op dinsdag, maar donderdag". */
const TURNS = new Set(['maar', 'wel', 'liever', 'but', 'rather', 'instead']);
/** Words that rule out what their part of the sentence names: "niet", "geen", "can't". */
const NOTS = new Set(['niet', 'geen', 'not', 'cant', 'cannot', 'dont', 'doesnt', 'wont', 'never', 'nooit']);
/** A word just before a date or month that makes it a bound. */
const BOUNDS: ReadonlyMap<string, DateBound> = new Map([
  ['na', 'after'],
  ['after', 'after'],
  ['vanaf', 'from'],
  ['from', 'from'],
  ['voor', 'before'],
  ['before', 'before'],
  ['tot', 'before'],
  ['until', 'before'],
]);
/** Between a bound and its date: "na de 30e", "after the 30th". */
const ARTICLES = new Set(['de', 'het', 'the']);
/** "eerder", "earlier": before the times shown. */
const EARLIER = new Set(['eerder', 'eerdere', 'earlier', 'sooner']);

/**
 * The weekdays, part of the day, month (and its day) and kind of slot the words name, and what they
 * rule out; undefined when they name none. A day a word only implies ("vanavond", "morgenochtend":
 * today, tomorrow) is not read: only a weekday written out names a day ("woensdagavond" is Wednesday
 * evening). A part of the sentence with "niet" or "geen" rules out what it names; "maar", "wel" and
 * "liever" start a new part ("9 december kan ik niet, liever 10 december").
 */
export function readTimeWish(vocab: Vocabulary, tokens: readonly Token[]): TimeWish | undefined {
  const clauses: Token[][] = [[]];
  for (const t of tokens) {
    if (TURNS.has(t.text)) clauses.push([]);
    else clauses.at(-1)!.push(t);
  }
  let wanted: TimeParts | undefined;
  let not: TimeParts | undefined;
  for (const clause of clauses) {
    const parts = readParts(vocab, clause);
    if (!parts) continue;
    if (clause.some((t) => NOTS.has(t.text))) not ??= parts;
    else wanted ??= parts;
  }
  const earlier = tokens.some((t) => EARLIER.has(t.text));
  const wish: TimeWish = {
    ...wanted,
    ...(not ? { not } : {}),
    ...(earlier ? { earlier: true as const } : {}),
  };
  return Object.keys(wish).length ? wish : undefined;
}

/** The time parts one part of a sentence names; undefined when it names none. */
function readParts(vocab: Vocabulary, tokens: readonly Token[]): TimeParts | undefined {
  const weekdays = new Set<number>();
  let dayPart: DayPart | undefined;
  let kind: SlotKind | undefined;
  let date: { month: number; day?: number; bound?: DateBound } | undefined;
  for (const [i, { text }] of tokens.entries()) {
    const weekday = weekdayIn(text);
    if (weekday !== undefined) weekdays.add(weekday);
    // "woensdagavond": a weekday with the part of the day after it.
    const compound = compoundParts(vocab, text).find((c) => weekdayIn(c.head) !== undefined);
    dayPart ??= vocab.dayParts.get(text) ?? compound?.part;
    kind ??= vocab.slotKinds.get(text);
    const before = tokens[i - 1]?.text ?? '';
    // The day before the month: "9 december", "9e december", "the 9th of December".
    const dayAt = dayBefore(vocab, tokens, i);
    // A short month name ("mei", "mar") only after a day's number, as in a date.
    const month = text.length >= 4 || dayOfMonth(before) ? monthNumber(text) : undefined;
    if (month !== undefined && !date) {
      const day = dayAt?.day;
      // "na 30 december": the word before the date; "na december": before the month.
      const first = dayAt?.at ?? i;
      const skip = ARTICLES.has(tokens[first - 1]?.text ?? '') ? 1 : 0;
      const bound = BOUNDS.get(tokens[first - 1 - skip]?.text ?? '');
      date = { month, ...(day !== undefined ? { day } : {}), ...(bound ? { bound } : {}) };
    }
  }
  const parts: TimeParts = {
    ...(weekdays.size ? { weekdays: [...weekdays].sort((a, b) => a - b) } : {}),
    ...(dayPart ? { dayPart } : {}),
    ...date,
    ...(kind ? { kind } : {}),
  };
  return Object.keys(parts).length ? parts : undefined;
}

/** The day of the month just before the month at `i`, and where it is: "9", "9e", "9th of". */
function dayBefore(
  vocab: Vocabulary,
  tokens: readonly Token[],
  i: number,
): { day: number; at: number } | undefined {
  const numberAt = (k: number) => {
    const text = tokens[k]?.text ?? '';
    return dayOfMonth(text) ? Number(text) : digitOrdinal(vocab, text);
  };
  const day = numberAt(i - 1);
  if (day !== undefined) return { day, at: i - 1 };
  const ofDay = ['of', 'van'].includes(tokens[i - 1]?.text ?? '') ? numberAt(i - 2) : undefined;
  return ofDay === undefined ? undefined : { day: ofDay, at: i - 2 };
}
