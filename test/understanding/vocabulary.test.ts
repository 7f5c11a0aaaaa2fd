import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { read } from '../../src/understanding/matcher.js';
import { INTENTS, loadVocabulary, VocabularyError } from '../../src/understanding/vocabulary.js';

const shipped = join(import.meta.dirname, '../../data/vocabulary');
const dirs: string[] = [];

/** A copy of the shipped vocabulary with one language's file changed. */
function changed(lang: string, edit: (data: Record<string, unknown>) => unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'vocabulary-'));
  dirs.push(dir);
  cpSync(shipped, dir, { recursive: true });
  const file = join(dir, `${lang}.json`);
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify(edit(data)));
  return dir;
}

afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the vocabulary in data/vocabulary', () => {
  it('has words for every intent in Dutch and in English', () => {
    const vocab = loadVocabulary(shipped);
    expect(vocab.languages).toEqual(['nl', 'en']);
    for (const intent of INTENTS) {
      const langs = new Set(vocab.intents.get(intent)?.map((p) => p.lang));
      expect([intent, [...langs].sort()]).toEqual([intent, ['en', 'nl']]);
    }
  });

  it('a municipality adds a word without touching code: it is understood at once', () => {
    const before = loadVocabulary(shipped);
    expect(read(before, 'inspraakavond', { kind: 'open' }).kind).toBe('unclear');
    const dir = changed('nl', (d) => {
      const intents = d.intents as Record<string, string[]>;
      intents.book = [...(intents.book ?? []), 'inspraakavond'];
      return d;
    });
    expect(read(loadVocabulary(dir), 'inspraakavond', { kind: 'open' })).toMatchObject({
      kind: 'intent',
      intent: 'book',
    });
  });

  it('refuses an unknown intent, naming the file and the key', () => {
    const dir = changed('en', (d) => ({ ...d, intents: { ...(d.intents as object), parking: ['park'] } }));
    expect(() => loadVocabulary(dir)).toThrow(VocabularyError);
    expect(() => loadVocabulary(dir)).toThrow(/en\.json: intents: .*parking/);
  });

  it('refuses a phrase that is no words, naming the file, the key and the place', () => {
    const dir = changed('nl', (d) => ({ ...d, answers: { ...(d.answers as object), yes: ['ja', '!!!'] } }));
    expect(() => loadVocabulary(dir)).toThrow(/nl\.json: answers\.yes\[1\] "!!!"/);
  });

  it('refuses one phrase under two intents (which one would it be?)', () => {
    const dir = changed('nl', (d) => {
      const intents = d.intents as Record<string, string[]>;
      intents.person = [...(intents.person ?? []), 'Afspraak maken'];
      return d;
    });
    expect(() => loadVocabulary(dir)).toThrow(
      /nl\.json: intents\.person: "Afspraak maken" is also in intents\.book/,
    );
  });

  it('takes request sentences only for an intent that asks first (stop), and not a phrase of another intent', () => {
    const other = changed('nl', (d) => ({ ...d, requests: { book: ['ik wil een afspraak'] } }));
    expect(() => loadVocabulary(other)).toThrow(/nl\.json: requests: .*book/);
    const twice = changed('nl', (d) => ({ ...d, requests: { stop: ['laat me met rust', 'laat maar'] } }));
    expect(() => loadVocabulary(twice)).toThrow(
      /nl\.json: requests\.stop: "laat maar" is also in intents\.back/,
    );
  });

  it('a municipality adds a request sentence: it asks to stop as the whole message', () => {
    const before = loadVocabulary(shipped);
    const text = 'ik wil van niemand meer iets horen';
    expect(read(before, text, { kind: 'text' }).kind).toBe('text');
    const dir = changed('nl', (d) => {
      const requests = d.requests as Record<string, string[]>;
      requests.stop = [...(requests.stop ?? []), 'van niemand meer iets horen'];
      return d;
    });
    expect(read(loadVocabulary(dir), text, { kind: 'text' })).toMatchObject({
      kind: 'intent',
      intent: 'stop',
    });
  });

  it('refuses a file that is not JSON', () => {
    const dir = changed('nl', () => ({}));
    writeFileSync(join(dir, 'nl.json'), '{ "intents": ');
    expect(() => loadVocabulary(dir)).toThrow(/nl\.json: not valid JSON/);
  });
});
