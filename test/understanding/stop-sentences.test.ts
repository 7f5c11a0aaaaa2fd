import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read, type Reading } from '../../src/understanding/matcher.js';
import { loadVocabulary } from '../../src/understanding/vocabulary.js';
import { flowHarness, type FakeServices } from '../support/flow-harness.js';
import { slot } from '../flows/fixtures.js';

const vocab = loadVocabulary(join(import.meta.dirname, '../../data/vocabulary'));

const label = (r: Reading) => (r.kind === 'intent' ? r.intent : r.kind);

/** What a message is read as on a free-text step (the booking's topic) and in the open (no flow). */
function asRead(text: string): [string, string] {
  return [label(read(vocab, text, { kind: 'text' })), label(read(vocab, text, { kind: 'open' }))];
}

// Regression: only "stop", "stoppen" or "geen berichten meer" on their own were the stop intent; a
// resident who asked in a sentence ("laat me met rust", "please stop messaging me") was not
// understood and kept getting messages. A request sentence (`requests` in data/vocabulary) is now
// the stop intent as the whole message: it works at any step, and the stop flow asks first.
const ASKS_TO_STOP = [
  // Dutch
  'ik wil geen berichten meer ontvangen',
  'Ik wil geen berichten meer krijgen van jullie.',
  'ik wil geen berichten meer',
  'ik wil geen berichten ontvangen',
  'stuur me niks meer',
  'Stuur mij niets meer aub',
  'stuur me geen berichten meer',
  'kunt u mij geen berichten meer sturen?',
  'wilt u me niks meer sturen',
  'laat me met rust',
  'Laat mij met rust!',
  'hoi, laat me met rust',
  'wil je me met rust laten',
  'ik wil niet meer gebeld of geappt worden',
  'ik wil niet meer benaderd worden',
  'ik wens niet meer gebeld te worden',
  'hou op met sturen',
  'houd op met die berichten',
  'hou op',
  'stop met berichten sturen',
  'stop met alle berichten',
  'kunnen jullie stoppen met sturen',
  'ik wil niks meer horen van de gemeente',
  'geen berichten meer',
  // English
  'please stop messaging me',
  'stop texting me',
  'stop sending me messages',
  "I don't want any more messages",
  'I do not want any more messages',
  'i want no more messages',
  "don't message me again",
  'do not contact me',
  'leave me alone',
  'stop bothering me',
  'no more messages',
];

// Look-alikes: the same words, saying something else. Never the stop intent, on the topic or in the open.
const LOOKS_LIKE_STOP: [string, string][] = [
  ['ik heb geen berichten meer gekregen over mijn vraag', 'my-questions'],
  ['ik krijg geen berichten meer', 'unclear'],
  ['ik wil weten waarom ik geen berichten meer krijg', 'unclear'],
  ['waarom stuurt u me niks meer', 'unclear'],
  ['jullie sturen geen berichten meer', 'unclear'],
  ['de buren laten me niet met rust', 'unclear'],
  ['mijn buurman laat me niet met rust over de schutting', 'unclear'],
  ['ze willen me maar niet met rust laten', 'unclear'],
  ['ik ben niet meer gebeld over mijn afspraak', 'my-appointments'],
  ['hou op de hoogte', 'unclear'],
  ['hou me op de hoogte', 'updates'],
  ['niet stoppen', 'unclear'],
  ['ik wil niet stoppen met de berichten', 'unclear'],
  ['ik stop met roken', 'unclear'],
  ['de bus stopt hier niet meer', 'unclear'],
  ['I have not received any more messages', 'unclear'],
  ['I got no more messages about my question', 'my-questions'],
  ["don't stop messaging me", 'unclear'],
  ['my neighbour does not leave me alone', 'unclear'],
];

describe('a sentence that asks to stop is the stop intent, as the whole message', () => {
  it.each(ASKS_TO_STOP)('"%s": stop on the topic and in the open', (text) => {
    expect(asRead(text)).toEqual(['stop', 'stop']);
  });

  it.each(LOOKS_LIKE_STOP)('"%s": not stop (the topic\'s text; %s in the open)', (text, open) => {
    expect(asRead(text)).toEqual(['text', open]);
  });

  // Known and accepted: a question about stopping has the words of a request. It is asked, and a
  // "no" keeps everything (see the flows below).
  it('"why did you stop messaging me" is read as the request: the stop question is asked', () => {
    expect(asRead('why did you stop messaging me')).toEqual(['stop', 'stop']);
  });
});

describe('the more specific intent wins: the district updates are updates off, not stop', () => {
  it.each([
    ['ik wil geen wijkberichten meer ontvangen', 'updates-off'],
    ['ik wil geen berichten meer over mijn wijk', 'updates-off'],
    ['stuur me geen wijkberichten meer', 'updates-off'],
    ['ik wil geen updates meer ontvangen', 'updates-off'],
    ['I want no more messages about my district', 'updates-off'],
  ])('"%s": %s in the open', (text, open) => {
    expect(asRead(text)[1]).toBe(open);
  });
});

/** A resident at the menu, with a booking on file and, if `subscribed`, the district updates. */
function resident(subscribed = false, services: FakeServices = {}) {
  const h = flowHarness({
    services: {
      'bookings.free': () => [0, 1, 2, 3, 4].map((n) => slot(n)),
      'bookings.upcoming': () => [],
      'bookings.cancel-all': () => ({ dropped: [], cancelled: [] }),
      'participation.unsubscribe': () => ({ removed: subscribed ? 1 : 0 }),
      'participation.mine': () =>
        subscribed
          ? [{ districtId: 'muziekbuurt', topic: null, since: Date.parse('2026-11-20T10:00:00Z') }]
          : [],
      ...services,
    },
  });
  const anna = h.chat('anna', { firstName: 'Anna' });
  anna.send('hoi');
  return { h, anna };
}

