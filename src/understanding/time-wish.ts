import { compoundParts, dayOfMonth, monthNumber, weekdayIn } from './times.js';
import type { Token } from './tokens.js';
import type { DayPart, SlotKind, Vocabulary } from './vocabulary.js';

/**
 * What a message asks of a time, read without a list of times: "heeft u iets op dinsdag?", "liever
 * 's avonds", "in januari", "op 22 december", "telefonisch graag". A step that shows free times
 * looks for times that fit it when none of those shown does.
 */
export interface TimeWish {
  /** ISO weekdays: 1 is Monday, 7 is Sunday. */
  weekdays?: number[];
  dayPart?: DayPart;
  /** The month, 1 to 12. */
  month?: number;
  /** A day of that month ("22 december"); only with `month`. */
  day?: number;
  kind?: SlotKind;
}

/**
 * The weekdays, part of the day, month (and its day) and kind of slot the words name; undefined when
 * they name none. A day a word only implies ("vanavond", "morgenochtend": today, tomorrow) is not
 * read: only a weekday written out names a day ("woensdagavond" is Wednesday evening).
 */
export function readTimeWish(vocab: Vocabulary, tokens: readonly Token[]): TimeWish | undefined {
  const weekdays = new Set<number>();
  let dayPart: DayPart | undefined;
  let kind: SlotKind | undefined;
  let date: { month: number; day?: number } | undefined;
  for (const [i, { text }] of tokens.entries()) {
    const weekday = weekdayIn(text);
    if (weekday !== undefined) weekdays.add(weekday);
    // "woensdagavond": a weekday with the part of the day after it.
    const compound = compoundParts(vocab, text).find((c) => weekdayIn(c.head) !== undefined);
    dayPart ??= vocab.dayParts.get(text) ?? compound?.part;
    kind ??= vocab.slotKinds.get(text);
    const before = tokens[i - 1]?.text ?? '';
    // A short month name ("mei", "mar") only after a day's number, as in a date.
    const month = text.length >= 4 || dayOfMonth(before) ? monthNumber(text) : undefined;
    if (month !== undefined && !date) date = dayOfMonth(before) ? { month, day: Number(before) } : { month };
  }
  const wish: TimeWish = {
    ...(weekdays.size ? { weekdays: [...weekdays].sort((a, b) => a - b) } : {}),
    ...(dayPart ? { dayPart } : {}),
    ...date,
    ...(kind ? { kind } : {}),
  };
  return Object.keys(wish).length ? wish : undefined;
}
