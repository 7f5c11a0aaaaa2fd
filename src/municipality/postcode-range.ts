/**
 * Postcode ranges as data files write them: `NNNN`, `NNNN-NNNN` or `NNNNAA-NNNNZZ` (inclusive).
 * Compared as text: four digits and two capital letters sort the way postcodes do.
 */

/** The first and last full postcode (`NNNNAA`) of a range. */
export function rangeBounds(range: string): { from: string; to: string } {
  const [fromRaw = '', toRaw] = range.split('-');
  return { from: full(fromRaw, 'AA'), to: full(toRaw ?? fromRaw, 'ZZ') };
}

/** True when the postcode (`digits` and maybe `letters`) lies in the range; digits alone match any overlap. */
export function rangeContains(range: string, postcode: { digits: string; letters?: string }): boolean {
  const { from, to } = rangeBounds(range);
  if (!postcode.letters) return postcode.digits >= from.slice(0, 4) && postcode.digits <= to.slice(0, 4);
  const value = postcode.digits + postcode.letters;
  return value >= from && value <= to;
}

/** True when every postcode of `inner` lies in `outer`. */
export function rangeWithin(inner: string, outer: string): boolean {
  const a = rangeBounds(inner);
  const b = rangeBounds(outer);
  return a.from >= b.from && a.to <= b.to;
}

function full(bound: string, fill: string): string {
  return bound.length === 4 ? bound + fill : bound;
}
