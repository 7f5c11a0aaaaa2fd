import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG_FILE, catalogSource } from '../../src/i18n/catalog-source.js';
import { loadTexts, translator } from '../../src/i18n/translator.js';

const texts = loadTexts('data/i18n');

/** A copy of data/i18n with one text set (or removed, with `undefined`), to load as a municipality would. */
function i18nWith(lang: 'nl' | 'en', file: string, key: string, value: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), 'spreekuur-i18n-'));
  cpSync('data/i18n', dir, { recursive: true });
  const path = join(dir, lang, file);
  const table = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
  if (value === undefined) delete table[key];
  else table[key] = value;
  writeFileSync(path, JSON.stringify(table));
  return dir;
}

describe('texts', () => {
  it('has a catalog in step with the Dutch texts (run `npm run texts` after changing them)', () => {
    expect(readFileSync(CATALOG_FILE, 'utf8')).toBe(catalogSource());
  });

  it('has every Dutch text in English too, and nothing English-only', () => {
    expect(Object.keys(texts.en).sort()).toEqual(Object.keys(texts.nl).sort());
  });

  it.each([
    [
      'a misspelled placeholder',
      i18nWith('nl', 'core.json', 'core.welcome', 'Welkom bij {gemeente}.'),
      /^Data error: .*nl\/core\.json: core\.welcome: unknown placeholder \{gemeente\} \(it can use \{municipality\}\)$/,
    ],
    [
      'a text missing in English',
      i18nWith('en', 'core.json', 'core.help', undefined),
      /^Data error: .*en: core\.help: missing text$/,
    ],
    [
      'a key the code does not use',
      i18nWith('en', 'core.json', 'core.wellcome', 'Hello'),
      /^Data error: .*en\/core\.json: core\.wellcome: no such text is used \(a typo\?\)$/,
    ],
  ])('refuses %s at start, naming the file and the key', (_what, dir, message) => {
    expect(() => loadTexts(dir)).toThrow(message);
  });

  it('keeps Dutch sentences short (B1: at most 25 words a sentence)', () => {
    for (const [key, text] of Object.entries(texts.nl)) {
      for (const sentence of text.split(/[.!?\n]+/))
        expect(sentence.trim().split(/\s+/).length, `${key}: ${sentence}`).toBeLessThanOrEqual(25);
    }
  });

  it('fills placeholders and falls back to Dutch', () => {
    const t = translator(
      { nl: { 'core.welcome': 'Welkom in {municipality}', 'core.yes': 'Ja' }, en: {} },
      'en',
    );
    expect(t('core.welcome', { municipality: 'Rijswijk' })).toBe('Welkom in Rijswijk');
    expect(t('core.yes')).toBe('Ja');
    expect(translator({ nl: {}, en: {} }, 'nl')('core.no')).toBe('[core.no]');
  });
});
