import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { understand } from '../../src/understanding/matcher.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));
const changeOf = (text: string) => understand(vocab, text).change;

describe('what a message asks to do with an appointment (changeAsked)', () => {
  it.each([
    ['ik wil mijn afspraak afzeggen', 'cancel'],
    ['Kan ik de afspraak annuleren?', 'cancel'],
    ['please cancel my appointment', 'cancel'],
    ['kan ik mijn afspraak verzetten naar januari?', 'move'],
    ['afspraak verplaatsen', 'move'],
    ['can I reschedule?', 'move'],
  ] as const)('"%s" → %s', (text, change) => {
    expect(changeOf(text)).toBe(change);
  });

  it.each([
    'mijn afspraken',
    'afzeggen of verzetten?',
    'ik wil mijn afspraak niet afzeggen',
    'ik kom er niet uit',
  ])('"%s" asks neither one thing nor the other', (text) => {
    expect(changeOf(text)).toBeUndefined();
  });
});
