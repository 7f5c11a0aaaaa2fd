import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read, type Reading } from '../../src/understanding/matcher.js';
import { tokenize } from '../../src/understanding/tokens.js';
import { DESTRUCTIVE, loadVocabulary } from '../../src/understanding/vocabulary.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));

const label = (r: Reading) => (r.kind === 'intent' ? r.intent : r.kind);

/** What a message is read as on a free-text step (the booking's topic) and in the open (no flow). */
function asRead(text: string): [string, string] {
  return [label(read(vocab, text, { kind: 'text' })), label(read(vocab, text, { kind: 'open' }))];
}

// Regression: "stoop" (English, and the old Dutch word for the stoep) was "stop" with a doubled
// letter, so a booking topic "Stoop" asked "Wilt u stoppen?"; "inschrijven" (sign up) was two
// letters from "uitschrijven" and ended a subscriber's updates at once, as "afmelding" did.
// What residents write, and what each is read as: on the booking topic, and in the open.
describe('words near a destructive word (stop, afmelden, verwijder) are what they say', () => {
  it.each([
    // Real words and sentences one letter or one doubled vowel from "stop": a topic, or not understood.
    ['stoop', 'text', 'unclear'],
    ['Stoop', 'text', 'unclear'],
    ['de stoop is kapot', 'text', 'unclear'],
    ['De stoop voor mijn huis is verzakt', 'text', 'unclear'],
    ['the stoop is broken', 'text', 'unclear'],
    ['a stoop in front of my house', 'text', 'unclear'],
    ['stoep', 'text', 'unclear'],
    ['de stoep is kapot', 'text', 'unclear'],
    ['stoel', 'text', 'unclear'],
    ['mijn stoel is kapot', 'text', 'unclear'],
    ['stof op straat', 'text', 'unclear'],
    ['stopt', 'text', 'unclear'],
    ['de bus stopt hier niet meer', 'text', 'unclear'],
    ['stopcontact kapot', 'text', 'unclear'],
    ['het stoplicht doet het niet', 'text', 'unclear'],
    ['stap', 'text', 'unclear'],
    ['een stap verder', 'text', 'unclear'],
    ['stom', 'text', 'unclear'],
    ['stoom', 'text', 'unclear'],
    ['stok', 'text', 'unclear'],
    ['step', 'text', 'unclear'],
    ['stops', 'text', 'unclear'],
    // Near "uitschrijven" and "afmelden", and meaning something else (sign up; an absence).
    ['inschrijven', 'text', 'unclear'],
    ['ik wil me inschrijven', 'text', 'unclear'],
    ['ik wil me inschrijven voor de cursus', 'text', 'unclear'],
    ['afmelding', 'text', 'unclear'],
    ['ik wil een afmelding doorgeven', 'text', 'unclear'],
    ['ik ben afgemeld', 'text', 'unclear'],
    ['uitschrijving', 'text', 'unclear'],
    ['unsubscribed', 'text', 'unclear'],
    // A question about the data, or a word near the erase word: the harmless reading, what is kept.
    ['zijn mijn gegevens verwijderd', 'text', 'my-data'],
    ['verwijderd mijn gegevens', 'text', 'my-data'],
    ['stoop updates', 'text', 'updates'],
  ])('"%s": %s on the topic, %s in the open', (text, topic, open) => {
    expect(asRead(text)).toEqual([topic, open]);
  });
});

