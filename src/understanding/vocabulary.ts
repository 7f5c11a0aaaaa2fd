import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DAY_PARTS, type DayPart } from '../shared/day-parts.js';
import { z } from '../shared/zod.js';
import { words } from './normalise.js';

/** Everything a resident can mean with free words; flows name these, the data holds the words. */
export const INTENTS = [
  'book',
  'district',
  'ask',
  'my-appointments',
  'other-time',
  'my-questions',
  'person',
  'help',
  'contact',
  'no-buttons',
  'menu',
  'back',
  'withdraw',
  'stop',
  'start',
  'english',
  'dutch',
  'greeting',
  'thanks',
  'goodbye',
  'apology',
  'done',
  'add-info',
  'poll',
  'propose',
  'updates',
  'updates-off',
  'unsubscribe',
  'my-data',
  'erase-data',
  'forget-district',
] as const;
export type Intent = (typeof INTENTS)[number];

/** Intents that only frame a message ("hoi, …", "bedankt", "sorry, …"): any other intent in it wins. */
export const SOCIAL: readonly Intent[] = ['greeting', 'thanks', 'goodbye', 'apology'];

/** Words that leave a step wherever it is: they count only when the message is nothing else. */
export const ESCAPES: readonly Intent[] = [
  'menu',
  'back',
  'stop',
  'unsubscribe',
  'help',
  'no-buttons',
  'person',
  'english',
  'dutch',
  'start',
];

/**
 * Intents that take away something the resident has: the messages (`stop`), the subscriptions
 * (`unsubscribe`, `updates-off`), their data (`erase-data`), the remembered district
 * (`forget-district`). Their words are only reached by the narrowest typos (see `typosFor` in tokens.ts).
 */
export const DESTRUCTIVE: readonly Intent[] = [
  'stop',
  'unsubscribe',
  'updates-off',
  'erase-data',
  'forget-district',
];

/**
 * Intents that end what the resident sees ("doei": a goodbye, and no menu after it). Their short
 * words are one letter from everyday ones ("doet", "doen"), so their own words take only the narrowest
 * typos, as `DESTRUCTIVE` ones do (`typosFor` in tokens.ts).
 */
export const CLOSING: readonly Intent[] = ['goodbye'];

/**
 * Intents a resident may ask for in a sentence of their own ("ik wil geen berichten meer ontvangen",
 * "laat me met rust"): their `requests` in the vocabulary. Such an intent is read only from the whole
 * message or from one of its request sentences, never from its words inside another sentence ("ik
 * heb geen berichten meer gekregen"); a request sentence counts as the whole message, so it works at
 * any step as the word alone does. Only an intent whose flow asks before it acts has request
 * sentences: stop asks "Wilt u stoppen?" every time. `withdraw` ("hoeft niet meer", which takes a
 * resident out of the queue for a person without asking) has none: only the whole message counts,
 * so "het hoeft niet meer, maar wanneer …" stays a question. The rule is `requestOnly` and
 * `scoreIntent` in intents.ts.
 */
export const REQUESTS: readonly Intent[] = ['stop', 'withdraw'];

/**
 * Intents with `vague` phrases in the vocabulary: words that mean the intent only in a sentence about
 * a time ("dinsdag lukt me niet", "het lukt me niet om te komen": `timeWords`, a day, a date, a
 * time), or as the answer of a step that reads the intent ("lukt me niet" at a list of times). Else
 * they are about something else ("het lukt me niet om in te loggen") and point at nothing. The rule
 * is `scoreIntents` in intents.ts.
 */
export const VAGUE: readonly Intent[] = ['other-time'];

/** Parts of a day a resident may name for a time; their hours are in src/shared/day-parts.ts. */
export { DAY_PARTS, type DayPart };

/**
 * The kinds of consultation slot a resident may ask for by a word ("telefonisch", "op het raadhuis"):
 * the kinds of data/hours.json sessions.
 */
