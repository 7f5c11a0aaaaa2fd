import type { Token } from './tokens.js';
import type { Vocabulary } from './vocabulary.js';

/** How many different words only one language has make a message clearly that language's. */
const SEVERAL = 3;

/**
 * The language a message is clearly written in: at least `SEVERAL` different words that only that
 * language's vocabulary has, and none that only another's has. Words both languages have ("help",
 * "menu", "status", "ok") count for neither, nor does a typo. Undefined for a short or mixed
 * message: "ja graag", "ok thanks", "yes graag".
 */
export function writtenIn(vocab: Vocabulary, tokens: readonly Token[]): string | undefined {
  const found = new Map<string, Set<string>>();
  for (const t of tokens)
    for (const [lang, own] of vocab.ownWords)
      if (own.has(t.text)) found.set(lang, (found.get(lang) ?? new Set()).add(t.text));
  const [only, ...others] = [...found];
  return only && others.length === 0 && only[1].size >= SEVERAL ? only[0] : undefined;
}

/** The text without HTML-like tags and links (`https://…`, `javascript:…`): what is left is words. */
export function withoutMarkup(text: string): string {
  if (!text.includes('<') && !text.includes(':')) return text;
  return text.replace(/<[^>]*>?/g, ' ').replace(/\b(?:https?|ftp|javascript|data|vbscript):\S*/gi, ' ');
}
