/** Emoji that carry an answer or a greeting; every other emoji is dropped. */
const KEPT_EMOJI = new Set(['👍', '👎', '👌', '✅', '❌', '✔', '🙏', '👋']);

/**
 * Puts what someone typed into the form the vocabulary is written in: lower case, no accents, no
 * punctuation (but `13:00` and `13.00` stay one time), apostrophes dropped (`don't` → `dont`),
 * meaningful emoji as words of their own, letters typed three times or more folded to two.
 */
export function normalise(text: string): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      // Skin tones and variation selectors make one emoji several code points.
      .replace(/[\u{1F3FB}-\u{1F3FF}]|\uFE0E|\uFE0F|\u200D/gu, '')
      .replace(/\p{Extended_Pictographic}/gu, (e) => (KEPT_EMOJI.has(e) ? ` ${e} ` : ' '))
      .replace(/['’`´]/g, '')
      .replace(/(\d)[.:h](\d\d)(?!\d)/g, '$1:$2')
      .replace(/[^\p{L}\p{N}:/\s\p{Extended_Pictographic}]|:(?!\d)|(?<!\d):/gu, ' ')
      .replace(/(\p{L})\1{2,}/gu, '$1$1')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** The words of a normalised text. */
export function words(text: string): string[] {
  return wordsOf(normalise(text));
}

/** The words of a text already normalised (`normalise`). */
export function wordsOf(normal: string): string[] {
  return normal ? normal.split(' ') : [];
}

/** A word with every run of one letter folded to one: `menuu`, `afsprak`, `jaa` meet `menu`, `afspraak`, `ja`. */
export function folded(word: string): string {
  return word.replace(/(\p{L})\1+/gu, '$1');
}
