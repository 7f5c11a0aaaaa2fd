import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read, understand, type Reading } from '../../src/understanding/matcher.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';
import { stepAt } from './steps.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));

const label = (r: Reading) =>
  r.kind === 'intent' ? `intent:${r.intent}` : r.kind === 'choice' ? `choice:${r.id}` : r.kind;

/** Yes/no questions of every kind: a booking's confirmation, "is this your alderman?", "shall we remember your district?", stop, cancel. */
const QUESTIONS = [
  'book.confirm',
  'book.alderman',
  'district.remember',
  'stop.confirm',
  'appointments.cancel',
];

/** What a message is read as at each yes/no question, and what `understand` takes as its yes or no. */
function atQuestions(text: string, lang: 'nl' | 'en' = 'nl') {
  return {
    read: QUESTIONS.map((at) => label(read(vocab, text, stepAt(at, lang)))),
    answer: understand(vocab, text).answer?.answer,
  };
}

const NO_CHOICE: Record<string, string> = {
  'book.confirm': 'choice:stop',
  'book.alderman': 'choice:other',
  'district.remember': 'choice:no',
  'stop.confirm': 'choice:no',
  'appointments.cancel': 'choice:no',
};

// Regression: at a yes/no question "hij doet het niet" (it does not work) was a no: "doet" is one
// letter from "doen" (a yes) and from "dont" (a no), and the "niet" beside it made that a no. The
// booking stopped, "Zullen we uw wijk onthouden?" got "Ik onthoud uw wijk niet", "Wilt u met Anna
// de Vries?" showed the other aldermen. "it won't work" ("wont", one letter from "dont") and "er
// gaat iets fout" ("fout" is a no) alike. A sentence that tells something is no answer: it is asked
// again, as anything unclear is.
describe('a sentence that tells something is no yes or no at a yes/no question', () => {
  it.each([
    ['hij doet het niet', 'nl'],
    ['Het doet het niet', 'nl'],
    ['de knop doet het niet', 'nl'],
    ['die link doet het niet meer', 'nl'],
    ['het doet niks', 'nl'],
    ['hij doet niet', 'nl'],
    ['het werkt niet', 'nl'],
    ['de link werkt niet', 'nl'],
    ['het lukt niet', 'nl'],
    ['er gaat iets fout', 'nl'],
    ['het ging fout', 'nl'],
    ["it won't work", 'en'],
    ["it doesn't work", 'en'],
    ['it might not work', 'en'],
    ['the link does not work', 'en'],
  ] as const)('"%s" is neither, at every yes/no question', (text, lang) => {
    const { read: readings, answer } = atQuestions(text, lang);
    expect(answer).toBeUndefined();
    expect(readings).toEqual(QUESTIONS.map(() => 'unclear'));
  });

  it.each([
    'nee',
    'nee hoor',
    'niet doen',
    'liever niet',
    'doe maar niet',
    'nee dank je',
    'Nee, dank u wel',
    'toch niet',
    'klopt niet',
    'het klopt niet',
    'dat is niet goed',
    'nee, ik kan vandaag niet',
    'nee, ik kan dan niet',
    'nee want ik kan niet',
    'nee dat hoeft niet',
    'nee, hij doet het niet',
    'goedemorgen, nee dank je',
  ])('"%s" is still the no', (text) => {
    const { read: readings, answer } = atQuestions(text);
    expect(answer).toBe('no');
    expect(readings).toEqual(QUESTIONS.map((at) => NO_CHOICE[at]));
  });

  it.each([
    ['no', 'en'],
    ['no thanks', 'en'],
    ["don't", 'en'],
    ["don't do it", 'en'],
    ['not now', 'en'],
    ["I don't want that", 'en'],
    ["I don't think so", 'en'],
  ] as const)('"%s" is still the no in English', (text, lang) => {
    expect(atQuestions(text, lang).answer).toBe('no');
  });

  it.each([
    'ja',
    'ja graag',
    'doe maar',
    'doen',
    'ja doe maar',
    'hoi, ja graag',
    'prima, dank je',
    'klopy',
    'nnee',
  ])('"%s" is read as before (a typo that reaches one answer word only is still that word)', (text) => {
    expect(atQuestions(text).answer).toBe(text === 'nnee' ? 'no' : 'yes');
  });

  it('"ik wil niet", with nothing else the "niet" could negate, is the no where a no choice says "niet"', () => {
    expect(label(read(vocab, 'ik wil niet', stepAt('district.remember', 'nl')))).toBe('choice:no');
  });
});

