import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatShort } from '../../src/i18n/format.js';
import { read, type Reading } from '../../src/understanding/matcher.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));

const label = (r: Reading) => (r.kind === 'choice' ? `choice:${r.id}` : r.kind);

/** A first page of free times as the booking shows it: four on Thursday 17 December, the fifth on Tuesday 5 January. */
function slots(lang: 'nl' | 'en') {
  const times = [
    Date.UTC(2026, 11, 17, 15, 0),
    Date.UTC(2026, 11, 17, 15, 15),
    Date.UTC(2026, 11, 17, 15, 30),
    Date.UTC(2026, 11, 17, 15, 45),
    Date.UTC(2027, 0, 5, 18, 0), // di 5 jan, 19:00; more that evening after "Latere tijden"
  ];
  return {
    kind: 'choice' as const,
    choices: [
      ...times.map((t, i) => ({
        id: `slot:${i + 1}`,
        label: `${formatShort(new Date(t), lang, 'Europe/Amsterdam')} (chat)`,
      })),
      { id: 'later', label: lang === 'nl' ? 'Latere tijden' : 'Later times' },
      { id: 'stop', means: 'no' as const, label: lang === 'nl' ? 'Stoppen' : 'Stop' },
    ],
  };
}

// Regression: "Jan" (a name, or January) at the free times picked "di 5 jan, 19:00", the one January
// time the first page showed, though more times that evening came after "Latere tijden". A month
// alone names no time: it is asked again ("Welke tijd bedoelt u?"). A day or a time still picks.
describe('a month alone picks no time', () => {
  it.each([
    ['nl', 'Jan', 'unclear'],
    ['nl', 'jan', 'unclear'],
    ['nl', 'januari', 'unclear'],
    ['nl', 'in januari', 'unclear'],
    ['nl', 'jan graag', 'unclear'],
    ['nl', 'dec', 'unclear'],
    ['en', 'Jan', 'unclear'],
    ['en', 'January', 'unclear'],
    ['nl', '5 jan', 'choice:slot:5'],
    ['nl', 'di 5 jan', 'choice:slot:5'],
    ['nl', '5 januari', 'choice:slot:5'],
    ['nl', 'dinsdag', 'choice:slot:5'],
    ['nl', 'dinsdag 5 januari', 'choice:slot:5'],
    ['nl', 'jan 19:00', 'choice:slot:5'],
    ['nl', 'donderdag 16:15', 'choice:slot:2'],
    ['nl', '5', 'choice:slot:5'],
    ['en', '5 Jan', 'choice:slot:5'],
    ['en', 'Tuesday', 'choice:slot:5'],
  ] as const)('[%s] "%s" is %s', (lang, text, want) => {
    expect(label(read(vocab, text, slots(lang)))).toBe(want);
  });

  it('a name that is no month is read as before where no label has a month', () => {
    const aldermen = {
      kind: 'choice' as const,
      choices: [
        { id: 'alderman:anna', label: 'Anna de Vries' },
        { id: 'alderman:pieter', label: 'Pieter Jansen' },
      ],
    };
    expect(label(read(vocab, 'Pieter', aldermen))).toBe('choice:alderman:pieter');
    expect(label(read(vocab, 'Jansen', aldermen))).toBe('choice:alderman:pieter');
  });
});
