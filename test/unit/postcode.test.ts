import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inAreas, lookupDistrict, parsePostcode } from '../../src/features/districts/postcode.js';
import { loadMunicipality } from '../../src/municipality/municipality.js';

const m = loadMunicipality('data');

describe('parsePostcode', () => {
  it.each([
    ['2282ab', { digits: '2282', letters: 'AB' }],
    ['2282 AB', { digits: '2282', letters: 'AB' }],
    [' 2282AB ', { digits: '2282', letters: 'AB' }],
    ['mijn postcode is 2288 gd.', { digits: '2288', letters: 'GD' }],
    ['2285', { digits: '2285' }],
    ['2282-AB', { digits: '2282', letters: 'AB' }],
    ['Mijn postcode: 2286 - KL', { digits: '2286', letters: 'KL' }],
  ])('reads %j', (text, expected) => expect(parsePostcode(text)).toEqual(expected));

  it.each(['hallo', '0123 AB', '22822 AB', '12', ''])('finds no postcode in %j', (text) =>
    expect(parsePostcode(text)).toBeNull(),
  );
});

describe('lookupDistrict on the Rijswijk example data', () => {
  it('maps a postcode to its one district', () => {
    const r = lookupDistrict({ digits: '2288', letters: 'GD' }, m.districts);
    expect(r.kind === 'found' && r.district.id).toBe('rijswijk-buiten');
  });
  it('splits an area by letters', () => {
    const a = lookupDistrict({ digits: '2284', letters: 'AB' }, m.districts);
    const b = lookupDistrict({ digits: '2284', letters: 'LB' }, m.districts);
    expect(a.kind === 'found' && a.district.id).toBe('havenkwartier');
    expect(b.kind === 'found' && b.district.id).toBe('stationskwartier');
  });
  it('asks when an area belongs to two districts', () => {
    const r = lookupDistrict({ digits: '2285', letters: 'XY' }, m.districts);
    expect(r.kind === 'ambiguous' && r.districts.map((d) => d.id)).toEqual(['te-werve', 'welgelegen']);
  });
  it('asks when only the digits of a split area are known', () => {
    expect(lookupDistrict({ digits: '2284' }, m.districts).kind).toBe('ambiguous');
  });
  it('says a postcode elsewhere is outside', () => {
    expect(lookupDistrict({ digits: '1011', letters: 'AB' }, m.districts).kind).toBe('outside');
    expect(inAreas({ digits: '1011' }, m.postcodeAreas)).toBe(false);
    expect(inAreas({ digits: '2289' }, m.postcodeAreas)).toBe(true);
  });
  it('ships 11 districts covering 2280-2289, each with an alderman', () => {
    expect(m.districts).toHaveLength(11);
    for (let d = 2280; d <= 2289; d++)
      expect(lookupDistrict({ digits: String(d) }, m.districts).kind).not.toBe('outside');
  });
});

describe('the districts of a municipality', () => {
  /** A copy of data/ whose first district also claims `range`. */
  const dataWithRange = (range: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'spreekuur-districts-'));
    cpSync('data', dir, { recursive: true });
    const file = join(dir, 'districts.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as { districts: { postcodes: string[] }[] };
    data.districts[0]?.postcodes.push(range);
    writeFileSync(file, JSON.stringify(data));
    return dir;
  };

  it('accepts postcodes inside the municipality postcode areas', () => {
    expect(() => loadMunicipality(dataWithRange('2289ZA-2289ZZ'))).not.toThrow();
  });

  it.each(['2290', '2279AA-2280ZZ', '1234AB'])(
    'refuses %s, outside the postcode areas, naming the field',
    (range) => {
      expect(() => loadMunicipality(dataWithRange(range))).toThrow(
        new RegExp(
          `districts\\.json: districts\\[0\\]\\.postcodes\\[\\d+\\]: ${range} lies outside the municipality's postcode areas \\(2280-2289`,
        ),
      );
    },
  );
});