// Regression: at a yes/no question "I don't understand" was the no ("don't"), "never mind" the no
// ("never"), "right to be forgotten" the yes ("right": a booking was made, the stop done).
describe('a phrase of an intent that holds a yes or no word is that intent, not the answer', () => {
  it.each([
    ["I don't understand", 'intent:help'],
    ['i dont get it', 'intent:help'],
    ['never mind', 'intent:back'],
    ['right to be forgotten', 'unclear'],
    ['ik snap het niet', 'intent:help'],
    ['laat maar zitten', 'intent:back'],
  ])('"%s" at every yes/no question: %s', (text, want) => {
    expect(QUESTIONS.map((at) => label(read(vocab, text, stepAt(at, 'en'))))).toEqual(
      QUESTIONS.map(() => want),
    );
  });

  it.each(['toch niet', 'laat maar', 'nee dank je', 'nee, ik snap het niet'])(
    '"%s" (an answer as long as the phrase, or a no that opens) is still the no',
    (text) => {
      expect(atQuestions(text).answer).toBe('no');
    },
  );

  // Regression: "nee hoeft niet" and "nee laat maar" were unclear at every yes/no question (asked
  // again), where "hoeft niet" and "laat maar" alone were the no: the withdraw intent's phrases of the
  // same words held them. A phrase made only of noes is the no; "ok laat maar" (a yes and a no) is not.
  it.each(['nee hoeft niet', 'nee, hoeft niet', 'nee laat maar', 'nee hoeft niet meer'])(
    '"%s" (an intent phrase made only of noes) is the no at every yes/no question',
    (text) => {
      const { read: readings, answer } = atQuestions(text);
      expect(answer).toBe('no');
      expect(readings).toEqual(QUESTIONS.map((at) => NO_CHOICE[at]));
    },
  );

  it('"ok laat maar" (a yes and a no) is still no answer', () => {
    const { read: readings, answer } = atQuestions('ok laat maar');
    expect(answer).toBeUndefined();
    expect(readings).not.toContain('choice:yes');
  });

  it('"I don\'t know" is still unsure', () => {
    expect(atQuestions("I don't know", 'en').answer).toBe('unsure');
  });
});

// Regression: "nee toch maar niet", "toch maar niet", "ach laat maar" and "not after all" at a yes/no
// question were asked again: "maar" was read as "but" (a doubt), "ach" and "after all" as words of
// a sentence of their own. A softener ("stop maar", "toch maar niet") says what it would without it;
// after a yes or no ("ja maar", "klopt, maar") "maar" is still "but", and such a yes stays unclear.
describe('"toch maar niet", "laat maar", "not after all" are a clear no at every yes/no question', () => {
  it.each([
    ['nee toch maar niet', 'nl'],
    ['toch maar niet', 'nl'],
    ['nee, toch niet', 'nl'],
    ['laat maar', 'nl'],
    ['ach laat maar', 'nl'],
    ['doe toch maar niet', 'nl'],
    ['not after all', 'en'],
    ['no, not after all', 'en'],
    ['no, rather not', 'en'],
  ] as const)('"%s" is the no', (text, lang) => {
    const { read: readings, answer } = atQuestions(text, lang);
    expect(answer).toBe('no');
    expect(readings).toEqual(QUESTIONS.map((at) => NO_CHOICE[at]));
  });

  it.each(['ja maar', 'ja, maar wacht even', 'klopt, maar', 'oke maar niet vandaag'])(
    '"%s" is still no yes: there "maar" is "but"',
    (text) => {
      const { read: readings, answer } = atQuestions(text);
      expect(answer === undefined || answer === 'no').toBe(true);
      expect(readings).not.toContain('choice:yes');
      expect(readings).not.toContain('choice:alderman:fatma-yilmaz');
    },
  );
});

// A yes that says it is right as it is ("klopt", "prima zo") is marked, so a step asking "Wilt u
// nog iets toevoegen?" can take it as "that was all"; a plain "ja" or "ok" is not. Both stay a yes
// at every yes/no question (a booking's "Klopt dit?" is confirmed by "klopt").
describe('a yes that says it is right as it is', () => {
  it.each([
    ['klopt', 'nl'],
    ['Dat klopt!', 'nl'],
    ['ja dat klopt', 'nl'],
    ['prima zo', 'nl'],
    ['zo is het goed', 'nl'],
    ['klopt, dank u', 'nl'],
    ["that's right", 'en'],
    ['correct', 'en'],
  ] as const)('"%s" is an as-is yes', (text, lang) => {
    const answer = understand(vocab, text).answer;
    expect(answer).toMatchObject({ answer: 'yes', asIs: true });
    expect(atQuestions(text, lang).read).toEqual(atQuestions(lang === 'nl' ? 'ja' : 'yes', lang).read);
  });

  it.each(['ja', 'ok', 'ja hoor', 'doe maar', '👍', 'ja, klopt helemaal, doe maar'])(
    '"%s" is a yes, not an as-is one',
    (text) => {
      const answer = understand(vocab, text).answer;
      expect(answer?.answer).toBe('yes');
      expect(answer).not.toHaveProperty('asIs');
    },
  );
});

describe('a no that says it is not right as it is', () => {
  it.each([
    ['klopt niet', 'nl'],
    ['Dat klopt niet!', 'nl'],
    ['het klopt niet helemaal', 'nl'],
    ['dat is fout', 'nl'],
    ['Niet juist.', 'nl'],
    ['nee, dat klopt niet', 'nl'],
    ["that's not right", 'en'],
    ['wrong', 'en'],
  ] as const)('"%s" is a not-as-is no', (text, lang) => {
    const answer = understand(vocab, text).answer;
    expect(answer).toMatchObject({ answer: 'no', notAsIs: true });
    expect(answer).not.toHaveProperty('asIs');
    // At a yes/no question it is a no like any other.
    expect(atQuestions(text, lang).read).toEqual(atQuestions(lang === 'nl' ? 'nee' : 'no', lang).read);
  });

  it.each(['nee', 'nee dank je', 'liever niet', 'klopt', 'no thanks'])('"%s" is no not-as-is no', (text) => {
    expect(understand(vocab, text).answer).not.toHaveProperty('notAsIs');
  });
});
