import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read, type Reading } from '../../src/understanding/matcher.js';
import { sameWord, tokenize } from '../../src/understanding/tokens.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';
import { stepAt } from './steps.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));

const label = (r: Reading) =>
  r.kind === 'intent' ? `intent:${r.intent}` : r.kind === 'choice' ? `choice:${r.id}` : r.kind;

// Regression: "ana" picked the alderman Anna de Vries. A word under 4 letters takes no typo
// (`allowedEdits`), but a doubled letter typed once was half an edit for any word of 3 letters, so
// "ana" was "Anna", "wet" (law) "weet" and "gat" (hole) "gaat". Only a word typed with 4 letters or
// more is read as another with a doubled letter ("menuu", "wiss", "Annna").
describe('a word of 3 letters is never a typo of a longer one', () => {
  it.each([
    ['book.choose-alderman', 'ana', 'unclear'],
    ['book.choose-alderman', 'Ana', 'unclear'],
    ['book.choose-alderman', 'Anna', 'choice:alderman:anna-de-vries'],
    ['book.choose-alderman', 'annna', 'choice:alderman:anna-de-vries'],
    ['book.choose-alderman', 'anna graag', 'choice:alderman:anna-de-vries'],
  ] as const)('at %s "%s" is %s', (at, text, want) => {
    expect(label(read(vocab, text, stepAt(at, 'nl')))).toBe(want);
  });

  it('a label word is not reached by 3 letters with its doubled letter typed once', () => {
    expect(sameWord('ana', 'anna')).toBe(false);
    expect(sameWord('pol', 'poll')).toBe(false);
    expect(sameWord('annna', 'anna')).toBe(true);
    expect(sameWord('menuu', 'menu')).toBe(true);
  });

  // Every vocabulary word of 4 letters with a doubled letter ("laat", "weet", "gaat"), typed with it once.
  const doubled = [...vocab.known].filter((w) => /^[a-z]{4}$/.test(w) && /(.)\1/.test(w));
  it('holds for every vocabulary word of 4 letters with a doubled letter', () => {
    expect(doubled.length).toBeGreaterThan(5);
    for (const w of doubled) {
      const short = w.replace(/(.)\1/, '$1');
      if (vocab.known.has(short)) continue;
      expect([...(tokenize(vocab, short)[0]?.hits ?? [])], `${short} for ${w}`).not.toContain(w);
    }
  });

  it('a word of 4 letters or more still takes a doubled letter', () => {
    const hits = (text: string) => [...(tokenize(vocab, text)[0]?.hits ?? [])];
    expect(hits('menuu')).toContain('menu');
    expect(hits('wiss')).toContain('wis');
    expect(hits('afsprak')).toContain('afspraak');
  });
});
