import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../shared/errors.js';

export type Language = 'nl' | 'en';
export const languages: readonly Language[] = ['nl', 'en'];

export type Texts = Record<Language, Record<string, string>>;

/** Looks up a text by key and fills in `{name}` placeholders. */
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** Reads every data/i18n/<lang>/*.json file into one table per language. */
export function loadTexts(i18nDir: string): Texts {
  const texts: Texts = { nl: {}, en: {} };
  for (const lang of languages) {
    const dir = join(i18nDir, lang);
    let files: string[];
    try {
      files = readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort();
    } catch {
      throw new ConfigError(`Data error: ${dir}: the folder with ${lang} texts cannot be read`);
    }
    for (const file of files) {
      const path = join(dir, file);
      let table: unknown;
      try {
        table = JSON.parse(readFileSync(path, 'utf8'));
      } catch (error) {
        throw new ConfigError(`Data error: ${path}: not valid JSON (${(error as Error).message})`);
      }
      for (const [key, value] of Object.entries(table as Record<string, unknown>)) {
        if (key.startsWith('$')) continue;
        if (typeof value !== 'string') throw new ConfigError(`Data error: ${path}: ${key}: expected a text`);
        texts[lang][key] = value;
      }
    }
  }
  return texts;
}

/** A translator for one language; English falls back to Dutch, a missing key shows itself. */
export function translator(texts: Texts, lang: Language): Translate {
  return (key, vars) => {
    const template = texts[lang][key] ?? texts.nl[key] ?? `[${key}]`;
    return vars
      ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m))
      : template;
  };
}
