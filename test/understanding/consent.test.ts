import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read, understand, type Reading } from '../../src/understanding/matcher.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';
import { actingChoices, stepAt } from './steps.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));

const label = (r: Reading) =>
  r.kind === 'intent' ? `intent:${r.intent}` : r.kind === 'choice' ? `choice:${r.id}` : r.kind;

/** Yes/no questions of every kind; the first five act on a yes (book, stop, cancel, send). */
const ACTING = ['book.confirm', 'stop.confirm', 'appointments.cancel', 'ask.confirm', 'propose.confirm'];
const QUESTIONS = [...ACTING, 'book.alderman', 'district.remember'];
const LANGS = ['nl', 'en'] as const;

/** The reading at every yes/no question in both languages, and the yes or no `understand` passes on. */
function everywhere(text: string) {
  return LANGS.flatMap((lang) =>
    QUESTIONS.map((at) => {
      const step = stepAt(at, lang);
      const choices = step.kind === 'confirm' ? (step.choices ?? []) : [];
      return {
        at,
        lang,
        read: label(read(vocab, text, step)),
        answer: understand(vocab, text, choices).answer,
      };
    }),
  );
}

// Regression: "good morning" at the booking confirmation booked the slot: the greeting's "good" was
// read as a yes ("good" is one, "morning" a word beside it), because the choice read the yes of the
// whole message with the greeting's words in it. "good afternoon", "good evening", "good day" alike.
describe('a greeting or small talk at a yes/no question is never consent', () => {
  it.each([
    'good morning',
    'Good morning!',
    'good afternoon',
    'good evening',
    'good day',
    'goedemorgen',
    'Goedemorgen!',
    'goede morgen',
    'goedemiddag',
    'goede middag',
    'goedenavond',
    'goedendag',
    'hallo daar',
    'hoi hoe gaat het',
    'hoe gaat het?',
    'alles goed?',
    'alles goed',
    'hi there',
    'how are you',
  ])('"%s" is a greeting at every yes/no question, in both languages: asked again kindly', (text) => {
    const readings = everywhere(text);
    expect(readings.map((r) => r.read)).toEqual(readings.map(() => 'intent:greeting'));
    expect(readings.map((r) => r.answer)).toEqual(readings.map(() => undefined));
  });

  it.each(['goedemorgen, ja', 'good morning, yes please', 'hoi, ja graag'])(
    '"%s" (a greeting beside a clear yes) is still the yes',
    (text) => {
      expect(label(read(vocab, text, stepAt('book.confirm', 'nl')))).toBe('choice:yes');
    },
  );
});

// Regression: "I don't see the button" at a yes/no question was the no ("don't"): the booking
// stopped, "Wilt u stoppen?" went on. It says the resident does not find the choices.
describe('"I don\'t see the buttons" is neither a yes nor a no', () => {
  it.each([
    "I don't see the button",
    "don't see the buttons",
    "I can't see the buttons",
    'no buttons',
    'where are the buttons',
    'ik zie de knop niet',
    'ik zie geen knoppen',
    'waar zijn de knoppen?',
    'ik kan niet klikken',
  ])('"%s" is the no-buttons intent at every yes/no question', (text) => {
    const readings = everywhere(text);
    expect(readings.map((r) => r.read)).toEqual(readings.map(() => 'intent:no-buttons'));
    expect(readings.map((r) => r.answer)).toEqual(readings.map(() => undefined));
  });

  it('"de knop doet het niet" is still neither (asked again), and "nee" still the no', () => {
    expect(label(read(vocab, 'de knop doet het niet', stepAt('book.confirm', 'nl')))).toBe('unclear');
    expect(label(read(vocab, 'nee', stepAt('book.confirm', 'nl')))).toBe('choice:stop');
  });
});

