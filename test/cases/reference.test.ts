import { describe, expect, it } from 'vitest';
import {
  findReference,
  formatReference,
  normalizeReference,
  parseReference,
} from '../../src/features/cases/reference.js';

describe('formatReference', () => {
  it('pads the number to six digits', () => {
    expect(formatReference('RSW', 2026, 42)).toBe('RSW-2026-000042');
    expect(formatReference('RSW', 2026, 999_999)).toBe('RSW-2026-999999');
  });

  it('grows past six digits instead of wrapping into a duplicate', () => {
    expect(formatReference('RSW', 2026, 1_000_000)).toBe('RSW-2026-1000000');
  });

  it.each([
    ['rsw', 2026, 1],
    ['R', 2026, 1],
    ['RSW', 26, 1],
    ['RSW', 2026, 0],
    ['RSW', 2026, 1.5],
  ])('refuses prefix %s, year %i, number %d', (prefix, year, number) => {
    expect(() => formatReference(prefix, year, number)).toThrow(RangeError);
  });
});

describe('parseReference', () => {
  it.each([
    'RSW-2026-000042',
    'rsw 2026 42',
    '  Rsw-2026-42 ',
    'RSW/2026/000042',
    'RSW.2026.42',
    'RSW2026000042',
    'rsw - 2026 - 0042',
  ])('reads "%s" as RSW-2026-000042', (input) => {
    expect(parseReference(input)).toEqual({ prefix: 'RSW', year: 2026, number: 42 });
    expect(normalizeReference(input, 'RSW')).toBe('RSW-2026-000042');
  });

  it.each([
    '',
    'RSW',
    'RSW-2026',
    'RSW-26-42',
    'RSW-2026-0',
    'RSW-2026-42x',
    'status RSW-2026-42',
    '2026-42',
    'R-2026-42',
    'RSW-2026-1234567890',
  ])('rejects "%s"', (input) => {
    expect(parseReference(input)).toBeNull();
  });

  it("rejects another municipality's prefix when told which one is ours", () => {
    expect(parseReference('DH-2026-42', 'RSW')).toBeNull();
    expect(parseReference('DH-2026-42')).toEqual({ prefix: 'DH', year: 2026, number: 42 });
  });
});

describe('findReference', () => {
  it('finds a reference inside a sentence', () => {
    expect(findReference('status rsw 2026 42 graag')).toBe('RSW-2026-000042');
    expect(findReference('Wat is de status van RSW-2026-000007?', 'RSW')).toBe('RSW-2026-000007');
  });

  it('finds nothing in a sentence without one', () => {
    expect(findReference('mijn vragen')).toBeNull();
    expect(findReference('postcode 2281 AB', 'RSW')).toBeNull();
  });
});
