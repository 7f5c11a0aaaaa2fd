import { describe, expect, it } from 'vitest';
import { atFreeTimes, remembered, slot } from './fixtures.js';

/** Anna at the booking's "Waar wilt u het over hebben?", after picking the first of two times. */
function atTopic() {
  const { h, anna, slots } = atFreeTimes();
  anna.press(`slot:${slot(0).start}`);
  expect(anna.at).toBe('book/topic');
  return { h, anna, slots };
}

/** Anna writing a question, one part written already. */
function writing() {
  const { h, anna } = remembered({ services: { 'bookings.free': () => [slot(0)], 'cases.mine': () => [] } });
  anna.send('vraag stellen');
  anna.send('De lantaarnpaal in mijn straat is kapot');
  expect(anna.at).toBe('ask/text');
  return { h, anna };
}

/**
 * Steps that take free text (a booking's topic, a question being written) keep the resident's words,
 * also words of other flows in them; a message that wholly asks for another flow is offered as
 * elsewhere ("Wilt u daarmee stoppen?"), and at the topic a correction of the time shows the times.
 */
describe('a request for another flow at a step that takes free text', () => {
  // Regression (a resident's walkthrough): at the booking's topic "mijn vragen" and "ik wil toch
  // liever een vraag stellen" became the topic of the appointment.
  it.each([
    ['mijn vragen', 'status.menu'],
    ['My questions', 'status.menu'],
    ['ik wil toch liever een vraag stellen', 'ask.menu'],
  ] as const)('offers "%s" at the booking topic instead of taking it as the topic', (typed, next) => {
    const { h, anna } = atTopic();
    const offer = anna.send(typed);
    expect(offer.text).toBe(h.t('switch.ask', { current: h.t('book.menu'), next: h.t(next) }));
    expect(anna.at).toBe('switch/ask');
    expect(anna.state.data.topic).toBeUndefined();
  });

  it('goes back to the topic question on no, and a yes starts the other flow', () => {
    const { h, anna } = atTopic();
    anna.send('mijn vragen');
    const back = anna.send('nee');
    expect(back.replies.map((m) => m.text)).toEqual([h.t('switch.continue'), h.t('book.topic')]);
    expect(anna.at).toBe('book/topic');
    anna.send('ik wil toch liever een vraag stellen');
    expect(anna.send('ja').text).toBe(h.t('ask.write'));
    expect(anna.at).toBe('ask/text');
  });

  // Regression (a resident's walkthrough): "sorry verkeerde tijd, ik bedoelde de tweede" became the topic.
  it.each([
    'sorry verkeerde tijd, ik bedoelde de tweede',
    'verkeerde tijd',
    'andere dag',
    'sorry, wrong time',
  ])('shows the times again for "%s" at the booking topic', (typed) => {
    const { anna, slots } = atTopic();
    const again = anna.send(typed);
    expect(again.text).toBe(slots.text);
    expect(again.choices.map((c) => c.id)).toEqual(slots.choices.map((c) => c.id));
    expect(anna.at).toBe('book/slot');
    expect(anna.state.data.topic).toBeUndefined();
  });

  it('takes the second time after the correction, and asks the topic again', () => {
    const { h, anna } = atTopic();
    anna.send('sorry verkeerde tijd, ik bedoelde de tweede');
    expect(anna.send('2').text).toBe(h.t('book.topic'));
    expect(anna.state.data.start).toBe(slot(1).start);
  });

  it.each([
    'ik heb een vraag over mijn afspraak met de buren',
    'mijn vragen over de parkeervergunning',
    'over mijn vraag',
    'mijn wijk',
    'een idee',
    'afspraak verzetten met de buren',
    'de verkeerde tijd op het bord bij de bushalte',
  ])('keeps "%s" as the topic of the booking', (typed) => {
    const { anna } = atTopic();
    anna.send(typed);
    expect(anna.at).toBe('book/confirm');
    expect(anna.state.data.topic).toBe(typed);
  });

  // Regression (a resident's walkthrough): while writing a question, "mijn vragen" and "ik wil toch
  // liever een afspraak maken" were added to the question.
  it.each([
    ['mijn vragen', 'status.menu'],
    ['Mijn afspraken', 'appointments.menu'],
    ['ik wil toch liever een afspraak maken', 'book.menu'],
  ] as const)('offers "%s" while a question is written instead of adding it', (typed, next) => {
    const { h, anna } = writing();
    const offer = anna.send(typed);
    expect(offer.text).toBe(h.t('switch.ask', { current: h.t('ask.menu'), next: h.t(next) }));
    expect(anna.state.data.parts).toEqual(['De lantaarnpaal in mijn straat is kapot']);
    const back = anna.send('nee');
    expect(back.replies.map((m) => m.text)).toEqual([h.t('switch.continue'), h.t('ask.more')]);
    expect(anna.at).toBe('ask/text');
    expect(anna.state.data.parts).toEqual(['De lantaarnpaal in mijn straat is kapot']);
  });

  it('starts the booking on a yes, from the question being written', () => {
    const { anna } = writing();
    anna.send('ik wil toch liever een afspraak maken');
    anna.send('ja');
    expect(anna.at).toBe('book/alderman');
    expect(anna.state.data.parts).toBeUndefined();
  });

  it.each([
    'ik heb een vraag over mijn afspraak met de buren',
    'afspraak',
    'mijn afspraak',
    'over mijn vraag',
    'mijn wijk',
    'vraag stellen over de stoep',
  ])('keeps "%s" as a part of the question', (typed) => {
    const { anna } = writing();
    anna.send(typed);
    expect(anna.at).toBe('ask/text');
    expect(anna.state.data.parts).toEqual(['De lantaarnpaal in mijn straat is kapot', typed]);
  });
});
