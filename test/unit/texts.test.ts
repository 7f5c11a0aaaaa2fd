import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTexts, translator } from '../../src/i18n/translator.js';

const texts = loadTexts('data/i18n');

/** Every `t('key')` / `ctx.t('key')` / `tIn(..)('key')` in the code that residents read. */
function usedKeys(): Set<string> {
  const keys = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(
          /\bt(?:In\([^)]*\))?\(\s*'([a-z_]+(?:\.[a-z_]+)+)'/g,
        ))
          keys.add(match[1] ?? '');
      }
    }
  };
  ['flows', 'src', 'bots'].forEach(walk);
  return keys;
}

describe('texts', () => {
  it('has every Dutch text in English too, and nothing English-only', () => {
    expect(Object.keys(texts.en).sort()).toEqual(Object.keys(texts.nl).sort());
  });

  it('has a text for every key the code uses', () => {
    const missing = [...usedKeys()].filter((k) => !(k in texts.nl));
    expect(missing).toEqual([]);
  });

  it('uses the same placeholders in both languages', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(texts.nl))
      expect(names(texts.en[key] ?? ''), key).toEqual(names(texts.nl[key] ?? ''));
  });

  it('keeps Dutch sentences short (B1: at most 25 words a sentence)', () => {
    for (const [key, text] of Object.entries(texts.nl)) {
      for (const sentence of text.split(/[.!?\n]+/))
        expect(sentence.trim().split(/\s+/).length, `${key}: ${sentence}`).toBeLessThanOrEqual(25);
    }
  });

  it('fills placeholders and falls back to Dutch', () => {
    const t = translator({ nl: { a: 'Hallo {naam}', b: 'alleen nl' }, en: { a: 'Hello {naam}' } }, 'en');
    expect(t('a', { naam: 'Sam' })).toBe('Hello Sam');
    expect(t('b')).toBe('alleen nl');
    expect(t('missing')).toBe('[missing]');
  });
});
