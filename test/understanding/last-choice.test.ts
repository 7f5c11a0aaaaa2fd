import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read, type Reading } from '../../src/understanding/matcher.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';
import { stepAt } from './steps.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));

const label = (r: Reading) =>
  r.kind === 'intent' ? `intent:${r.intent}` : r.kind === 'choice' ? `choice:${r.id}` : r.kind;

// Regression: "de laatste" (the last one) at the free times picked the last button, "Stoppen", and
// the booking was called off ("Goed, ik maak geen afspraak."); at a split postcode it was "Andere
// postcode". The last is the last of what the list offers, not the way out after it.
describe('"de laatste" is the last of the list, not the way out after it', () => {
  it.each([
    ['book.slot', 'nl', 'de laatste', 'choice:slot:5'],
    ['book.slot', 'nl', 'de laatste graag', 'choice:slot:5'],
    ['book.slot', 'en', 'the last one', 'choice:slot:5'],
    ['district.which', 'nl', 'de laatste', 'choice:district:stationskwartier'],
    ['book.choose-alderman', 'nl', 'de laatste', 'choice:alderman:fatma-yilmaz'],
    ['menu', 'nl', 'de laatste', 'choice:language'],
    ['appointments.pick', 'nl', 'de laatste', 'choice:menu'],
    ['book.slot', 'nl', 'de eerste', 'choice:slot:1'],
  ] as const)('at %s [%s] "%s" is %s', (at, lang, text, want) => {
    expect(label(read(vocab, text, stepAt(at, lang)))).toBe(want);
  });
});
