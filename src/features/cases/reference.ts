import type { ReferenceNumbering } from '../../ports/case-repository.js';

/** The parts of a case reference such as `RSW-2026-000042`. */
export interface CaseReference {
  prefix: string;
  year: number;
  number: number;
}

const PREFIX = /^[A-Z]{2,6}$/;
const DIGITS = 6;
// Letters, a year, a number; separated by '-', space, '.', '/' or '_' (or nothing), any case.
const SLOPPY = /^([a-z]{2,6})[\s./_-]*(\d{4})[\s./_-]*(\d{1,9})$/i;
const IN_TEXT = /(?<![a-z0-9])([a-z]{2,6})[ ./_-]*(\d{4})[ ./_-]*(\d{1,9})(?![a-z0-9])/gi;

/** `RSW`, 2026, 42 → `RSW-2026-000042` (numbers past 999999 get more digits, never wrap). */
export function formatReference(prefix: string, year: number, number: number): string {
  referenceNumbering(prefix, year);
  if (!Number.isInteger(number) || number < 1) throw new RangeError(`bad reference number ${number}`);
  return `${prefix}-${year}-${String(number).padStart(DIGITS, '0')}`;
}

/** The numbering of new references of (prefix, year) that storage applies as formatReference does. */
export function referenceNumbering(prefix: string, year: number): ReferenceNumbering {
  if (!PREFIX.test(prefix))
    throw new RangeError(`reference prefix must be 2-6 capital letters, got "${prefix}"`);
  if (!Number.isInteger(year) || year < 1000 || year > 9999)
    throw new RangeError(`bad reference year ${year}`);
  return { prefix, year, digits: DIGITS };
}

/**
 * Reads a reference as a resident might type it ("rsw 2026 42", "RSW-2026-000042",
 * " Rsw/2026/000042 "); null for anything else. With `prefix`, only that municipality's prefix
 * is accepted.
 */
export function parseReference(input: string, prefix?: string): CaseReference | null {
  const match = SLOPPY.exec(input.trim());
  return match ? toReference(match, prefix) : null;
}

/** The canonical form of a sloppy reference, or null. */
export function normalizeReference(input: string, prefix?: string): string | null {
  const ref = parseReference(input, prefix);
  return ref ? formatReference(ref.prefix, ref.year, ref.number) : null;
}

/** The first reference inside free text ("status RSW-2026-000042 graag"), canonical, or null. */
export function findReference(text: string, prefix?: string): string | null {
  for (const match of text.matchAll(IN_TEXT)) {
    const ref = toReference(match, prefix);
    if (ref) return formatReference(ref.prefix, ref.year, ref.number);
  }
  return null;
}

function toReference(match: RegExpExecArray | RegExpMatchArray, prefix?: string): CaseReference | null {
  const letters = match[1]!.toUpperCase();
  const year = Number(match[2]);
  const number = Number(match[3]);
  if (prefix !== undefined && letters !== prefix.toUpperCase()) return null;
  if (year < 1000 || number < 1) return null;
  return { prefix: letters, year, number };
}
