import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read, type Reading } from '../../src/understanding/matcher.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';
import { stepAt } from './steps.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));

const label = (r: Reading) =>
  r.kind === 'choice' ? r.id : r.kind === 'intent' ? `intent:${r.intent}` : r.kind;
const at = (step: string, lang: 'nl' | 'en') => (text: string) =>
  label(read(vocab, text, stepAt(step, lang)));

/** English slots with one of each part of the day on its own day. */
const DAYS = {
  kind: 'choice' as const,
  choices: [
    { id: 'slot:1', label: 'Fri, Dec 4, 09:00 (chat)' },
    { id: 'slot:2', label: 'Tue, Dec 8, 13:00 (chat)' },
    { id: 'slot:3', label: 'Wed, Dec 9, 19:30 (chat)' },
  ],
};

// The slots of test/understanding/steps.ts: Fri 09:00 and 09:50, Tue 13:00 and 16:00, Wed 19:30.
describe('a time or a part of the day picks a slot only when it fits one', () => {
  // Regression: "7:30 am" and "9:50 pm" picked 19:30 and 09:50 (am and pm were ignored after minutes).
  it.each([
    ['7:30 pm', 'slot:5'],
    ['7.30pm', 'slot:5'],
    ['9:50 am', 'slot:2'],
    ['at 1 p.m.', 'slot:3'],
    ['4 pm', 'slot:4'],
    ['7:30 am', 'unclear'],
    ['9:50 pm', 'unclear'],
    ['12 pm', 'unclear'],
    ['at 3pm', 'unclear'],
  ])('English "%s" is %s', (text, want) => {
    expect(at('book.slot', 'en')(text)).toBe(want);
  });

  // Regression: "woensdagochtend" picked Wednesday 19:30 (the "wo" of its label), "dinsdag 9 uur"
  // Friday 09:00 (the time alone counted), and "dinsdagmiddag", "woensdag 's avonds" were not read.
  it.each([
    ['woensdagavond', 'slot:5'],
    ["woensdag 's avonds", 'slot:5'],
    ['dinsdagmiddag om 4 uur', 'slot:4'],
    ["4 uur 's middags", 'slot:4'],
    ['woensdagochtend', 'unclear'],
    ['dinsdagmiddag', 'unclear'],
    ['vrijdagmiddag', 'unclear'],
    ['dinsdag 9 uur', 'unclear'],
    // Regression: "do 17 dec 16:00" at a list of Tuesday 8 December picked Tuesday 16:00, a date
    // the resident never named; the dates shown still pick.
    ['do 17 dec 16:00', 'unclear'],
    ['17 december om 16:00', 'unclear'],
    ['8 dec 16:00', 'slot:4'],
    ['dinsdag 8 december om 16:00', 'slot:4'],
    ['vanavond', 'unclear'],
    ['morgenochtend', 'unclear'],
  ])('Dutch "%s" is %s', (text, want) => {
    expect(at('book.slot', 'nl')(text)).toBe(want);
  });

  it('a day with a part of the day picks the one slot it fits; a greeting is no part of the day', () => {
    const pick = (text: string) => label(read(vocab, text, DAYS));
    expect(pick('Friday morning')).toBe('slot:1');
    expect(pick('Tuesday afternoon')).toBe('slot:2');
    expect(pick('good morning, Wednesday evening please')).toBe('slot:3');
    expect(pick('good morning')).toBe('intent:greeting');
    expect(pick('morning')).toBe('intent:greeting');
  });
});

describe('words that work everywhere, and names in a sentence, at a step that offers them', () => {
  // Regression: "opnieuw beginnen" at "Klopt uw vraag?" was the start word: the menu, and the
  // question being written was dropped, where "Nee, opnieuw schrijven" was offered.
  it('"opnieuw beginnen", "start over" write the question again where that is offered', () => {
    expect(at('ask.confirm', 'nl')('opnieuw beginnen')).toBe('restart');
    expect(at('ask.confirm', 'en')('start over')).toBe('restart');
    expect(at('propose.confirm', 'en')('I want to start over')).toBe('restart');
    // Elsewhere it is still the start word (the menu).
    expect(at('idle', 'nl')('opnieuw beginnen')).toBe('intent:start');
    expect(at('book.slot', 'nl')('opnieuw beginnen')).toBe('intent:start');
  });

  // Regression: "ik woon in het stationskwartier" at the list of districts was not understood.
  it('a district, alderman or topic named in a sentence is that choice; not with a "niet"', () => {
    expect(at('district.which', 'nl')('ik woon in de muziekbuurt')).toBe('district:muziekbuurt');
    expect(at('district.which', 'en')('I live in Havenkwartier')).toBe('district:havenkwartier');
    expect(at('book.choose-alderman', 'nl')('ik wil graag met Pieter praten')).toBe('alderman:pieter-jansen');
    expect(at('ask.topic', 'nl')('mijn vraag gaat over afval')).toBe('topic:afval');
    expect(at('district.which', 'nl')('ik woon niet in het havenkwartier')).toBe('unclear');
    expect(at('district.which', 'nl')('havenkwartier of stationskwartier')).toBe('unclear');
    // An action beside the list is no name: "nieuwe postcode", "een ander onderwerp kiezen".
    expect(at('district.which', 'nl')('ik heb een nieuwe postcode')).toBe('unclear');
    expect(at('book.confirm', 'nl')('kan ik een ander onderwerp kiezen')).toBe('unclear');
  });
});
