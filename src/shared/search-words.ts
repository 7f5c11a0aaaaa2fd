/**
 * The one place that decides what a "word" is for searching conversations. The same function turns a
 * stored message into its `search_text` and a search box into its words, so SQLite FTS5 and
 * PostgreSQL full-text search (`to_tsvector('simple', …)`) see identical tokens and give identical
 * matches: lowercase ASCII letters and digits, separated by single spaces.
 *
 * Steps: lowercase; strip diacritics (`één` → `een`, `café` → `cafe`); split on everything that is
 * not a letter or digit; drop Dutch stop words; a light Dutch stemmer folds plurals and vowel
 * length (`bomen`, `boom` → `bom`; `vuilnisbakken` → `vuilnisbak`; `straten`, `straat` → `strat`).
 * Typos are not corrected.
 */

/** Common Dutch words that say nothing about what a conversation is about. */
export const DUTCH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'aan al alle als bij dan dat de deze die dit door een en er had heb hebben heeft het hier hij hoe ' +
    'ik in is je jij kan kon maar me men met mij mijn na naar niet nog nu of om onder ons ook op over ' +
    'te tot u uit uw van veel voor want was wat we wel wie wij wil worden wordt zal ze zei zich zij ' +
    'zijn zo zou'
  ).split(' '),
);

/** Longest word kept (longer ones are cut): far below PostgreSQL's limit for one lexeme. */
const MAX_WORD = 60;

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);
const isVowel = (c: string | undefined) => c !== undefined && VOWELS.has(c);

/** Folds a lowercase ASCII word to its stem; short words and numbers stay as they are. */
export function stemDutch(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('heden')) w = `${w.slice(0, -5)}heid`;
  else if (w.endsWith('en') && w.length - 2 >= 3 && !isVowel(w.at(-3))) w = w.slice(0, -2);
  else if (w.endsWith('s') && w.length - 1 >= 3 && !isVowel(w.at(-2)) && w.at(-2) !== 'j') w = w.slice(0, -1);
  // A doubled consonant at the end (`bakk` from `bakken`) is written single (`bak`).
  const last = w.at(-1);
  if (w.length >= 4 && last !== undefined && !isVowel(last) && w.at(-2) === last) w = w.slice(0, -1);
  // A doubled vowel before the last consonant (`boom`, `straat`) folds to one (`bom`, `strat`), as
  // the plural (`bomen`, `straten`) writes it.
  const m = /^(.*[^aeiouy])([aeou])\2([^aeiouy])$/.exec(w);
  if (m && w.length >= 4) w = `${m[1]}${m[2]}${m[3]}`;
  return w;
}

/** One raw token (letters and digits) as the index stores it, or null when it is a stop word. */
export function searchWord(token: string): string | null {
  const plain = token
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  if (!plain || DUTCH_STOP_WORDS.has(plain)) return null;
  return stemDutch(plain).slice(0, MAX_WORD);
}

/** The raw tokens of a text: runs of letters and digits (before folding). */
export function rawTokens(text: string): string[] {
  return text.match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
}

/** The words of a text, in order, as the index stores them. */
export function searchWords(text: string): string[] {
  const words: string[] = [];
  for (const token of rawTokens(text)) {
    // Letters outside a–z after folding (`ß`, Greek, Arabic) are dropped: the index holds ASCII only.
    const folded = token.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    for (const part of folded.split(/[^a-z0-9]+/)) {
      const word = part ? searchWord(part) : null;
      if (word) words.push(word);
    }
  }
  return words;
}

/** A message's `search_text` column: its words joined by single spaces ('' when none). */
export function searchText(text: string): string {
  return searchWords(text).join(' ');
}

/** The distinct words of a search box, in order (empty: no word filter). */
export function queryWords(query: string): string[] {
  return [...new Set(searchWords(query))].slice(0, 12);
}
