import { inLabel, labelOf, labelWord, typedWord, type Label, type Typed } from './labels.js';
import { normalise } from './normalise.js';
import type { Token } from './tokens.js';
import { DAY_PART_HOURS as HOURS, type DayPart } from '../shared/day-parts.js';
import type { Vocabulary } from './vocabulary.js';

/** A time typed: "13:00", "4 uur" (04:00 or 16:00), "7:30 pm" (19:30 only). */
interface TimeOfDay {
  hour: number;
  minute?: number;
  meridiem?: 'am' | 'pm';
}

/** "pm", "am", or "p m" and "a m" (from "p.m."), right at token `j`. */
function meridiemAt(
  tokens: readonly Token[],
  j: number,
): { meridiem: 'am' | 'pm'; length: number } | undefined {
  const t = tokens[j]?.text;
  if (t === 'am' || t === 'pm') return { meridiem: t, length: 1 };
  if ((t === 'a' || t === 'p') && tokens[j + 1]?.text === 'm')
    return { meridiem: t === 'a' ? 'am' : 'pm', length: 2 };
  return undefined;
}

/** `{ meridiem }` for "am" or "pm", else nothing. */
function merid(m: string | undefined): { meridiem?: 'am' | 'pm' } {
  return m === 'am' || m === 'pm' ? { meridiem: m } : {};
}

const span = (from: number, length: number) => Array.from({ length }, (_, k) => from + k);

/** Times typed as "13:00", "13.00", "om 4 uur", "16u", "half 2", "7:30 pm", "10am", "3 p.m.", and where. */
function typedTime(
  vocab: Vocabulary,
  tokens: readonly Token[],
): { time: TimeOfDay; at: number[] } | undefined {
  for (const [i, t] of tokens.entries()) {
    const clock = /^(\d{1,2}):(\d{2})(am|pm)?$/.exec(t.text);
    const suffixed = /^(\d{1,2})(u|h|uur|am|pm)$/.exec(t.text);
    const plain = /^\d{1,2}$/.test(t.text);
    const after = meridiemAt(tokens, i + 1);
    const next = tokens[i + 1]?.text ?? '';
    if (clock) {
      const m = clock[3] ?? after?.meridiem;
      const time = { hour: Number(clock[1]), minute: Number(clock[2]), ...merid(m) };
      return { time, at: span(i, 1 + (clock[3] ? 0 : (after?.length ?? 0))) };
    }
    if (suffixed) return { time: { hour: Number(suffixed[1]), minute: 0, ...merid(suffixed[2]) }, at: [i] };
    if (plain && vocab.hourWords.has(next))
      return { time: { hour: Number(t.text), minute: 0 }, at: [i, i + 1] };
    if (plain && after)
      return {
        time: { hour: Number(t.text), minute: 0, ...merid(after.meridiem) },
        at: span(i, 1 + after.length),
      };
    if (vocab.halfWords.has(t.text) && /^\d{1,2}$/.test(next))
      return { time: { hour: Number(next) - 1, minute: 30 }, at: [i, i + 1] };
  }
  return undefined;
}

const timesOfLabel = new WeakMap<Label, { hour: number; minute: number }[]>();

/** Times written in a label ("vr 4 dec 09:50"); labels are kept (`labelOf`), and so are their times. */
function labelTimes(label: Label): { hour: number; minute: number }[] {
  let times = timesOfLabel.get(label);
  if (!times) {
    times = [...label.plain.matchAll(/\b(\d{1,2}):(\d{2})\b/g)].map((m) => ({
      hour: Number(m[1]),
      minute: Number(m[2]),
    }));
    timesOfLabel.set(label, times);
  }
  return times;
}

/** "4 uur" is 04:00 or 16:00; "4 pm" only 16:00; a time without minutes means on the hour. */
function sameTime(typed: TimeOfDay, shown: { hour: number; minute: number }): boolean {
  if ((typed.minute ?? 0) !== shown.minute) return false;
  if (typed.meridiem && typed.hour >= 1 && typed.hour <= 12)
    return shown.hour === (typed.hour % 12) + (typed.meridiem === 'pm' ? 12 : 0);
  return typed.hour === shown.hour || typed.hour + 12 === shown.hour;
}

/**
 * A part of the day typed ("avond", "'s middags", "in the afternoon"), or ending a word with a day
 * a label names ("woensdagavond", "dinsdagochtend": then that day too). Not as a greeting's word
 * (`ignore`: "good morning", "morning!"), and not after a word that names no label ("vanavond",
 * "morgenochtend": today, tomorrow, which a list of dates does not say).
 */
function typedPart(
  vocab: Vocabulary,
  tokens: readonly Token[],
  labels: readonly Label[],
  ignore: ReadonlySet<number>,
): { part: DayPart; at: number; day?: Typed } | undefined {
  for (const [i, t] of tokens.entries()) {
    // "good morning", "morning!" greet; "Friday morning" names a time.
    if (ignore.has(i) && (i === 0 || ignore.has(i - 1))) continue;
    const part = vocab.dayParts.get(t.text);
    if (part) return { part, at: i };
    for (const compound of compoundParts(vocab, t.text)) {
      const day = typedWord({ text: compound.head, hits: new Set() });
      if (labels.some((l) => inLabel(day, l))) return { part: compound.part, at: i, day };
    }
  }
  return undefined;
}