describe('a typo that keeps the letters and the sound is still the destructive word (its flow asks first)', () => {
  it.each([
    // A swapped pair, or a consonant typed twice ("Stopp" is German and Scandinavian for stop).
    ['stop', 'stop', 'stop'],
    ['Stop!', 'stop', 'stop'],
    ['stpo', 'stop', 'stop'],
    ['sotp', 'stop', 'stop'],
    ['stopp', 'stop', 'stop'],
    ['Stopp!', 'stop', 'stop'],
    ['STOPPPP', 'stop', 'stop'],
    ['sstop', 'stop', 'stop'],
    ['sttop', 'stop', 'stop'],
    ['stoppen', 'stop', 'stop'],
    ['stopen', 'stop', 'stop'],
    ['stopppen', 'stop', 'stop'],
    ['please stop', 'stop', 'stop'],
    ['stop please', 'stop', 'stop'],
    ['ik stop', 'stop', 'stop'],
    ['afmeldne', 'unsubscribe', 'unsubscribe'],
    ['afmmelden', 'unsubscribe', 'unsubscribe'],
    // One letter left out of a word of 8 letters or more: no other word is that near.
    ['afmelen', 'unsubscribe', 'unsubscribe'],
    ['afmelen graag', 'unsubscribe', 'unsubscribe'],
    ['unsubscibe', 'unsubscribe', 'unsubscribe'],
    ['uitschrijvn', 'unsubscribe', 'unsubscribe'],
    ['verwijdr mijn gegevens', 'text', 'erase-data'],
    ['uitschrijvne', 'unsubscribe', 'unsubscribe'],
    ['unsusbcribe', 'unsubscribe', 'unsubscribe'],
    ['updates stopen', 'text', 'updates-off'],
    ['wiss mijn gegevens', 'text', 'erase-data'],
  ])('"%s": %s on the topic, %s in the open', (text, topic, open) => {
    expect(asRead(text)).toEqual([topic, open]);
  });

  // Given up on purpose: a letter dropped from a shorter word is how real words come near ("stopt",
  // "stoep"), and three or more of a letter are read as two ("stoooop" as "stoop"). Not understood,
  // so asked again.
  it.each(['stppen', 'stoppn', 'wisen', 'stooppen', 'stoooop'])(
    '"%s" is not understood: asked again, never acted on',
    (text) => {
      expect(asRead(text)).toEqual(['text', 'unclear']);
    },
  );
});

// Regression: "vergeef mij" (forgive me) asked whether to erase the resident's data. "vergeet" is also
// in "vergeet het" (never mind), so it was no destructive word and took any one-letter typo, which
// made "vergeef" the "vergeet" of "vergeet mij". Every word of a destructive phrase now takes only
// the narrowest typos, whatever other intents share it.
// "vergeef mij" is an apology (social, as a greeting is): "Geen probleem.", and the resident stays where they were.
describe('a sentence that looks like a destructive phrase is not it', () => {
  it.each([
    ['vergeef mij', 'text', 'apology'],
    ['Vergeef mij!', 'text', 'apology'],
    ['vergeef me', 'text', 'apology'],
    ['vergeef mij alstublieft', 'text', 'apology'],
    ['verget mij', 'text', 'unclear'],
    ['forgive me', 'text', 'apology'],
    ['forgot me', 'text', 'unclear'],
  ])('"%s": %s on the topic, %s in the open', (text, topic, open) => {
    expect(asRead(text)).toEqual([topic, open]);
  });

  it.each(['vergeef mijn wijk', 'vergeven mij', 'vergeef mij, ik bedoelde het anders'])(
    '"%s" neither erases the data nor forgets the district',
    (text) => {
      expect(asRead(text)[1]).not.toMatch(/^(erase-data|forget-district)$/);
    },
  );

  it.each([
    ['vergeet mij', 'erase-data'],
    ['Vergeet mij alstublieft', 'erase-data'],
    ['vergeett mij', 'erase-data'],
    ['verwijder mijn gegevens', 'erase-data'],
    ['wiss mijn gegevens', 'erase-data'],
    ['forget me', 'erase-data'],
    ['vergeet mijn wijk', 'forget-district'],
    ['forget my district', 'forget-district'],
  ])('"%s" is still %s (its flow asks first)', (text, intent) => {
    expect(asRead(text)[1]).toBe(intent);
  });
});

describe('harmless command words keep their own typos', () => {
  it.each([
    ['menuu', 'menu'],
    ['mneu', 'menu'],
    ['hulpp', 'help'],
    ['hlup', 'help'],
    ['teurg', 'back'],
    ['medewerkr', 'person'],
  ])('"%s" is %s, on the topic and in the open', (text, intent) => {
    expect(asRead(text)).toEqual([intent, intent]);
  });
});

