import { describe, expect, it } from 'vitest';
import {
  findSensitive,
  isBsn,
  isIban,
  maskSensitive,
  pageMasker,
  unmaskFrom,
} from '../../src/features/cases/sensitive.js';

const kinds = (text: string) => findSensitive(text).map((m) => [m.kind, text.slice(m.start, m.end)]);

describe('BSN, IBAN and phone numbers in a question', () => {
  it('knows a BSN by its 11-check, and nine digits that fail it are no BSN', () => {
    expect(isBsn('111222333')).toBe(true);
    expect(isBsn('123456782')).toBe(true);
    expect(isBsn('123456789')).toBe(false);
    expect(isBsn('000000000')).toBe(false);
    expect(kinds('Mijn BSN is 111222333.')).toEqual([['bsn', '111222333']]);
    expect(kinds('bsn 1234.56.782 graag')).toEqual([['bsn', '1234.56.782']]);
    expect(kinds('Ordernummer 123456789 klopt niet')).toEqual([]);
  });

  it('knows an IBAN by its mod-97 check', () => {
    expect(isIban('NL91 ABNA 0417 1643 00')).toBe(true);
    expect(isIban('NL91ABNA0417164301')).toBe(false);
    expect(kinds('Maak het over naar NL91 ABNA 0417 1643 00 aub')).toEqual([
      ['iban', 'NL91 ABNA 0417 1643 00'],
    ]);
    expect(kinds('code NL12ABCD0123456789 is verzonnen')).toEqual([]);
  });

  it('finds Dutch and international phone numbers, not postcodes, dates or house numbers', () => {
    expect(kinds('Bel mij op 06-12345678 of 070 123 45 67')).toEqual([
      ['phone', '06-12345678'],
      ['phone', '070 123 45 67'],
    ]);
    expect(kinds('+31 6 1234 5678 en 0031612345678 en +44 20 7946 0958')).toEqual([
      ['phone', '+31 6 1234 5678'],
      ['phone', '0031612345678'],
      ['phone', '+44 20 7946 0958'],
    ]);
    expect(kinds('Ik woon op 2288 GD, huisnummer 12, sinds 01-02-2020, om 14.30 uur')).toEqual([]);
  });

  it('masks every letter and digit but the last two, and leaves the rest of the text alone', () => {
    expect(maskSensitive('BSN 111222333, bel 06-12345678. IBAN NL91 ABNA 0417 1643 00!')).toBe(
      'BSN •••••••33, bel ••-••••••78. IBAN •••• •••• •••• •••• 00!',
    );
    expect(maskSensitive('Geen nummers hier, wel 2288 GD.')).toBe('Geen nummers hier, wel 2288 GD.');
  });

  it('masks the words of one page view unless revealed, and says whether it masked any', () => {
    const masked = pageMasker(false);
    expect(masked.words('Geen nummers')).toBe('Geen nummers');
    expect(masked.hidden).toBe(false);
    expect(masked.words('BSN 111222333')).toBe('BSN •••••••33');
    expect(masked.hidden).toBe(true);
    const shown = pageMasker(true);
    expect(shown.words('BSN 111222333')).toBe('BSN 111222333');
    expect(shown.hidden).toBe(false);
  });

  it('puts back the numbers of the source where an edited text holds them masked', () => {
    const source = 'BSN 111222333, bel 06-12345678.\nIBAN NL91 ABNA 0417 1643 00';
    const edited = `Samengevat: ${maskSensitive(source)} en •••••••44 (getypt)`;
    expect(unmaskFrom(edited, source)).toBe(`Samengevat: ${source} en •••••••44 (getypt)`);
    expect(unmaskFrom('Niets afgeschermd', source)).toBe('Niets afgeschermd');
  });
});