/**
 * The ways a word can end with a part of the day, each with the word before it: "woensdagavond" is
 * "woensdag" and evening; "dinsdagnamiddag" both "dinsdagna" and "dinsdag" with afternoon. The
 * caller says which first half counts (a day a label names, a weekday).
 */
export function compoundParts(vocab: Vocabulary, word: string): { part: DayPart; head: string }[] {
  return [...vocab.dayParts]
    .filter(([name]) => name.length >= 4 && word.length - name.length >= 2 && word.endsWith(name))
    .map(([name, part]) => ({ part, head: word.slice(0, -name.length) }));
}

/** A number that can only be a day of the month here: 1 to 31, in digits. */
export function dayOfMonth(text: string): boolean {
  return /^\d{1,2}$/.test(text) && Number(text) >= 1 && Number(text) <= 31;
}

/**
 * The choice a time or a part of the day picks ("16:00", "7:30 pm", "woensdagavond", "dinsdag om 4
 * uur"): the one whose label shows such a time, among those the other words name (a day, a date,
 * "telefoon"): "dinsdag 9 uur" is no Friday at nine. Undefined when the message says no time;
 * `index` undefined when it does, but not of exactly one choice.
 */
export function chosenByTime(
  vocab: Vocabulary,
  tokens: readonly Token[],
  choices: readonly { label: string }[],
  ignore: ReadonlySet<number>,
): { index?: number } | undefined {
  const labels = choices.map((c) => labelOf(c.label));
  const shown = labels.map(labelTimes);
  const time = typedTime(vocab, tokens);
  const part = shown.some((s) => s.length) ? typedPart(vocab, tokens, labels, ignore) : undefined;
  if (!time && !part) return undefined;
  const inPart = (s: { hour: number }) =>
    !part || (s.hour >= HOURS[part.part][0] && s.hour < HOURS[part.part][1]);
  let fits = shown.map((list) => list.some((s) => (!time || sameTime(time.time, s)) && inPart(s)));
  const used = new Set([...(time?.at ?? []), ...(part ? [part.at] : [])]);
  const others = tokens.flatMap((t, i) =>
    used.has(i) || ignore.has(i) || t.filler || vocab.numberWords.has(t.text) || vocab.hourWords.has(t.text)
      ? []
      : [typedWord(t)],
  );
  // Only words that name a choice with a time narrow it down; any other word ("graag", "s") says nothing here.
  // A day of the month is the exception: "do 17 dec 16:00" is no time on the 21st, even when no
  // choice shows the 17th.
  let narrowed = part?.day !== undefined;
  for (const word of part?.day ? [part.day, ...others] : others) {
    const named = labels.map((l, i) => (shown[i]?.length ?? 0) > 0 && inLabel(word, l));
    if (named.some(Boolean) || dayOfMonth(word.text)) {
      fits = fits.map((fit, i) => fit && named[i] === true);
      narrowed = true;
    }
  }
  // A part of the day alone ("liever 's avonds", "in the afternoon") is a wish, not a pick: the one
  // evening time of the five shown is not what was asked for, the evening times are (the time wish).
  if (!time && !narrowed) return undefined;
  const hits = fits.flatMap((fit, i) => (fit ? [i] : []));
  return hits.length === 1 ? { index: hits[0] } : {};
}

/**
 * Month names as labels write dates, short and long, Dutch and English ("jan", "mrt", "Sept",
 * "January"), each with its month (1-12). Made at first use: the six date formats cost a command that
 * reads no message (`staff list`) some 40 ms at start.
 */
let months: ReadonlyMap<string, number> | undefined;

/** The month (1-12) a month name names ("jan", "januari", "January"); undefined for another word. */
export function monthNumber(word: string): number | undefined {
  months ??= new Map(
    ['nl', 'en', 'en-GB'].flatMap((locale) =>
      (['short', 'long'] as const).flatMap((month) => {
        const format = new Intl.DateTimeFormat(locale, { month, timeZone: 'UTC' });
        return Array.from(
          { length: 12 },
          (_, m) => [normalise(format.format(Date.UTC(2026, m, 15))), m + 1] as const,
        );
      }),
    ),
  );
  return months.get(word);
}

function isMonth(word: string): boolean {
  return monthNumber(word) !== undefined;
}

/** A label's month: a month name after its day's number ("jan" in "di 5 jan, 19:00", "Tue 5 Jan"). */
function monthOf(label: Label): string | undefined {
  return label.words.find((w, k) => isMonth(w) && dayOfMonth(label.words[k - 1] ?? ''));
}

