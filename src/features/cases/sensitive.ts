/**
 * Numbers a resident should not send by chat: a citizen service number (BSN, with its 11-check),
 * an IBAN (with its mod-97 check) and a phone number. Found to warn the resident kindly, and
 * masked wherever staff read a question unless one of them chooses to reveal it (audited).
 */
export type SensitiveKind = 'bsn' | 'iban' | 'phone';

export interface SensitiveMatch {
  kind: SensitiveKind;
  start: number;
  end: number;
}

// Written whole or in groups of four (NL91 ABNA 0417 1643 00).
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/gi;
// Nine digits, optionally grouped by spaces, dots or dashes (123.456.782, 1234 56 782).
const BSN = /(?<![\d+])\d(?:[ .-]?\d){8}(?![\d])/g;
// Dutch numbers (06-12345678, 070 123 45 67, +31 6 1234 5678, 0031…) and other +country numbers.
const PHONE =
  /(?<![\w+])(?:(?:\+|00)31[ -]?(?:\(0\))?[ -]?|0)[1-9](?:[ -]?\d){8}(?!\d)|(?<![\w+])\+[1-9](?:[ -]?\d){7,14}(?!\d)/g;

/** The 11-check (elfproef) of a BSN: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11. */
export function isBsn(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || /^0+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (9 - i);
  sum -= Number(digits[8]);
  return sum % 11 === 0;
}

/** The ISO 13616 check: the rearranged IBAN as a number leaves 1 after division by 97. */
export function isIban(text: string): boolean {
  const iban = text.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`;
  let rest = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) rest = (rest * 10 + Number(digit)) % 97;
  }
  return rest === 1;
}

/** Every BSN, IBAN and phone number in a text, in order, never overlapping. */
export function findSensitive(text: string): SensitiveMatch[] {
  const found: SensitiveMatch[] = [];
  const free = (start: number, end: number) => found.every((m) => end <= m.start || start >= m.end);
  for (const m of text.matchAll(IBAN))
    if (isIban(m[0])) found.push({ kind: 'iban', start: m.index, end: m.index + m[0].length });
  for (const m of text.matchAll(BSN)) {
    const end = m.index + m[0].length;
    if (isBsn(m[0].replace(/\D/g, '')) && free(m.index, end))
      found.push({ kind: 'bsn', start: m.index, end });
  }
  for (const m of text.matchAll(PHONE)) {
    const end = m.index + m[0].length;
    if (free(m.index, end)) found.push({ kind: 'phone', start: m.index, end });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** One number with every letter and digit but the last two as •. */
function maskPart(part: string): string {
  const keep = part.length - 2;
  return [...part].map((c, i) => (i < keep && /[A-Za-z0-9]/.test(c) ? '•' : c)).join('');
}

/** The text with every letter and digit of each BSN, IBAN and phone number but the last two as •. */
export function maskSensitive(text: string): string {
  let out = '';
  let at = 0;
  for (const m of findSensitive(text)) {
    out += text.slice(at, m.start) + maskPart(text.slice(m.start, m.end));
    at = m.end;
  }
  return out + text.slice(at);
}

/**
 * Masks the resident's words for one page view, unless the viewer chose to reveal them (audited by
 * the caller); `hidden` is true once one of the texts had a number masked (the page then offers "show").
 */
export function pageMasker(reveal: boolean): { words(text: string): string; readonly hidden: boolean } {
  let hidden = false;
  return {
    words(text: string): string {
      if (reveal || findSensitive(text).length === 0) return text;
      hidden = true;
      return maskSensitive(text);
    },
    get hidden() {
      return hidden;
    },
  };
}

/**
 * The text with each number of `source` put back as written there wherever the text holds it masked
 * (as maskSensitive writes it): a form prefilled with masked words then stores what the resident wrote.
 */
export function unmaskFrom(text: string, source: string): string {
  let out = text;
  for (const m of findSensitive(source)) {
    const written = source.slice(m.start, m.end);
    out = out.split(maskPart(written)).join(written);
  }
  return out;
}
