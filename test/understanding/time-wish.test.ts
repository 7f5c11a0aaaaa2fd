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
