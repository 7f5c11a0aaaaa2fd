import { describe, expect, it } from 'vitest';
import { textPdf, wrapText } from '../../src/shared/pdf.js';
import { checkPdf } from '../support/pdf-check.js';

describe('the minimal PDF writer', () => {
  it('writes a file whose cross-reference table, streams and page tree are exact', () => {
    const lines = ['Eén boom (en twee) \\ € 12,50 – “goed”', 'emoji 🙂 and a\u0000control'];
    const pdf = checkPdf(textPdf({ title: 'Gesprek console:r1 (ë)', lines }));
    expect(pdf.pages).toBe(1);
    expect(pdf.title).toBe('Gesprek console:r1 (ë)');
    expect(pdf.text).toEqual([
      'Gesprek console:r1 (ë)',
      'Eén boom (en twee) \\ € 12,50 – “goed”',
      // What WinAnsi cannot show becomes a question mark, never a broken file.
      'emoji ? and a?control',
    ]);
  });

  it('wraps long lines and continues on new pages', () => {
    const long = Array.from({ length: 40 }, (_, i) => `woord${i}`).join(' ');
    expect(wrapText(long).every((l) => l.length <= 86)).toBe(true);
    expect(wrapText(long).join(' ')).toBe(long);
    const lines = Array.from({ length: 200 }, (_, i) => `regel ${i + 1}`);
    const pdf = checkPdf(textPdf({ title: 'Lang', lines }));
    expect(pdf.pages).toBe(4);
    expect(pdf.text.slice(1)).toEqual(lines);
  });
});
