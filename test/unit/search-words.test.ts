import { describe, expect, it } from 'vitest';
import { queryWords, searchText, stemDutch } from '../../src/shared/search-words.js';

describe('search words', () => {
  it('lowercases, strips diacritics and drops Dutch stop words', () => {
    expect(searchText('Het Café op de Hoek, één ÉÉN naïef')).toBe('cafe hoek naief');
    expect(queryWords('de het een van')).toEqual([]);
  });

  it('folds plurals and vowel length to one stem', () => {
    const same = [
      ['boom', 'bomen'],
      ['straat', 'straten'],
      ['vuilnisbak', 'vuilnisbakken'],
      ['lantaarnpaal', 'lantaarnpalen'],
      ['container', 'containers'],
      ['mogelijkheid', 'mogelijkheden'],
    ];
    for (const [one, many] of same) expect(stemDutch(many!)).toBe(stemDutch(one!));
    expect(stemDutch('park')).toBe('park');
    expect(stemDutch('12')).toBe('12');
  });

  it('gives only lowercase ASCII letters and digits separated by single spaces', () => {
    const texts = [
      'mail@example.nl https://rijswijk.nl/afval?x=1 CO2-uitstoot 1e5 v1.2.3 06-12345678 ß Ωmega straße',
      '<script>alert(1)</script> "quotes" AND OR NOT * ^ :',
    ];
    for (const text of texts) expect(searchText(text)).toMatch(/^([a-z0-9]+( [a-z0-9]+)*)?$/);
  });

  it('keeps at most 12 distinct words of a query', () => {
    expect(queryWords('park park park')).toEqual(['park']);
    expect(queryWords(Array.from({ length: 20 }, (_, i) => `w${i}x`).join(' '))).toHaveLength(12);
  });
});