export const SLOT_KINDS = ['chat', 'phone', 'town-hall'] as const;
export type SlotKind = (typeof SLOT_KINDS)[number];

const phrases = z.array(z.string().min(1)).default([]);

const fileSchema = z
  .object({
    $comment: z.string().optional(),
    intents: z.object(Object.fromEntries(INTENTS.map((i) => [i, phrases]))).strict(),
    requests: z
      .object(Object.fromEntries(REQUESTS.map((i) => [i, phrases])))
      .strict()
      .default({}),
    vague: z
      .object(Object.fromEntries(VAGUE.map((i) => [i, phrases])))
      .strict()
      .default({}),
    timeWords: phrases,
    cancels: phrases,
    moves: phrases,
    answers: z
      .object({ yes: phrases, asIs: phrases, no: phrases, notAsIs: phrases, unsure: phrases })
      .strict(),
    negations: phrases,
    hedges: phrases,
    fillers: phrases,
    softeners: phrases,
    alike: z.array(z.array(z.string().min(1)).min(2)).default([]),
    ordinals: z.record(z.union([z.string().regex(/^[1-9]$/), z.literal('last')]), phrases),
    numberWords: phrases,
    hourWords: phrases,
    halfWords: phrases,
    dayParts: z
      .object(Object.fromEntries(DAY_PARTS.map((part) => [part, phrases])))
      .strict()
      .default({}),
    slotKinds: z
      .object(Object.fromEntries(SLOT_KINDS.map((kind) => [kind, phrases])))
      .strict()
      .default({}),
    goOn: phrases,
    plainWords: phrases,
  })
  .strict();

type VocabularyFile = z.infer<typeof fileSchema>;

/** A phrase as words, with the language it came from. */
export interface Phrase {
  words: string[];
  lang: string;
}

/** Both languages' words, ready for the matcher (see `loadVocabulary`). */
export interface Vocabulary {
  languages: string[];
  intents: Map<Intent, Phrase[]>;
  /** Request sentences of the `REQUESTS` intents: their words right after one another, the whole message's meaning. */
  requests: Map<Intent, Phrase[]>;
  /** Phrases of the `VAGUE` intents that count only in a sentence about a time ("lukt me niet"). */
  vague: Map<Intent, Phrase[]>;
  /** Words that make a sentence about an appointment or a time ("afspraak", "komen", "dag", "morgen"). */
  timeWords: Set<string>;
  /**
   * Words that cancel an appointment ("afzeggen", "annuleren", "cancel"): beside them, "ik kan niet
   * komen" is the reason for the cancel, not a wish for another time (`scoreIntents` in intents.ts).
   */
  cancels: Phrase[];
  /**
   * Words that move an appointment to another time ("verzetten", "verplaatsen", "reschedule"): with
   * one upcoming appointment, "ik wil mijn afspraak verzetten" goes straight to other times.
   */
  moves: Phrase[];
  answers: { yes: Phrase[]; no: Phrase[]; unsure: Phrase[] };
  /**
   * The yeses that say it is right as it is ("klopt", "prima zo", "that's right"), by their words:
   * also in `answers.yes`, as the file's `answers.asIs` puts them there. To "Wilt u nog iets
   * toevoegen?" such a yes means "no, that was it", where a plain "ja" means "yes, more follows".
   */
  asIs: Set<string>;
  /**
   * The noes that say it is not right as it is ("klopt niet", "dat is fout", "that's wrong"), by
   * their words: also in `answers.no`, as the file's `answers.notAsIs` puts them there. To "Wilt u
   * nog iets toevoegen?" such a no means "what you wrote down is wrong", where a plain "nee" means
   * "no, that was all".
   */
  notAsIs: Set<string>;
  negations: Set<string>;
  hedges: Phrase[];
  fillers: Set<string>;
  /**
   * Words that soften an order without changing it ("stop maar", "toch maar niet", "boek gerust"):
   * a filler after any word but a yes or no; a hedge word among them ("maar") stays a hedge after a
   * yes or no ("ja maar", "klopt, maar") and at the start (see `soften` in tokens.ts).
   */
  softeners: Set<string>;
  /** Words that mean the same in a choice's label: "different" for "another" ("Choose another time"). */
  alike: Map<string, Set<string>>;
  /** Per language, the words of its file that no other language's file has ("afspraak", "appointment"; not "menu"). */
  ownWords: Map<string, Set<string>>;
  /** Ordinal word → 1-based position, or 0 for "the last". */
  ordinals: Map<string, number>;
  numberWords: Set<string>;
  hourWords: Set<string>;
  halfWords: Set<string>;
  /** A word for a part of the day ("avond", "s avonds", "afternoon") → that part. */
  dayParts: Map<string, DayPart>;
  /** A word for a kind of slot ("telefonisch", "raadhuis", "whatsapp") → that kind. */
  slotKinds: Map<string, SlotKind>;
  /**
   * Words that tell to go on ("ga door", "doorgaan", "carry on"): beside a no they contradict it
   * ("nee hoor, ga maar door"), so that no is no answer (see `readAnswer` in answers.ts).
   */
  goOn: Phrase[];
  /**
   * Everyday words that look like a word above but mean nothing here ("boer" beside "boek", a name
   * as in "met Jan de Boer"): known, so never read as a typo of it.
   */
  plainWords: Set<string>;
  /** Every word anywhere in the vocabulary: a typed word found here is never read as a typo. */
  known: Set<string>;
  /** Words that are a command on their own ("stop", "menu", "terug"): one-word phrases of `ESCAPES`. */
  commands: Set<string>;
  /**
   * Words only `DESTRUCTIVE` intents use ("stop", "afmelden", "verwijder"): no other intent, answer or
   * filler has them, so a typo read as one of them could only take something away.
   */
  destructive: Set<string>;
  /** Words only `CLOSING` intents use ("doei", "ziens"): they take the same narrow typos. */
  closing: Set<string>;
}

