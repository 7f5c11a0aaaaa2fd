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

// Regression: a resident who invites the alderman ("kan de wethouder een keer langskomen in onze
// straat?") was read as a booking ("wethouder tijd") or as "who is my alderman" ("wethouder"). An
// invitation is a request the alderman answers: a question, with the sentence as its text. Coming
// to the alderman stays a booking, also as a separable verb ("ik kom graag langs bij de wethouder").
describe('an invitation for the alderman is a question; visiting the alderman is a booking', () => {
  it.each([
    ['nl', 'heeft de wethouder tijd om langs te komen bij ons buurthuis'],
    ['nl', 'kan de wethouder een keer langskomen in onze straat'],
    ['nl', 'wil de wethouder op bezoek komen bij onze vereniging'],
    ['nl', 'ik wil de wethouder uitnodigen voor ons straatfeest'],
    ['nl', 'Wij willen de wethouder graag een uitnodiging sturen'],
    ['en', 'could the alderman come and visit our community centre'],
    ['en', 'I would like to invite the alderman to our street party'],
  ] as const)('[%s] "%s" asks a question', (lang, text) => {
    expect(intentAtMenu(lang, text)).toBe('ask');
  });

  it.each([
    ['nl', 'ik kom graag langs bij de wethouder'],
    ['nl', 'kan ik langskomen'],
    ['nl', 'mag ik een keer langskomen bij de wethouder'],
    ['nl', 'heeft de wethouder tijd voor mij'],
    ['en', 'can I come and visit the alderman'],
    ['en', 'I want to visit the alderman'],
  ] as const)('[%s] "%s" books', (lang, text) => {
    expect(intentAtMenu(lang, text)).toBe('book');
  });
});
