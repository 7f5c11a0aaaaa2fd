import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/understanding/matcher.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';
import { stepAt } from './steps.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));

const intentAtMenu = (lang: 'nl' | 'en', text: string) => {
  const r = read(vocab, text, stepAt('idle', lang));
  return r.kind === 'intent' ? r.intent : r.kind;
};

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