/** A vocabulary file that cannot be used; the message names the file and the key. */
export class VocabularyError extends Error {
  override name = 'VocabularyError';
}

function toPhrases(file: string, key: string, list: readonly string[], lang: string): Phrase[] {
  return list.map((text, i) => {
    const w = words(text);
    if (w.length === 0)
      throw new VocabularyError(`${file}: ${key}[${i}] "${text}" has no words left to match`);
    return { words: w, lang };
  });
}

/** Checks one language's file; throws a VocabularyError naming the file and key. */
export function parseVocabularyFile(file: string, raw: unknown): VocabularyFile {
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') || '(top)';
    throw new VocabularyError(`${file}: ${key}: ${issue?.message ?? 'invalid'}`);
  }
  const owner = new Map<string, { intent: string; key: string }>();
  const lists = [
    ...Object.entries(parsed.data.intents).map(([intent, list]) => ({ intent, key: 'intents', list })),
    ...Object.entries(parsed.data.requests).map(([intent, list]) => ({ intent, key: 'requests', list })),
    ...Object.entries(parsed.data.vague).map(([intent, list]) => ({ intent, key: 'vague', list })),
  ];
  for (const { intent, key, list } of lists) {
    for (const text of list) {
      const phrase = words(text).join(' ');
      const before = owner.get(phrase);
      if (before && (before.intent !== intent || before.key !== key))
        throw new VocabularyError(
          `${file}: ${key}.${intent}: "${text}" is also in ${before.key}.${before.intent}; one phrase, one place`,
        );
      owner.set(phrase, { intent, key });
    }
  }
  return parsed.data;
}