describe('the rule follows the intents, not a list of words', () => {
  const hits = (text: string) => [...(tokenize(vocab, text)[0]?.hits ?? [])];

  it('a word only destructive intents use is destructive; a word a harmless intent shares is not', () => {
    for (const w of ['stop', 'stoppen', 'afmelden', 'uitschrijven', 'unsubscribe', 'verwijder', 'wissen'])
      expect(vocab.destructive, w).toContain(w);
    // "mijn gegevens" is also the data question, "vergeet het" is "never mind", "menu" leaves nothing.
    for (const w of ['gegevens', 'mijn', 'vergeet', 'updates', 'menu', 'terug', 'ja'])
      expect(vocab.destructive, w).not.toContain(w);
    for (const w of vocab.destructive) {
      const intents = [...vocab.intents, ...vocab.requests].filter(([, list]) =>
        list.some((p) => p.words.includes(w)),
      );
      expect(intents.length, w).toBeGreaterThan(0);
      // A harmless intent may hold one only in a phrase that names what a destructive command on
      // its own would end ("afmelden voor de afspraak"): the word stays as strict there.
      const command = [...vocab.intents].some(
        ([intent, list]) => DESTRUCTIVE.includes(intent) && list.some((p) => p.words.join(' ') === w),
      );
      for (const [intent] of intents)
        if (!command) expect(DESTRUCTIVE, `${w} in ${intent}`).toContain(intent);
    }
  });

  // Regression: "ik wil me afmelden voor het spreekuur" was read as unsubscribe (the stop question
  // for someone without updates, which ends everything) where the resident meant their appointment.
  it('"afmelden" for an appointment is the appointment; a typo of "afmelden" still reaches nothing', () => {
    const at = (text: string) => read(vocab, text, { kind: 'open' });
    for (const text of [
      'ik wil me afmelden voor het spreekuur',
      'afmelden voor mijn afspraak',
      'afspraak afmelden',
    ])
      expect(at(text), text).toMatchObject({ kind: 'intent', intent: 'my-appointments' });
    expect(at('afmelden')).toMatchObject({ kind: 'intent', intent: 'unsubscribe' });
    expect(vocab.destructive).toContain('afmelden');
    expect(hits('afmelding')).not.toContain('afmelden');
    expect(at('ik wil een afmelding doorgeven voor mijn afspraak')).not.toMatchObject({
      intent: 'unsubscribe',
    });
  });

  // Every destructive word, made up in three ways: the swap reaches it; a doubled vowel does not,
  // however long the word; a dropped letter only from a word of 8 letters or more.
  const words = [...vocab.destructive].filter((w) => /^[a-z]{4,}$/.test(w));
  const swap = (w: string) => {
    const i = [...w].findIndex((c, k) => k > 0 && c !== w[k - 1]);
    return w.slice(0, i - 1) + w[i] + w[i - 1] + w.slice(i + 1);
  };
  const dropped = (w: string) => w.slice(0, -1);
  const vowelTwice = (w: string) => w.replace(/(?<![aeiou])[aeiou](?![aeiou])/, (v) => v + v);

  it.each(words)(
    '"%s": a swapped pair reaches it; a vowel typed twice does not; a letter dropped by its length',
    (w) => {
      const made = { swapped: swap(w), dropped: dropped(w), vowelTwice: vowelTwice(w) };
      if (!vocab.known.has(made.swapped)) expect(hits(made.swapped), made.swapped).toContain(w);
      if (!vocab.known.has(made.dropped)) {
        if (w.length >= 8) expect(hits(made.dropped), made.dropped).toContain(w);
        else expect(hits(made.dropped), made.dropped).not.toContain(w);
      }
      if (!vocab.known.has(made.vowelTwice)) expect(hits(made.vowelTwice), made.vowelTwice).not.toContain(w);
    },
  );

  it('the same made-up typos of a harmless word of that length are forgiven', () => {
    expect(hits('afsprak')).toContain('afspraak'); // a letter dropped
    expect(hits('afspraaak')).toContain('afspraak');
    expect(hits('wethoduer')).toContain('wethouder'); // a swapped pair
    expect(hits('wethouer')).toContain('wethouder'); // a letter dropped
  });
});
