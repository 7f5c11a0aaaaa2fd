import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { understand } from '../../src/understanding/matcher.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));
const wishOf = (text: string) => understand(vocab, text).timeWish;

describe('what a message asks of a time (readTimeWish)', () => {
  it.each([
    ['heeft u ook iets op dinsdag?', { weekdays: [2] }],
    ['dinsdag of donderdag', { weekdays: [2, 4] }],
    ['op dinsdagen', { weekdays: [2] }],
    ['Thursdays please', { weekdays: [4] }],
    ["liever 's avonds", { dayPart: 'evening' }],
    ['in the morning', { dayPart: 'morning' }],
    ['woensdagavond', { weekdays: [3], dayPart: 'evening' }],
    ['tuesday afternoon', { weekdays: [2], dayPart: 'afternoon' }],
    ['heeft u iets in januari', { month: 1 }],
    ['kan het op 22 december?', { month: 12, day: 22 }],
    ['op 3 mei', { month: 5, day: 3 }],
    ['telefonisch graag', { kind: 'phone' }],
    ['kan het ook op het raadhuis', { kind: 'town-hall' }],
    ['by phone on a friday morning', { weekdays: [5], dayPart: 'morning', kind: 'phone' }],
    // Regression: what is ruled out, and a bound, were read as the wish itself.
    ['niet in december', { not: { month: 12 } }],
    ['9 december kan ik niet', { not: { month: 12, day: 9 } }],
    ["I can't do the 9th of December", { not: { month: 12, day: 9 } }],
    ['liever niet op de 9e december', { not: { month: 12, day: 9 } }],
    ['9 dec gaat niet, liever 10 dec', { month: 12, day: 10, not: { month: 12, day: 9 } }],
    ['dinsdag niet, wel donderdag', { weekdays: [4], not: { weekdays: [2] } }],
    ['geen ochtend', { not: { dayPart: 'morning' } }],
    ['na 30 december', { month: 12, day: 30, bound: 'after' }],
    ['after the 30th of December', { month: 12, day: 30, bound: 'after' }],
    ['vanaf januari', { month: 1, bound: 'from' }],
    ['voor 20 december graag', { month: 12, day: 20, bound: 'before' }],
    ['nee, liever op dinsdag', { weekdays: [2] }],
    ['kan het eerder?', { earlier: true }],
  ])('"%s" → %j', (text, wish) => {
    expect(wishOf(text)).toEqual(wish);
  });

  it.each([
    'geen van deze',
    'morgen',
    // A day a word only implies (today, tomorrow) is no weekday; "mei" alone is a word, not a month.
    'vanavond',
    'morgenochtend',
    'mei',
    'ja graag',
  ])('"%s" asks nothing of a time the list can look for', (text) => {
    expect(wishOf(text)?.weekdays).toBeUndefined();
    expect(wishOf(text)?.month).toBeUndefined();
    expect(wishOf(text)?.kind).toBeUndefined();
  });

  it('a message about no time has no wish at all', () => {
    expect(wishOf('ik heb een vraag over de stoep')).toBeUndefined();
  });
});