/** Builds the matcher's vocabulary from one checked file per language. */
export function buildVocabulary(files: { file: string; lang: string; data: VocabularyFile }[]): Vocabulary {
  const v: Vocabulary = {
    languages: files.map((f) => f.lang),
    intents: new Map(INTENTS.map((i) => [i, []])),
    requests: new Map(REQUESTS.map((i) => [i, []])),
    vague: new Map(VAGUE.map((i) => [i, []])),
    timeWords: new Set(),
    cancels: [],
    moves: [],
    answers: { yes: [], no: [], unsure: [] },
    asIs: new Set(),
    notAsIs: new Set(),
    negations: new Set(),
    hedges: [],
    fillers: new Set(),
    softeners: new Set(),
    alike: new Map(),
    ownWords: new Map(),
    ordinals: new Map(),
    numberWords: new Set(),
    hourWords: new Set(),
    halfWords: new Set(),
    dayParts: new Map(),
    slotKinds: new Map(),
    goOn: [],
    plainWords: new Set(),
    known: new Set(),
    commands: new Set(),
    destructive: new Set(),
    closing: new Set(),
  };
  for (const { file, lang, data } of files) {
    for (const intent of INTENTS)
      v.intents.get(intent)?.push(...toPhrases(file, `intents.${intent}`, data.intents[intent] ?? [], lang));
    for (const intent of REQUESTS)
      v.requests
        .get(intent)
        ?.push(...toPhrases(file, `requests.${intent}`, data.requests[intent] ?? [], lang));
    for (const intent of VAGUE)
      v.vague.get(intent)?.push(...toPhrases(file, `vague.${intent}`, data.vague[intent] ?? [], lang));
    v.cancels.push(...toPhrases(file, 'cancels', data.cancels, lang));
    v.moves.push(...toPhrases(file, 'moves', data.moves, lang));
    for (const kind of ['yes', 'no', 'unsure'] as const)
      v.answers[kind].push(...toPhrases(file, `answers.${kind}`, data.answers[kind], lang));
    // Yeses and noes that judge what was said: answers of their kind, and kept apart by their words.
    for (const [key, kind, into] of [
      ['asIs', 'yes', v.asIs],
      ['notAsIs', 'no', v.notAsIs],
    ] as const)
      for (const p of toPhrases(file, `answers.${key}`, data.answers[key], lang)) {
        v.answers[kind].push(p);
        into.add(p.words.join(' '));
      }
    v.hedges.push(...toPhrases(file, 'hedges', data.hedges, lang));
    const single = (key: string, list: string[], into: Set<string>) =>
      toPhrases(file, key, list, lang).forEach((p) => p.words.forEach((w) => into.add(w)));
    single('negations', data.negations, v.negations);
    single('timeWords', data.timeWords, v.timeWords);
    single('fillers', data.fillers, v.fillers);
    single('softeners', data.softeners, v.softeners);
    for (const group of data.alike) addAlike(v.alike, group.flatMap(words));
    single('numberWords', data.numberWords, v.numberWords);
    single('hourWords', data.hourWords, v.hourWords);
    single('halfWords', data.halfWords, v.halfWords);
    single('plainWords', data.plainWords, v.plainWords);
    // One word each: a compound ("woensdagavond") is read by the word it ends with.
    const oneWords = <K extends string>(
      key: string,
      lists: Partial<Record<K, string[]>>,
      into: Map<string, K>,
    ) => {
      for (const [name, list] of Object.entries(lists) as [K, string[] | undefined][])
        for (const [i, p] of toPhrases(file, `${key}.${name}`, list ?? [], lang).entries()) {
          if (p.words.length !== 1)
            throw new VocabularyError(
              `${file}: ${key}.${name}[${i}] "${p.words.join(' ')}" must be one word`,
            );
          into.set(p.words[0] ?? '', name);
        }
    };
    oneWords('dayParts', data.dayParts, v.dayParts);
    oneWords('slotKinds', data.slotKinds, v.slotKinds);
    v.goOn.push(...toPhrases(file, 'goOn', data.goOn, lang));
    for (const [place, list] of Object.entries(data.ordinals))
      for (const p of toPhrases(file, `ordinals.${place}`, list, lang))
        v.ordinals.set(p.words.join(' '), place === 'last' ? 0 : Number(place));
  }
  const fileWords = files.map((f) => ({ lang: f.lang, words: new Set(wordsIn(f.data)) }));
  for (const { lang, words: own } of fileWords) {
    const others = fileWords.filter((f) => f.lang !== lang);
    v.ownWords.set(lang, new Set([...own].filter((w) => !others.some((o) => o.words.has(w)))));
  }
  vocabularyWords(v, () => true).forEach((w) => v.known.add(w));
  v.plainWords.forEach((w) => v.known.add(w));
  for (const intent of ESCAPES)
    for (const p of v.intents.get(intent) ?? []) if (p.words.length === 1) v.commands.add(p.words[0] ?? '');
  const harmless = vocabularyWords(v, (intent) => !DESTRUCTIVE.includes(intent));
  // A plain word means nothing here, so it is neither destructive nor closing.
  for (const w of v.known) if (!harmless.has(w) && !v.plainWords.has(w)) v.destructive.add(w);
  // A destructive command on its own ("afmelden") stays strict where a harmless phrase names what it
  // ends ("afmelden voor de afspraak"): a typo of it is still no door to anything.
  for (const intent of DESTRUCTIVE)
    for (const p of v.intents.get(intent) ?? [])
      if (p.words.length === 1) v.destructive.add(p.words[0] ?? '');
  const open = vocabularyWords(v, (intent) => !CLOSING.includes(intent));
  for (const w of v.known) if (!open.has(w) && !v.plainWords.has(w)) v.closing.add(w);
  return v;
}