/**
 * The words that name a choice name only a month ("jan", "januari", "in januari"): no time. The list
 * shows only the first free times, so more of that month may come after "Latere tijden", and "Jan"
 * is also a name; a month alone is asked again ("Welke tijd bedoelt u?"). A day ("5 jan",
 * "dinsdag") or a time beside it still picks the one it names.
 */
export function namesOnlyMonth(tokens: readonly Token[], choices: readonly { label: string }[]): boolean {
  const labels = choices.map((c) => labelOf(c.label));
  const months = labels.map(monthOf);
  if (!months.some(Boolean)) return false;
  let month = false;
  for (const t of tokens) {
    if (t.filler) continue;
    const typed = typedWord(t);
    const named = labels.flatMap((l) => l.words.filter((w) => labelWord(typed, w)));
    if (named.some((w) => !months.includes(w))) return false;
    month ||= named.length > 0;
  }
  return month;
}

/** Weekday names, long, Dutch and English ("dinsdag", "tuesday"): a short one ("di", "do") is also a word. */
const WEEKDAYS: readonly string[] = ['nl', 'en'].flatMap((locale) => {
  const format = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' });
  return Array.from({ length: 7 }, (_, d) => normalise(format.format(Date.UTC(2026, 0, 5 + d))));
});

/**
 * The ISO weekday (1 Monday to 7 Sunday) a word starts with, written out: "dinsdag", "dinsdags",
 * "dinsdagavond", "Tuesdays". Undefined for any other word.
 */
export function weekdayIn(word: string): number | undefined {
  const i = WEEKDAYS.findIndex((d) => word.startsWith(d));
  return i < 0 ? undefined : (i % 7) + 1;
}

const suffixesOf = new WeakMap<Vocabulary, ReadonlySet<string>>();

/** The endings of the ordinals in digits the vocabulary has ("e", "de", "ste", "th"), made once. */
function ordinalSuffixes(vocab: Vocabulary): ReadonlySet<string> {
  let suffixes = suffixesOf.get(vocab);
  if (!suffixes) {
    suffixes = new Set([...vocab.ordinals.keys()].flatMap((w) => /^\d+(\p{L}+)$/u.exec(w)?.[1] ?? []));
    suffixesOf.set(vocab, suffixes);
  }
  return suffixes;
}

/** A day of the month as an ordinal in digits, with an ending the vocabulary's ordinals use: "5e", "21ste", "5th". */
export function digitOrdinal(vocab: Vocabulary, text: string): number | undefined {
  const m = /^(\d{1,2})(\p{L}+)$/u.exec(text);
  return m && dayOfMonth(m[1] ?? '') && ordinalSuffixes(vocab).has(m[2] ?? '') ? Number(m[1]) : undefined;
}

/**
 * The message is about a time or an appointment: a word of `timeWords` ("afspraak", "komen", "dag"),
 * a day ("dinsdag", "woensdagavond"), a date ("5 jan", "januari", "de 5e"), a part of the day or a
 * time ("om 4 uur", "16:00"). A `VAGUE` phrase ("lukt me niet") counts only in such a message.
 */
export function aboutTime(vocab: Vocabulary, tokens: readonly Token[]): boolean {
  if (typedTime(vocab, tokens)) return true;
  return tokens.some((t, i) => {
    const { text } = t;
    if ([...t.hits].some((h) => vocab.timeWords.has(h)) || vocab.dayParts.has(text)) return true;
    if (weekdayIn(text) !== undefined) return true;
    if (digitOrdinal(vocab, text) !== undefined) return true;
    // A long month name; a short one ("mei", "mar") only after a day's number, as a label writes it.
    if (isMonth(text)) return text.length >= 4 || dayOfMonth(tokens[i - 1]?.text ?? '');
    return [...vocab.dayParts.keys()].some((p) => p.length >= 4 && text.endsWith(p));
  });
}

/** The days of the month a label shows: a number beside a month name ("di 5 jan, 19:00", "Tue, Jan 5"). */
function daysOf(label: Label): number[] {
  const month = (k: number) => isMonth(label.words[k] ?? '');
  return label.words.flatMap((w, k) => (dayOfMonth(w) && (month(k + 1) || month(k - 1)) ? [Number(w)] : []));
}

/**
 * "de 5e", "the 5th" (an ordinal in digits) at a list of dates: in a date list people write the day
 * of the month so, so it is the 5th when a choice shows a date on the 5th, whichever button that is;
 * two choices on the 5th (two times that day) are no one choice, and are asked again. Where no
 * choice shows the 5th, it is the 5th button, as "de vijfde" and a list without dates always are
 * (`readChoice`). Undefined when the ordinal is no day the list shows.
 */
export function chosenByDay(
  vocab: Vocabulary,
  typed: string,
  choices: readonly { label: string }[],
): { index?: number } | undefined {
  const day = digitOrdinal(vocab, typed);
  if (day === undefined) return undefined;
  const on = choices.flatMap((c, i) => (daysOf(labelOf(c.label)).includes(day) ? [i] : []));
  if (on.length === 0) return undefined;
  return on.length === 1 ? { index: on[0] } : {};
}
