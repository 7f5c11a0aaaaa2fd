import { describe, expect, it } from 'vitest';
import { formatDate } from '../../src/i18n/format.js';

const ZONE = 'Europe/Amsterdam';
const now = new Date('2026-12-04T10:00:00Z');

describe('formatDate', () => {
  it('writes a date this year without the year, in Dutch and in English', () => {
    const at = new Date('2026-12-17T15:30:00Z');
    expect(formatDate(at, 'nl', ZONE, now)).toBe('donderdag 17 december');
    expect(formatDate(at, 'en', ZONE, now)).toBe('Thursday 17 December');
  });

  // Regression: "Tuesday, 5 January 2027" beside "Thursday 17 December" in the same booking chat.
  it('writes a date of another year with the year, the English one without a comma after the weekday', () => {
    const at = new Date('2027-01-05T18:00:00Z');
    expect(formatDate(at, 'nl', ZONE, now)).toBe('dinsdag 5 januari 2027');
    expect(formatDate(at, 'en', ZONE, now)).toBe('Tuesday 5 January 2027');
  });

  it('writes the date in the municipality’s time zone, also across midnight UTC', () => {
    expect(formatDate(new Date('2026-12-31T23:30:00Z'), 'nl', ZONE, now)).toBe('vrijdag 1 januari 2027');
  });
});
