/** Lower case, no accents, every run of other characters one space ("Rijswijk-Buiten" → "rijswijk buiten"). */
function plain(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The names a district goes by: its whole name, and each area a name lists with commas or "en"
 * ("Muziekbuurt, Cluis en Eelaart": also "Cluis"). A first half cut short ("Bomen-" in "Bomen- en
 * Bloemenbuurt") is no name of its own, nor anything under 4 letters.
 */
function namesOf(name: string): string[] {
  const parts = name.split(/,|\s+(?:en|and)\s+/u).filter((p) => !p.trim().endsWith('-'));
  return [...new Set([name, ...parts].map(plain))].filter((p) => p.length >= 4);
}

/**
 * The one district a text names as whole words ("ik woon in Rijswijk-Buiten", "in de Muziekbuurt",
 * "te werve"); undefined when it names none, or more than one. "Rijswijk" alone names no district
 * ("Oud Rijswijk" and "Rijswijk-Buiten" are whole names).
 */
export function districtNamedIn(
  districts: readonly { id: string; name: string }[],
  text: string,
): string | undefined {
  const typed = ` ${plain(text)} `;
  const named = districts.filter((d) => namesOf(d.name).some((n) => typed.includes(` ${n} `)));
  return named.length === 1 ? named[0]?.id : undefined;
}
