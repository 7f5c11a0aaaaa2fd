import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG_FILE, catalogSource } from '../../src/i18n/catalog-source.js';
import { TEXT_VARIABLES } from '../../src/i18n/catalog.js';
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
    [
      'a singular form of a text the code does not use',
      i18nWith('nl', 'dashboard-cases.json', 'dashboard.cases.cuont.one', '{count} vraag gevonden.'),
      /^Data error: .*nl\/dashboard-cases\.json: dashboard\.cases\.cuont\.one: a singular form of dashboard\.cases\.cuont, which is no text the code uses \(a typo\?\)$/,
    ],
    [
      'a singular form of a text without {count}',
      i18nWith('nl', 'core.json', 'core.welcome.one', 'Welkom bij {municipality}.'),
      /^Data error: .*nl\/core\.json: core\.welcome\.one: core\.welcome has no \{count\}, so a singular form of it is never used$/,
    ],
    [
      'a singular form without its text in that language',
      i18nWith('en', 'dashboard-cases.json', 'dashboard.cases.count', undefined),
      /^Data error: .*en\/dashboard-cases\.json: dashboard\.cases\.count\.one: a singular form without its text dashboard\.cases\.count$/,
    ],
    [
      'a singular form with a placeholder its text lacks',
      i18nWith(
        'nl',
        'dashboard-agenda.json',
        'dashboard.agenda.pending_bookings.one',
        '{date}: 1 afspraak afgezegd.',
      ),
      /^Data error: .*nl\/dashboard-agenda\.json: dashboard\.agenda\.pending_bookings\.one: the singular form uses \{date\} and dashboard\.agenda\.pending_bookings uses none: they must be the same \(only \{count\} may be written as a word\)$/,
    ],
    [
      'a singular form that lost a placeholder of its text',
      i18nWith(
        'en',
        'dashboard-agenda.json',
        'dashboard.agenda.pending_day.one',
        'Cancelled (1 appointment).',
      ),
      /^Data error: .*en\/dashboard-agenda\.json: dashboard\.agenda\.pending_day\.one: the singular form uses none and dashboard\.agenda\.pending_day uses \{date\}: they must be the same/,
    ],
    [
      'a singular form in Dutch that English lacks',
      i18nWith('en', 'dashboard-cases.json', 'dashboard.cases.count.one', undefined),
      /^Data error: .*en: dashboard\.cases\.count\.one: missing singular form \(nl has one\)$/,
    ],
    [
      'a singular form in English that Dutch lacks',
      i18nWith('nl', 'dashboard-polls.json', 'dashboard.polls.answers.one', undefined),
      /^Data error: .*nl: dashboard\.polls\.answers\.one: missing singular form \(en has one\)$/,
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

  it('reads the singular form when {count} is 1, the plural for 0, 2 and more (also given as text)', () => {
    // Regression: the dashboard said "1 vragen gevonden." as there was only one form.
    const nl = translator(texts, 'nl');
    const en = translator(texts, 'en');
    expect(nl('dashboard.cases.count', { count: 1 })).toBe('1 vraag gevonden.');
    expect(nl('dashboard.cases.count', { count: '1' })).toBe('1 vraag gevonden.');
    expect(nl('dashboard.cases.count', { count: 0 })).toBe('0 vragen gevonden.');
    expect(nl('dashboard.cases.count', { count: 2 })).toBe('2 vragen gevonden.');
    expect(en('dashboard.cases.count', { count: 1 })).toBe('1 question found.');
    expect(en('dashboard.cases.count', { count: 12 })).toBe('12 questions found.');
    expect(nl('dashboard.case.days_left', { count: 1 })).toBe('nog 1 werkdag');
    expect(en('dashboard.case.days_late', { count: 1 })).toBe('1 working day late');
    expect(nl('person.open', { count: 1 })).toContain('binnen 1 minuut antwoord');
    expect(nl('dashboard.agenda.pending_bookings', { count: '1' })).toBe('Eén afspraak afgezegd.');
    expect(nl('dashboard.agenda.pending_tell_at', { count: 1, time: '11:34' })).toBe(
      'De inwoner krijgt om 11:34 bericht.',
    );
  });

  it('takes the singular form from the table the text comes from, and keeps the text without one', () => {
    const t = translator(
      {
        nl: { 'dashboard.cases.count': '{count} vragen', 'dashboard.cases.count.one': '{count} vraag' },
        en: { 'dashboard.polls.answers': '{count} answers' },
      },
      'en',
    );
    expect(t('dashboard.cases.count', { count: 1 })).toBe('1 vraag');
    expect(t('dashboard.polls.answers', { count: 1 })).toBe('1 answers');
  });

  it('has a singular form for every text that counts, in both languages', () => {
    // A text whose {count} stands before a noun ("{count} afspraken") needs one; these do not.
    const without = [
      'dashboard.nav.dead_letters_count',
      'dashboard.nav.webcare_count',
      'dashboard.webcare.count',
    ];
    const counting = Object.entries(TEXT_VARIABLES)
      .filter(([key, vars]) => (vars as readonly string[]).includes('count') && !without.includes(key))
      .map(([key]) => key);
    expect(counting.length).toBeGreaterThan(15);
    for (const key of counting) {
      expect(texts.nl[`${key}.one`], key).toBeDefined();
      expect(texts.en[`${key}.one`], key).toBeDefined();
    }
  });

  it('keeps singular forms out of the catalog: the code asks for the text, not its form', () => {
    expect(catalogSource()).toContain("'dashboard.cases.count': ['count'],");
    expect(catalogSource()).not.toContain(".one'");
  });
});
