import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/understanding/matcher.js';
import { tokenize } from '../../src/understanding/tokens.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';
import { stepAt } from './steps.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));

const intentAtMenu = (lang: 'nl' | 'en', text: string) => {
  const r = read(vocab, text, stepAt('idle', lang));
  return r.kind === 'intent' ? r.intent : r.kind;
};

// Regressions from a resident's walkthrough (December 2026): sentences read as the wrong thing.
describe('sentences from a walkthrough, read at the menu', () => {
  // "melding" and "klacht" were only the ask intent: asking after one opened a new question.
  it.each([
    ['nl', 'hoe staat het met mijn melding'],
    ['nl', 'ik heb een melding gedaan maar hoor niks'],
    ['nl', 'hoe staat het met mijn klacht'],
    ['en', 'I made a report but heard nothing'],
  ] as const)('[%s] "%s" asks after their questions', (lang, text) => {
    expect(intentAtMenu(lang, text)).toBe('my-questions');
  });

  it.each([
    ['nl', 'ik wil een melding maken'],
    ['nl', 'ik heb een klacht over de buren'],
    ['en', 'I want to report a broken lamp post'],
  ] as const)('[%s] "%s" still asks a question', (lang, text) => {
    expect(intentAtMenu(lang, text)).toBe('ask');
  });

  // "boer" was read as a typo of "boek": "goedemorgen, met jan de boer" started a booking.
  it('a plain word is no typo of a vocabulary word: "met Jan de Boer" greets, "boke" still books', () => {
    expect(intentAtMenu('nl', 'goedemorgen, met jan de boer')).toBe('greeting');
    expect([...(tokenize(vocab, 'boer')[0]?.hits ?? [])]).toEqual(['boer']);
    expect(vocab.destructive).not.toContain('boer');
    expect(intentAtMenu('nl', 'boke')).toBe('book');
  });
});
