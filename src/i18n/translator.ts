import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../shared/errors.js';
import { TEXT_VARIABLES } from './catalog.js';

export type Language = 'nl' | 'en';
export const languages: readonly Language[] = ['nl', 'en'];

export type Texts = Record<Language, Record<string, string>>;

/** Every text the code uses. */
export type TextKey = keyof typeof TEXT_VARIABLES;

type Variables<K extends TextKey> = (typeof TEXT_VARIABLES)[K];

/** What a text needs filled in: nothing, or exactly its placeholders (`{name}`). */
export type TextArgs<K extends TextKey> = K extends TextKey
  ? Variables<K> extends readonly []
    ? []
    : [vars: Record<Variables<K>[number], string | number>]
  : never;

/** Looks up a text by key and fills in its placeholders; the compiler checks both. */
export type Translate = <K extends TextKey>(key: K, ...vars: TextArgs<K>) => string;

/** The `{name}` placeholders of a text, in order of first use. */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''))];
}

/** True when the code knows this text key (for keys built from data, such as an error code). */
export function isTextKey(key: string): key is TextKey {
  return Object.hasOwn(TEXT_VARIABLES, key);
}

/**
 * Reads every <i18nDir>/<lang>/*.json file into one table per language, and checks them against
 * the code (`check`, on by default): every key the code uses exists in every language, no key is
 * unknown, and no text has a placeholder the code does not fill. A problem names file and key.
 */
export function loadTexts(i18nDir: string, options: { check?: boolean } = {}): Texts {
  const texts: Texts = { nl: {}, en: {} };
  const fileOf: Record<string, string> = {};
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
        fileOf[`${lang}:${key}`] = path;
      }
    }
  }
  if (options.check !== false) checkTexts(texts, i18nDir, fileOf);
  return texts;
}

function checkTexts(texts: Texts, i18nDir: string, fileOf: Record<string, string>): void {
  for (const lang of languages) {
    for (const [key, template] of Object.entries(texts[lang])) {
      const file = fileOf[`${lang}:${key}`] ?? join(i18nDir, lang);
      if (!isTextKey(key))
        throw new ConfigError(`Data error: ${file}: ${key}: no such text is used (a typo?)`);
      const allowed: readonly string[] = TEXT_VARIABLES[key];
      const unknown = placeholders(template).filter((name) => !allowed.includes(name));
      if (unknown.length > 0) {
        const known = allowed.length
          ? `it can use ${allowed.map((v) => `{${v}}`).join(', ')}`
          : 'it has none';
        throw new ConfigError(
          `Data error: ${file}: ${key}: unknown placeholder ${unknown.map((v) => `{${v}}`).join(', ')} (${known})`,
        );
      }
    }
    for (const key of Object.keys(TEXT_VARIABLES)) {
      if (texts[lang][key] === undefined)
        throw new ConfigError(`Data error: ${join(i18nDir, lang)}: ${key}: missing text`);
    }
  }
}

/** A translator for one language; a missing key shows itself (never at run time once checked). */
export function translator(texts: Texts, lang: Language): Translate {
  return (key, ...args) => {
    const template = texts[lang][key] ?? texts.nl[key] ?? `[${key}]`;
    const vars: Record<string, string | number> | undefined = args[0];
    return vars
      ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m))
      : template;
  };
}