/** Every word one language's file holds, in whichever list. */
function wordsIn(data: unknown): string[] {
  if (typeof data === 'string') return words(data);
  if (Array.isArray(data)) return data.flatMap(wordsIn);
  if (typeof data !== 'object' || data === null) return [];
  return Object.entries(data).flatMap(([key, value]) => (key === '$comment' ? [] : wordsIn(value)));
}

/** Each word of a group of words that mean the same gets the others. */
function addAlike(alike: Map<string, Set<string>>, group: readonly string[]): void {
  for (const w of group) {
    const others = alike.get(w) ?? new Set<string>();
    group.filter((o) => o !== w).forEach((o) => others.add(o));
    alike.set(w, others);
  }
}

/** Every word of the vocabulary, with the phrases of only the intents `include` keeps. */
function vocabularyWords(v: Vocabulary, include: (intent: Intent) => boolean): Set<string> {
  const found = new Set<string>();
  const intents = [...v.intents, ...v.requests, ...v.vague]
    .filter(([intent]) => include(intent))
    .map(([, list]) => list);
  const lists = [
    ...intents,
    v.answers.yes,
    v.answers.no,
    v.answers.unsure,
    v.hedges,
    v.goOn,
    v.cancels,
    v.moves,
  ];
  for (const p of lists.flat()) p.words.forEach((w) => found.add(w));
  const sets = [v.negations, v.fillers, v.softeners, v.numberWords, v.hourWords, v.halfWords, v.timeWords];
  for (const set of sets) set.forEach((w) => found.add(w));
  v.ordinals.forEach((_, w) => w.split(' ').forEach((x) => found.add(x)));
  v.alike.forEach((_, w) => found.add(w));
  v.dayParts.forEach((_, w) => found.add(w));
  v.slotKinds.forEach((_, w) => found.add(w));
  return found;
}

/** Reads `data/vocabulary/<lang>.json` for every language there (Dutch first), checked. */
export function loadVocabulary(dir: string): Vocabulary {
  const langs = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort((a, b) => (a === 'nl' ? -1 : b === 'nl' ? 1 : a.localeCompare(b)));
  if (langs.length === 0) throw new VocabularyError(`${dir}: no vocabulary files (nl.json, en.json)`);
  const files = langs.map((lang) => {
    const file = join(dir, `${lang}.json`);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new VocabularyError(`${file}: not valid JSON (${(error as Error).message})`);
    }
    return { file, lang, data: parseVocabularyFile(file, raw) };
  });
  return buildVocabulary(files);
}
