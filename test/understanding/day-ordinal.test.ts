import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read, type Reading } from '../../src/understanding/matcher.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';
import { stepAt } from './steps.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));

const label = (r: Reading) => (r.kind === 'choice' ? r.id : r.kind);

/** Six free times, one of them on the 5th, as the second button; then "later" and "stop". */
function times(lang: 'nl' | 'en') {
  const labels = {
    nl: [
      'vr 4 dec, 09:00',
      'za 5 dec, 10:00',
      'di 8 dec, 13:00',
      'di 8 dec, 16:00',
      'wo 9 dec, 19:30',
      'do 10 dec, 10:00',
    ],
    en: [
      'Fri 4 Dec, 09:00',
      'Sat 5 Dec, 10:00',
      'Tue 8 Dec, 13:00',
      'Tue 8 Dec, 16:00',
      'Wed 9 Dec, 19:30',
      'Thu 10 Dec, 10:00',
    ],
  }[lang];
  return {
    kind: 'choice' as const,
    choices: [
      ...labels.map((l, i) => ({ id: `slot:${i + 1}`, label: `${l} (chat)` })),
      { id: 'later', label: lang === 'nl' ? 'Latere tijden' : 'Later times' },
      { id: 'stop', label: lang === 'nl' ? 'Stoppen' : 'Stop' },
    ],
  };
}

// Regression: "de 5e" at a list of free times picked the fifth button (Wednesday 9 December), where
// a time on Saturday 5 December was shown: in a list of dates people write the day of the month so.
describe('an ordinal in digits at a list of dates ("de 5e")', () => {
  it.each([
    ['nl', 'de 5e', 'slot:2'],
    ['nl', '5e', 'slot:2'],
    ['nl', 'de 5de', 'slot:2'],
    ['nl', 'de 10e', 'slot:6'],
    ['en', 'the 5th', 'slot:2'],
    ['en', '5th', 'slot:2'],
    // Two times on the 8th: no one choice, asked again rather than guessed.
    ['nl', 'de 8e', 'unclear'],
    // No time on the 3rd: the third button, as before.
    ['nl', 'de 3e', 'slot:3'],
    ['en', 'the 3rd', 'slot:3'],
    // An ordinal in words stays a place in the list.
    ['nl', 'de vijfde', 'slot:5'],
    ['en', 'the fifth', 'slot:5'],
  ] as const)('[%s] "%s" is %s', (lang, text, want) => {
    expect(label(read(vocab, text, times(lang)))).toBe(want);
  });

  it('is the fifth button where no time on the 5th is shown (the corpus slots: 4, 8 and 9 December)', () => {
    for (const lang of ['nl', 'en'] as const) {
      const slots = stepAt('book.slot', lang);
      expect(label(read(vocab, lang === 'nl' ? 'de 5e' : 'the 5th', slots))).toBe('slot:5');
      expect(label(read(vocab, lang === 'nl' ? 'de 9e' : 'the 9th', slots))).toBe('slot:5');
      expect(label(read(vocab, lang === 'nl' ? 'de 4e' : 'the 4th', slots))).toBe('unclear');
    }
  });

  it('is a place in a list without dates (the aldermen)', () => {
    expect(label(read(vocab, 'de 2e', stepAt('book.choose-alderman', 'nl')))).toBe(
      'alderman:mohamed-el-amrani',
    );
  });
});
