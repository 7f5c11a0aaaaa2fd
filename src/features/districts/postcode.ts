import type { District } from '../../municipality/municipality-schema.js';
import { rangeContains } from '../../municipality/postcode-range.js';

/** A Dutch postcode: four digits and, when given, two letters. */
export interface Postcode {
  digits: string;
  letters?: string;
}

/**
 * Reads a postcode from what a resident typed, also inside a sentence: `2282ab`, `2282 AB`, `2282-AB`,
 * `mijn postcode is 2282ab`, or only `2282`.
 * Returns null when there is no postcode in the text.
 */
export function parsePostcode(text: string): Postcode | null {
  const match = /(?:^|[^\d])([1-9]\d{3})[\s-]*([a-zA-Z]{2})?(?![a-zA-Z\d])/.exec(` ${text} `);
  if (!match?.[1]) return null;
  const letters = match[2]?.toUpperCase();
  // SA, SD and SS are not issued as postcode letters; still accept them as typed.
  return letters ? { digits: match[1], letters } : { digits: match[1] };
}

/** Formats a postcode the Dutch way: `2282 AB`. */
export function formatPostcode(p: Postcode): string {
  return p.letters ? `${p.digits} ${p.letters}` : p.digits;
}

export type DistrictLookup =
  { kind: 'found'; district: District } | { kind: 'ambiguous'; districts: District[] } | { kind: 'outside' };

/** Finds the district(s) whose postcode ranges contain this postcode. */
export function lookupDistrict(postcode: Postcode, districts: readonly District[]): DistrictLookup {
  const matches = districts.filter((d) => d.postcodes.some((range) => rangeContains(range, postcode)));
  if (matches.length === 1 && matches[0]) return { kind: 'found', district: matches[0] };
  if (matches.length > 1) return { kind: 'ambiguous', districts: matches };
  return { kind: 'outside' };
}

/** True when the postcode lies in one of the municipality's areas (`NNNN` or `NNNN-NNNN`). */
export function inAreas(postcode: Postcode, areas: readonly string[]): boolean {
  return areas.some((area) => rangeContains(area, { digits: postcode.digits }));
}
