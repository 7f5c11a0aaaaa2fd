import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read, type Reading } from '../../src/understanding/matcher.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));

/** What a message is read as, on a free-text step (the booking's topic) and in the open. */
function asRead(text: string): { topic: string; open: string } {
  const label = (r: Reading) => (r.kind === 'intent' ? `intent:${r.intent}` : r.kind);
  return {
    topic: label(read(vocab, text, { kind: 'text' })),
    open: label(read(vocab, text, { kind: 'open' })),
  };
}

// Regression: the topic "Stoep" was read as the global "stop" (one letter added), so the booking
// asked "Wilt u stoppen?" and a "Ja" stopped the resident instead of booking.
describe('a real word is never taken for a command word one letter away', () => {
  it.each([
    ['Stoep', 'stop'],
    ['stoep kapot', 'stop'],
    ['stoeptegel los', 'stop'],
    ['stoel', 'stop'],
    ['stof', 'stop'],
    ['stok', 'stop'],
    ['step', 'stop'],
    ['strop', 'stop'],
    ['stip', 'stop'],
    ['men', 'menu'],
    ['hup', 'help'],
    ['held', 'help'],
    ['Helen', 'help'],
  ])('"%s" is a topic, not "%s"', (text) => {
    const { topic, open } = asRead(text);
    expect(topic).toBe('text');
    expect(open).not.toMatch(/^intent:(menu|back|stop|unsubscribe|help|person|english|dutch|start)$/);
  });
});

describe('a command word typed with a swap or a doubled letter is still that command', () => {
  it.each([
    ['stop', 'stop'],
    ['stpo', 'stop'],
    ['sotp', 'stop'],
    ['stopp', 'stop'],
    ['Stop!', 'stop'],
    ['stoppen', 'stop'],
    ['stopen', 'stop'],
    ['mneu', 'menu'],
    ['menuu', 'menu'],
    ['hlup', 'help'],
    ['hullp', 'help'],
    ['terug', 'back'],
    ['teurg', 'back'],
    ['medewerkr', 'person'],
  ])('"%s" is "%s", on a free-text step and in the open', (text, intent) => {
    expect(asRead(text)).toEqual({ topic: `intent:${intent}`, open: `intent:${intent}` });
  });

  it('"klaar" says done in the open, and is a topic on a free-text step (it is no command)', () => {
    expect(asRead('klaar')).toEqual({ topic: 'text', open: 'intent:done' });
  });
});

// Regression: "volgen" and "ik wil mijn wijk volgen" (following the district's projects) were not
// understood, or read as "Wie is mijn wijkwethouder?"; "niet meer volgen" was not understood. And
// "volgens mij …" (I think …) must not become "volgen" by a letter added.
describe('following the district is the updates, and unfollowing ends them', () => {
  it.each([
    ['volgen', 'intent:updates'],
    ['ik wil mijn wijk volgen', 'intent:updates'],
    ['kan ik de projecten in mijn wijk volgen?', 'intent:updates'],
    ['follow my district', 'intent:updates'],
    ['ik wil niet meer volgen', 'intent:updates-off'],
    ['wijk ontvolgen', 'intent:updates-off'],
    ['unfollow', 'intent:updates-off'],
    ['stop following', 'intent:updates-off'],
    ['volgens mij klopt mijn postcode niet', 'unclear'],
    ["I can't follow", 'unclear'],
  ])('"%s" reads %s', (text, expected) => {
    const r = read(vocab, text, { kind: 'open' });
    expect(r.kind === 'intent' ? `intent:${r.intent}` : r.kind).toBe(expected);
  });
});

// Regression: "wanneer krijg ik antwoord" and "when do I get an answer" at the menu were not
// understood ("Sorry, dat begrijp ik niet goed"); they ask how a question stands.
describe("asking when the answer comes is the status of one's questions", () => {
  it.each([
    'wanneer krijg ik antwoord',
    'wanneer krijg ik antwoord over de lantaarnpaal?',
    'krijg ik nog antwoord?',
    'when do I get an answer',
    'I have not had an answer yet',
  ])('"%s" reads my-questions', (text) => {
    const r = read(vocab, text, { kind: 'open' });
    expect(r.kind === 'intent' ? r.intent : r.kind).toBe('my-questions');
  });
});
