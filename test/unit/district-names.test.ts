import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { districtNamedIn } from '../../src/features/districts/district-names.js';
import { loadMunicipality } from '../../src/municipality/municipality.js';

const { districts } = loadMunicipality(join(import.meta.dirname, '../../data'));

// Regression: "ik woon in Rijswijk-Buiten" at "Wat is uw postcode?" got "Dat lijkt geen postcode";
// only the exact name alone was taken.
describe('the district a resident names in words (districtNamedIn)', () => {
  it.each([
    ['ik woon in Rijswijk-Buiten', 'rijswijk-buiten'],
    ['rijswijk buiten', 'rijswijk-buiten'],
    ['In de Muziekbuurt.', 'muziekbuurt'],
    ['Cluis', 'muziekbuurt'],
    ['te werve', 'te-werve'],
    ['Oud Rijswijk', 'oud-rijswijk'],
    ['ik woon in de Bloemenbuurt', 'bomen-en-bloemenbuurt'],
    ['Leeuwendaal', 'leeuwendaal'],
    // Regression: the first half of "Bomen- en Bloemenbuurt" and a long name with one typo were not read.
    ['ik woon in de bomenbuurt', 'bomen-en-bloemenbuurt'],
    ['rembrandkwartier', 'rembrandtkwartier'],
    ['in het havenkwatier', 'havenkwartier'],
    ['leeuwendal', 'leeuwendaal'],
  ])('"%s" → %s', (text, id) => {
    expect(districtNamedIn(districts, text)).toBe(id);
  });

  it.each([
    // The municipality's own name is no district; nor is a half cut short ("Bomen-"), or two districts.
    'ik woon in Rijswijk',
    'bomen',
    'Muziekbuurt of Te Werve',
    'de weg naar Werve',
    '2282 AB',
    // A short name needs its letters right, and a typo near two names is neither.
    'cluys',
    'muziekbuur of havenkwartie',
  ])('"%s" names no one district', (text) => {
    expect(districtNamedIn(districts, text)).toBeUndefined();
  });
});
