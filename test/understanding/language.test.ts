import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { understand } from '../../src/understanding/matcher.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));

// Which language a message is clearly written in decides whether a conversation switches
// (flows/language.ts). Only words one language's vocabulary has count, several of them, and none
// of the other's; a word both have ("help", "menu", "status", "ok") counts for neither.
describe('the language a message is clearly written in', () => {
  it.each([
    ['ik wil een afspraak maken met de wethouder', 'nl'],
    ['Kan ik een vraag stellen over het afval?', 'nl'],
    ['nee dank je wel', 'nl'],
    ['I would like to make an appointment with the alderman', 'en'],
    ['who is my district alderman?', 'en'],
    ['can I ask a question please', 'en'],
  ])('"%s" is %s', (text, lang) => {
    expect(understand(vocab, text).language).toBe(lang);
  });

  it.each([
    'help',
    'menu',
    'status',
    'ok',
    'stop',
    'ja graag',
    'yes please',
    'afspraak',
    'I want een afspraak',
    'hoi, how are you',
    'ok thanks',
    'afspraak afspraak afspraak',
    'ik wil afsprak',
    '2282 AB',
  ])('"%s" is neither: short, mixed, repeated or shared words', (text) => {
    expect(understand(vocab, text).language).toBeUndefined();
  });

  // Regression: a resident waiting for a person sent '<form action="javascript:…"><button>go</button>
  // </form>' and the conversation switched to English ("form", "action", "button", "window").
  it.each([
    '<form action="javascript:window.__xss(35)"><button id="f35">go</button></form>',
    '<a href="https://example.org/please/help/with/my/appointment/booking">klik</a>',
    'javascript:window.location="https://example.org/form/button/action"',
  ])('reads no language from markup or links: %s', (text) => {
    expect(understand(vocab, text).language).toBeUndefined();
  });

  it('still reads the words around markup', () => {
    expect(understand(vocab, 'ik wil <b>graag</b> een afspraak maken met de wethouder').language).toBe('nl');
  });

  it('shares no word between the two languages’ own words', () => {
    const nl = vocab.ownWords.get('nl') ?? new Set();
    const en = vocab.ownWords.get('en') ?? new Set();
    expect([...nl].filter((w) => en.has(w))).toEqual([]);
    for (const both of ['help', 'menu', 'status', 'ok', 'stop']) {
      expect(nl.has(both)).toBe(false);
      expect(en.has(both)).toBe(false);
    }
  });
});