// Regression: "okay wait", "good question", "I'm good" booked the slot at the confirmation, stopped
// at "Wilt u stoppen?", cancelled at "Afspraak afzeggen?": a yes word with words of their own.
describe('a yes among words of its own is no consent where a yes books, cancels, sends or stops', () => {
  it.each([
    ['okay wait', 'en'],
    ['ok wait', 'en'],
    ['yes, hold on', 'en'],
    ['good question', 'en'],
    ["I'm good", 'en'],
    ["I'm fine", 'en'],
    ['ok wacht', 'nl'],
    ['ja wacht even', 'nl'],
    ['oké, momentje', 'nl'],
    ['goed bezig', 'nl'],
  ] as const)('"%s" picks no acting choice and is no yes there', (text, lang) => {
    for (const at of ACTING) {
      const step = stepAt(at, lang);
      const got = label(read(vocab, text, step));
      expect([at, got]).not.toEqual([at, `choice:${actingChoices(at, lang)[0] ?? ''}`]);
      const choices = step.kind === 'confirm' ? (step.choices ?? []) : [];
      expect([at, understand(vocab, text, choices).answer?.answer]).not.toEqual([at, 'yes']);
    }
  });

  it.each([
    ['Ja, afspraak maken', 'nl', 'book.confirm', 'choice:yes'],
    ['ja graag, dank u', 'nl', 'book.confirm', 'choice:yes'],
    ['top, bedankt', 'nl', 'book.confirm', 'choice:yes'],
    ['ja graag afzeggen', 'nl', 'appointments.cancel', 'choice:yes'],
    ['yes, cancel it', 'en', 'appointments.cancel', 'choice:yes'],
    ['ja, stop', 'nl', 'stop.confirm', 'choice:yes'],
    ['ja verstuur maar', 'nl', 'ask.confirm', 'choice:send'],
    ['klopt', 'nl', 'book.confirm', 'choice:yes'],
    ['👍', 'nl', 'book.confirm', 'choice:yes'],
    ['yes please', 'en', 'book.confirm', 'choice:yes'],
  ] as const)(
    '"%s" (a yes with the acting choice\'s own words, or thanks) still acts: %s',
    (text, lang, at, want) => {
      expect(label(read(vocab, text, stepAt(at, lang)))).toBe(want);
    },
  );

  // Regression: "ja, boek maar" at a booking's "Klopt dit?" started the booking over (the words of
  // "book" beside a yes, and "maar" made the yes unclear): slot and topic were lost.
  it.each([
    ['ja, boek maar', 'nl'],
    ['boek maar', 'nl'],
    ['Boek hem maar in', 'nl'],
    ['ja, maak de afspraak maar', 'nl'],
    ['ja boeken', 'nl'],
    ['goedemorgen, boek maar', 'nl'],
    ['yes, book it', 'en'],
    ['book it please', 'en'],
  ] as const)('"%s" is the yes of the booking it confirms, and of no other question', (text, lang) => {
    expect(label(read(vocab, text, stepAt('book.confirm', lang)))).toBe('choice:yes');
    for (const at of ACTING.filter((a) => a !== 'book.confirm')) {
      const step = stepAt(at, lang);
      expect([at, label(read(vocab, text, step))]).not.toEqual([
        at,
        `choice:${actingChoices(at, lang)[0] ?? ''}`,
      ]);
    }
  });

  it.each([
    ['boek maar niet', 'nl'],
    ["don't book it", 'en'],
  ] as const)('"%s" is the no of the booking', (text, lang) => {
    expect(label(read(vocab, text, stepAt('book.confirm', lang)))).toBe('choice:stop');
  });

  it.each(['boek maar een andere wethouder', 'ja, boek maar, of wacht', 'afspraak maken? ik twijfel'])(
    '"%s" says more than "book it": no consent',
    (text) => {
      expect(label(read(vocab, text, stepAt('book.confirm', 'nl')))).not.toBe('choice:yes');
    },
  );

  it('"niet nu" / "not now" stays the no, never a yes', () => {
    expect(label(read(vocab, 'niet nu', stepAt('book.confirm', 'nl')))).toBe('choice:stop');
    expect(label(read(vocab, 'not now', stepAt('stop.confirm', 'en')))).toBe('choice:no');
  });
});
