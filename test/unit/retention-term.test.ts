import { describe, expect, it } from 'vitest';
import { formatTerm, retentionTerm } from '../../src/i18n/format.js';

/** The privacy notice and "mijn gegevens" say how long data is kept in words a resident reads. */
describe('retention terms', () => {
  // Regression: the notice said "730 dagen" and "365 dagen" where residents read "2 jaar", "1 jaar".
  it('says whole years in years, in Dutch and in English', () => {
    expect(formatTerm(730, 'nl')).toBe('2 jaar');
    expect(formatTerm(365, 'nl')).toBe('1 jaar');
    expect(formatTerm(730, 'en')).toBe('2 years');
    expect(formatTerm(365, 'en')).toBe('1 year');
  });

  it('keeps short terms and terms that are no whole year or month in days', () => {
    expect(formatTerm(90, 'nl')).toBe('90 dagen');
    expect(formatTerm(90, 'en')).toBe('90 days');
    expect(formatTerm(1, 'nl')).toBe('1 dag');
    expect(formatTerm(1, 'en')).toBe('1 day');
    expect(formatTerm(400, 'nl')).toBe('400 dagen');
    expect(formatTerm(366, 'en')).toBe('366 days');
  });

  it('says whole months of another municipality’s longer terms in months', () => {
    expect(formatTerm(180, 'nl')).toBe('6 maanden');
    expect(formatTerm(180, 'en')).toBe('6 months');
    expect(formatTerm(390, 'nl')).toBe('13 maanden');
  });

  it('counts a year as 365 days and a month as 30, exactly', () => {
    const days = { year: 365, month: 30, day: 1 };
    for (let d = 1; d <= 3650; d += 1) {
      const { count, unit } = retentionTerm(d);
      expect(count * days[unit]).toBe(d);
      expect(Number.isInteger(count)).toBe(true);
    }
  });
});