const acted = (h: ReturnType<typeof flowHarness>) =>
  h.calls
    .map((c) => c.service)
    .filter((s) => s === 'bookings.cancel-all' || s === 'participation.unsubscribe');

describe('through the flows: a stop sentence always asks first, wherever it is typed', () => {
  it.each(ASKS_TO_STOP)('"%s" at the menu asks "Wilt u stoppen?"; no keeps everything', (text) => {
    const { h, anna } = resident();
    const asked = anna.send(text);
    expect(asked.text).toContain(
      anna.state.lang === 'en' ? h.tIn('en')('stop.confirm') : h.t('stop.confirm'),
    );
    expect(anna.at).toBe('stop/confirm');
    expect(acted(h)).toEqual([]);
    anna.press('no');
    expect(acted(h)).toEqual([]);
    expect(anna.state.mode).toBe('bot');
  });

  it.each(LOOKS_LIKE_STOP.map(([text]) => text))('"%s" at the menu does not ask to stop', (text) => {
    const { h, anna } = resident();
    const turn = anna.send(text);
    expect(turn.text).not.toContain(h.t('stop.confirm'));
    expect(anna.at).not.toBe('stop/confirm');
    expect(acted(h)).toEqual([]);
  });

  it('mid-booking, on the topic (free text): asks first, and yes stops', () => {
    const { h, anna } = resident();
    anna.send('2282AB');
    anna.send('ja');
    anna.send('afspraak');
    anna.press(/Anna de Vries/);
    anna.press(`slot:${slot(1).start}`);
    expect(anna.at).toBe('book/topic');
    expect(anna.send('ik wil geen berichten meer ontvangen').text).toContain(h.t('stop.confirm'));
    expect(acted(h)).toEqual([]);
    expect(anna.send('ja').text).toBe(h.t('stop.done'));
    expect(acted(h)).toEqual(['bookings.cancel-all', 'participation.unsubscribe']);
    expect(anna.state.mode).toBe('stopped');
  });

  // A no used to end the booking at the menu; the booking goes on where it was.
  it('mid-booking, at the alderman question: asks first, and no goes on with the same choices', () => {
    const { h, anna } = resident();
    anna.send('2282AB');
    anna.send('ja');
    const proposed = anna.send('afspraak');
    expect(anna.at).toBe('book/alderman');
    expect(anna.send('laat me met rust').text).toContain(h.t('stop.confirm'));
    const no = anna.send('nee');
    // The question comes again with its choices (254a905), not the choices alone.
    expect(no.text).toBe(`${h.t('stop.continue')}\n${proposed.text}`);
    expect(no.choices.map((c) => c.id)).toEqual(proposed.choices.map((c) => c.id));
    expect(acted(h)).toEqual([]);
    expect(anna.state.mode).toBe('bot');
    expect(anna.at).toBe('book/alderman');
    anna.press(/Anna de Vries/);
    expect(anna.at).toBe('book/slot');
  });

  it('a look-alike on the topic is the topic', () => {
    const { h, anna } = resident();
    anna.send('2282AB');
    anna.send('ja');
    anna.send('afspraak');
    anna.press(/Anna de Vries/);
    anna.press(`slot:${slot(1).start}`);
    const topic = anna.send('ik krijg geen berichten meer over de bouw');
    expect(topic.text).not.toContain(h.t('stop.confirm'));
    expect(anna.state.data).toMatchObject({ topic: 'ik krijg geen berichten meer over de bouw' });
  });

  it('while waiting for a person: asks first; no goes back to waiting, yes stops', () => {
    const { h, anna } = resident();
    anna.send('medewerker');
    expect(anna.state.mode).toBe('human');
    expect(anna.send('stuur me niks meer').text).toContain(h.t('stop.confirm'));
    const no = anna.send('nee');
    expect(no.replies.map((r) => r.text)).toEqual([h.t('stop.cancelled'), h.t('person.still_waiting')]);
    expect(anna.state.mode).toBe('human');
    expect(anna.send('please stop messaging me').text).toContain(h.t('stop.confirm'));
    expect(anna.send('ja').text).toBe(h.t('stop.done'));
    expect(anna.state.mode).toBe('stopped');
    expect(anna.flags.needsHuman).toBe(false);
  });

  it('a subscriber who asks for no more district messages gets the updates question, not stop', () => {
    const { h, anna } = resident(true);
    const asked = anna.send('ik wil geen wijkberichten meer ontvangen');
    expect(asked.text).toContain(h.t('participation.off_confirm'));
    expect(anna.at).toBe('updates-off/confirm');
    expect(acted(h)).toEqual([]);
    expect(anna.send('ja').text).toContain(h.t('participation.unsubscribed'));
    expect(acted(h)).toEqual(['participation.unsubscribe']);
    expect(anna.state.mode).toBe('bot');
  });

  it('a subscriber who asks for no messages at all still gets the stop question', () => {
    const { h, anna } = resident(true);
    expect(anna.send('ik wil geen berichten meer ontvangen').text).toContain(h.t('stop.confirm'));
    expect(anna.at).toBe('stop/confirm');
  });
});
