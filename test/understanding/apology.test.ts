import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read, type Reading } from '../../src/understanding/matcher.js';
import { loadVocabulary, SOCIAL } from '../../src/understanding/vocabulary.js';
import { stepAt } from './steps.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));

const label = (r: Reading) =>
  r.kind === 'intent' ? `intent:${r.intent}` : r.kind === 'choice' ? `choice:${r.id}` : r.kind;

// Regression: "vergeven mij" (forgive me, as residents write it) opened "Mijn afspraken": "vergeven"
// was two letters from "verzetten" (move an appointment), so it was read as that. "vergeef me" and
// "sorry, vergeef me" were "Sorry, dat begrijp ik niet goed" and the menu. An apology is now a
// social intent of its own, as a greeting or thanks is: it starts no flow.
describe('an apology ("sorry", "vergeef me") is an apology, not a flow', () => {
  it('is a social intent, as greetings and thanks are', () => {
    expect(SOCIAL).toContain('apology');
  });

  it.each([
    ['vergeven mij', 'nl'],
    ['Vergeven me', 'nl'],
    ['vergeef me', 'nl'],
    ['vergeef mij', 'nl'],
    ['sorry, vergeef me', 'nl'],
    ['sorry', 'nl'],
    ['Excuses!', 'nl'],
    ['het spijt me', 'nl'],
    ['neem me niet kwalijk', 'nl'],
    ['forgive me', 'en'],
    ['sorry, my bad', 'en'],
    ['my apologies', 'en'],
  ] as const)('"%s" is an apology at the menu and idle, never a flow', (text, lang) => {
    expect(label(read(vocab, text, stepAt('idle', lang)))).toBe('intent:apology');
    expect(label(read(vocab, text, stepAt('menu', lang)))).toBe('intent:apology');
  });

  it.each([
    ['sorry, ik wil een afspraak maken', 'intent:book'],
    ['sorry, mijn afspraak verzetten', 'intent:my-appointments'],
    ['excuses, ik heb een vraag', 'intent:ask'],
    ['vergeet mij', 'intent:erase-data'],
    ['afspraak verzetten', 'intent:my-appointments'],
  ])('"%s" still says what else it says: %s', (text, want) => {
    expect(label(read(vocab, text, stepAt('idle', 'nl')))).toBe(want);
  });

  it('is no yes or no at a yes/no question: "sorry, nee" is the no, "sorry" alone is asked again', () => {
    expect(label(read(vocab, 'sorry, nee', stepAt('book.confirm', 'nl')))).toBe('choice:stop');
    expect(label(read(vocab, 'sorry ja', stepAt('district.remember', 'nl')))).toBe('choice:yes');
    expect(label(read(vocab, 'sorry', stepAt('book.confirm', 'nl')))).toBe('intent:apology');
  });

  it('a word near "vergeven" is not it: "ik wil een afmelding doorgeven" is still not understood', () => {
    expect(label(read(vocab, 'ik wil een afmelding doorgeven', stepAt('idle', 'nl')))).toBe('unclear');
  });
});
