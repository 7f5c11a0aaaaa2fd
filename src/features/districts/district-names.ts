/** Lower case, no accents, every run of other characters one space ("Rijswijk-Buiten" → "rijswijk buiten"). */
function plain(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Endings a district's name shares between areas it lists: "Bomen- en Bloemenbuurt" is two buurten. */
const SHARED_ENDINGS = ['buurt', 'kwartier', 'wijk', 'dorp', 'park', 'polder', 'veld', 'laan', 'hof'];

/**
 * The names a district goes by: its whole name, and each area a name lists with commas or "en"
 * ("Muziekbuurt, Cluis en Eelaart": also "Cluis"). A first half cut short takes the ending of the
 * next ("Bomen- en Bloemenbuurt": also "Bomenbuurt"); nothing under 4 letters counts.
 */
function namesOf(name: string): string[] {
  const parts = name.split(/,|\s+(?:en|and)\s+/u).map((p) => p.trim());
  const whole = parts.map((p, i) => {
    if (!p.endsWith('-')) return p;
    const next = plain(parts[i + 1] ?? '');
    const ending = SHARED_ENDINGS.find((e) => next.endsWith(e) && next.length > e.length);
    return ending ? `${p.slice(0, -1)}${ending}` : '';
  });
  return [...new Set([name, ...whole].map(plain))].filter((p) => p.length >= 4);
}

/**
 * A typed word is a long one-word name with one letter wrong, missing, extra or two swapped
 * ("rembrandkwartier"); short names must be typed right ("Cluis" is no "Cluys").
 */
function nearly(word: string, name: string): boolean {
  if (name.length < 8 || name.includes(' ') || Math.abs(word.length - name.length) > 1) return false;
  if (word === name) return true;
  let i = 0;
  while (i < word.length && word[i] === name[i]) i++;
  const rest = (a: number, b: number) => word.slice(a) === name.slice(b);
  const swapped = word[i] === name[i + 1] && word[i + 1] === name[i] && rest(i + 2, i + 2);
  return rest(i + 1, i + 1) || rest(i, i + 1) || rest(i + 1, i) || swapped;
}

/**
 * The one district a text names as whole words ("ik woon in Rijswijk-Buiten", "in de Muziekbuurt",
 * "te werve", "de bomenbuurt"), or a long name with one typo; undefined when it names none, or more
 * than one. "Rijswijk" alone names no district ("Oud Rijswijk" and "Rijswijk-Buiten" are whole names).
 */
export function districtNamedIn(
  districts: readonly { id: string; name: string }[],
  text: string,
): string | undefined {
  const typed = ` ${plain(text)} `;
  const words = typed.trim().split(' ');
  const exact = districts.filter((d) => namesOf(d.name).some((n) => typed.includes(` ${n} `)));
  if (exact.length) return exact.length === 1 ? exact[0]?.id : undefined;
  const near = districts.filter((d) => namesOf(d.name).some((n) => words.some((w) => nearly(w, n))));
  return near.length === 1 ? near[0]?.id : undefined;
}
