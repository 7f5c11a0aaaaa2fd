import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../shared/errors.js';
import { TEXT_VARIABLES } from './catalog.js';

export type Language = 'nl' | 'en';
export const languages: readonly Language[] = ['nl', 'en'];

/** The locale whose rules a language's dates and plural forms follow. */
export const locales: Record<Language, string> = { nl: 'nl-NL', en: 'en-GB' };

/**
 * The suffix of a text's singular form: `dashboard.cases.count.one` ("1 vraag gevonden.") is used
 * instead of `dashboard.cases.count` when its `{count}` is one in the language's plural rules.
 */
export const SINGULAR = '.one';

const pluralRules: Record<Language, Intl.PluralRules> = {
  nl: new Intl.PluralRules(locales.nl),
  en: new Intl.PluralRules(locales.en),
};

/** True for a key that names a text's singular form rather than a text of its own. */
export function isSingularKey(key: string): boolean {
  return key.endsWith(SINGULAR);
}

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
 * unknown, no text has a placeholder the code does not fill, and every singular form (`<key>.one`)
 * belongs to a text with `{count}` and exists in every language. A problem names file and key.
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
      if (isSingularKey(key)) {
        checkSingular(texts[lang], key, template, file);
        continue;
      }
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
  checkSingularsInEveryLanguage(texts, i18nDir);
}

const list = (names: readonly string[]) => (names.length ? names.map((v) => `{${v}}`).join(', ') : 'none');

/**
 * A singular form belongs to a text with `{count}` in the same language, and has that text's
 * placeholders: it may write the count as a word, but it must not lose or add anything else.
 */
function checkSingular(table: Record<string, string>, key: string, template: string, file: string): void {
  const base = key.slice(0, -SINGULAR.length);
  const problem = (what: string) => new ConfigError(`Data error: ${file}: ${key}: ${what}`);
  if (!isTextKey(base)) throw problem(`a singular form of ${base}, which is no text the code uses (a typo?)`);
  if (!TEXT_VARIABLES[base].some((v) => v === 'count'))
    throw problem(`${base} has no {count}, so a singular form of it is never used`);
  const text = table[base];
  if (text === undefined) throw problem(`a singular form without its text ${base}`);
  const others = (t: string) =>
    placeholders(t)
      .filter((v) => v !== 'count')
      .sort();
  const mine = others(template);
  const its = others(text);
  if (mine.join() !== its.join())
    throw problem(
      `the singular form uses ${list(mine)} and ${base} uses ${list(its)}: they must be the same (only {count} may be written as a word)`,
    );
}

/** A singular form in one language is needed in every language whose plural rules have one. */
function checkSingularsInEveryLanguage(texts: Texts, i18nDir: string): void {
  for (const lang of languages) {
    for (const key of Object.keys(texts[lang]).filter(isSingularKey)) {
      for (const other of languages) {
        const hasOne = pluralRules[other].resolvedOptions().pluralCategories.includes('one');
        if (hasOne && texts[other][key] === undefined)
          throw new ConfigError(
            `Data error: ${join(i18nDir, other)}: ${key}: missing singular form (${lang} has one)`,
          );
      }
    }
  }
}

/**
 * A translator for one language; a missing key shows itself (never at run time once checked).
 * A text with `{count}` reads its singular form (`<key>.one`) when it has one and the count is one.
 */
export function translator(texts: Texts, lang: Language): Translate {
  return (key, ...args) => {
    const own = texts[lang][key] !== undefined;
    const table = own ? texts[lang] : texts.nl;
    const vars: Record<string, string | number> | undefined = args[0];
    let template = table[key] ?? `[${key}]`;
    if (vars?.count !== undefined && pluralRules[own ? lang : 'nl'].select(Number(vars.count)) === 'one')
      template = table[key + SINGULAR] ?? template;
    return vars
      ? template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m))
      : template;
  };
}
