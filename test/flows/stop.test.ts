import { describe, expect, it } from 'vitest';
import { flowHarness } from '../support/flow-harness.js';
import { booking, caseOf } from './fixtures.js';

function started() {
  const h = flowHarness({
    services: {
      'bookings.cancel-all': () => ({ dropped: [] }),
      'participation.unsubscribe': () => ({ removed: 1 }),
      'participation.mine': () => [],
    },
  });
  const anna = h.chat('anna');
  anna.send('hoi');
  return { h, anna };
}

describe('stop flow', () => {
  it('asks first; after yes it cancels the appointments, their reminders and the subscriptions, and falls silent', () => {
    const { h, anna } = started();
    h.serve('bookings.cancel-all', () => ({ dropped: ['booking.day-before.b-1.1', 'booking.end.b-1.1'] }));
    const ask = anna.send('stop');
    expect(ask.text).toContain(h.t('stop.confirm'));
    expect(ask.choices.map((c) => c.id)).toEqual(['yes', 'no']);
    const done = anna.press('yes');
    expect(done.calls).toEqual([
      { service: 'bookings.cancel-all', args: {}, by: 'console:anna' },
      { service: 'participation.unsubscribe', args: {}, by: 'console:anna' },
    ]);
    expect(done.text).toBe(h.t('stop.done'));
    expect(done.effects).toEqual([
      { type: 'cancel-job', jobId: 'booking.day-before.b-1.1' },
      { type: 'cancel-job', jobId: 'booking.end.b-1.1' },
    ]);
    expect(anna.state.mode).toBe('stopped');
    expect(anna.flags.needsHuman).toBe(false);
    expect(anna.send('hallo?').replies).toEqual([]);
    expect(anna.send('menu').replies).toEqual([]);
  });

  it('hears no events while stopped: no reminder, no answer notice', () => {
    const { anna } = started();
    anna.send('stop');
    anna.send('ja');
    expect(anna.fire('booking.reminder', { booking: booking(), kind: 'day-before' }).replies).toEqual([]);
    expect(
      anna.fire('case.answered', { case: caseOf({ status: 'answered', answer: 'Opgelost.' }) }).replies,
    ).toEqual([]);
  });

  it('"start" brings a stopped conversation back to the menu', () => {
    const { h, anna } = started();
    anna.send('stop');
    anna.send('ja');
    const back = anna.send('start');
    expect(back.replies.map((m) => m.text)).toEqual([h.t('start.welcome_back'), h.t('core.menu.prompt')]);
    expect(anna.state.mode).toBe('bot');
  });

  it('keeps everything on no, and asks again on an unclear answer', () => {
    const { h, anna } = started();
    anna.send('afmelden');
    expect(anna.send('hmm').text).toContain(h.t('stop.confirm'));
    const kept = anna.press('no');
    expect(kept.calls).toEqual([]);
    expect(kept.text).toContain(h.t('stop.cancelled'));
    expect(anna.state.mode).toBe('bot');
  });

  // "afmelden", "uitschrijven", "unsubscribe": the stop question only without a subscription (unsubscribe flow).
  it.each(['stop', 'Stoppen', 'afmelden', 'uitschrijven', 'unsubscribe', '/stop', 'geen berichten meer'])(
    '"%s" asks to stop (no subscriptions)',
    (word) => {
      const { h, anna } = started();
      expect(anna.send(word).text).toContain(h.t('stop.confirm'));
    },
  );

  it('asks to stop while waiting for a person', () => {
    const { h, anna } = started();
    anna.send('medewerker');
    expect(anna.send('stop').text).toContain(h.t('stop.confirm'));
  });

  // Regression: "stop" while waiting for a person asked for a confirmation but left the mode human,
  // so the "ja" that followed went to the person and the resident who confirmed was not stopped.
  it('stops a resident who confirms while waiting for a person, and clears the request', () => {
    const { h, anna } = started();
    anna.send('medewerker');
    expect(anna.flags.needsHuman).toBe(true);
    anna.send('stop');
    expect(anna.send('ja').text).toBe(h.t('stop.done'));
    expect(anna.state.mode).toBe('stopped');
    expect(anna.flags.needsHuman).toBe(false);
  });

  it('keeps a resident waiting for a person who says no to stopping', () => {
    const { h, anna } = started();
    anna.send('medewerker');
    anna.send('stop');
    const no = anna.send('nee');
    expect(no.replies.map((r) => r.text)).toEqual([h.t('stop.cancelled'), h.t('person.still_waiting')]);
    expect(anna.state.mode).toBe('human');
    expect(anna.flags.needsHuman).toBe(true);
    // What they write next is for the person again, not an answer to the bot.
    expect(anna.send('ja').replies).toEqual([]);
    expect(anna.state.mode).toBe('human');
  });

  // Regression: "hulp" and "English" showed the menu while waiting for a person, and the choice
  // that followed was swallowed; now they answer without a menu and say how to leave.
  it.each([
    ['hulp', 'nl', ['core.help', 'person.still_waiting']],
    ['English', 'en', ['language.switched', 'person.still_waiting']],
  ] as const)('"%s" while waiting for a person keeps them waiting', (word, lang, keys) => {
    const { h, anna } = started();
    anna.send('medewerker');
    const turn = anna.send(word);
    expect(turn.replies.map((r) => r.text)).toEqual(keys.map((k) => h.tIn(lang)(k)));
    expect(turn.choices).toEqual([]);
    expect(anna.state.mode).toBe('human');
    expect(anna.flags.needsHuman).toBe(true);
  });

  it('stops with a typed "ja" in another language too', () => {
    const { h, anna } = started();
    anna.send('english');
    anna.send('stop');
    expect(anna.send('yes').text).toBe(h.tIn('en')('stop.done'));
  });
});
