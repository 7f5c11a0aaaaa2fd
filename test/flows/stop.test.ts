import { describe, expect, it } from 'vitest';
import { flowHarness } from '../support/flow-harness.js';
import { booking, caseOf, slot, timers } from './fixtures.js';

function started() {
  const h = flowHarness({
    services: {
      'bookings.cancel-all': () => ({ dropped: [], cancelled: [] }),
      'participation.unsubscribe': () => ({ removed: 1 }),
      'participation.mine': () => [],
    },
  });
  const anna = h.chat('anna');
  anna.send('hoi');
  return { h, anna };
}

describe('stop flow', () => {
  it('tells the alderman of each appointment stopping cancelled, as a cancellation by the resident, not of one begun', () => {
    const { h, anna } = started();
    const ahead = booking({ status: 'cancelled' });
    // Begun at 09:50 on the harness's clock (10:00): the session is under way, nothing to tell.
    const begun = booking({ id: 'b-0', start: Date.parse('2026-12-01T08:50:00Z'), status: 'cancelled' });
    h.serve('bookings.cancel-all', () => ({ dropped: [], cancelled: [begun, ahead] }));
    anna.send('stop');
    const done = anna.press('yes');
    expect(done.effects).toEqual([
      {
        type: 'schedule',
        name: 'booking.tell-alderman',
        data: { bookingId: 'b-1', change: 'cancelled', slotStart: ahead.start },
        jobId: `booking.tell-alderman.cancelled.b-1.${ahead.start}`,
      },
    ]);
  });

  // Regression (a resident's walkthrough): the stop question named the appointments that lapse but not
  // the open questions, whose answers then never reach the resident; and it asked twice ("Wilt u
  // stoppen? … Weet u het zeker?").
  it('names each open question whose answer would not reach them, and asks one question', () => {
    const { h, anna } = started();
    h.serve('cases.mine', () => [
      caseOf({ reference: 'RSW-2026-000007', status: 'routed' }),
      caseOf({ id: 'c-2', reference: 'RSW-2026-000008', status: 'answered' }),
    ]);
    const ask = anna.send('stop');
    expect(ask.text).toBe(
      [
        h.t('stop.confirm'),
        h.t('stop.confirm_question', { reference: 'RSW-2026-000007' }),
        h.t('stop.sure'),
      ].join('\n'),
    );
    expect(ask.text.match(/\?/g)).toHaveLength(1);
    // Asked again on an unclear answer, with the same lines.
    expect(anna.send('hmm').text).toContain(h.t('stop.confirm_question', { reference: 'RSW-2026-000007' }));
  });

  it('asks first; after yes it cancels the appointments, their reminders and the subscriptions, and falls silent', () => {
    const { h, anna } = started();
    h.serve('bookings.cancel-all', () => ({
      dropped: ['booking.day-before.b-1.1', 'booking.end.b-1.1'],
      cancelled: [],
    }));
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
    // What they write next is for the person again, not an answer to the bot: it is only noted.
    expect(anna.send('ja').replies.map((r) => r.text)).toEqual([h.t('person.wait_noted')]);
    expect(anna.state.mode).toBe('human');
  });

  // Regression: "hulp" and "English" showed the menu while waiting for a person, and the choice
  // that followed was swallowed; now they answer without a menu and say how to leave.
  it.each([
    ['hulp', 'nl', ['person.help_waiting']],
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

/** A resident whose district is remembered (Muziekbuurt: Anna de Vries), at the menu. */
function resident() {
  const made = booking({ start: slot(1).start, end: slot(1).end });
  const h = flowHarness({
    services: {
      'bookings.free': () => [slot(0), slot(1), slot(2)],
      'bookings.book': () => ({ booking: made, timers: timers(made) }),
      'bookings.cancel-all': () => ({ dropped: [], cancelled: [] }),
      'participation.unsubscribe': () => ({ removed: 0 }),
      'cases.create': () => caseOf({ status: 'new' }),
    },
  });
  const anna = h.chat('anna');
  anna.send('hoi');
  anna.send('2282AB');
  anna.send('ja');
  return { h, anna };
}

// Regression: a "nee" to "Wilt u stoppen?" in the middle of a booking or a question went to the
// menu, and what the resident had chosen or written so far was gone.
describe('stop in the middle of a flow', () => {
  it('a no at the booking topic asks the topic again, and the booking goes on with the time chosen', () => {
    const { h, anna } = resident();
    anna.send('afspraak');
    anna.press(/Anna de Vries/);
    anna.press(`slot:${slot(1).start}`);
    expect(anna.at).toBe('book/topic');
    expect(anna.send('stop').text).toContain(h.t('stop.confirm'));
    const no = anna.send('nee');
    expect(no.replies.map((m) => m.text)).toEqual([h.t('stop.continue'), h.t('book.topic')]);
    expect(no.calls.map((c) => c.service)).not.toContain('bookings.cancel-all');
    expect(anna.at).toBe('book/topic');
    expect(anna.state.stack).toEqual([]);
    expect(anna.send('Bankje in het park').text).toContain('19:10');
    const done = anna.press('yes');
    expect(done.calls.at(-1)).toMatchObject({
      service: 'bookings.book',
      args: { aldermanId: 'anna-de-vries', start: slot(1).start, topic: 'Bankje in het park' },
    });
    expect(anna.at).toBe('menu/main');
  });

  it('a no while writing a question keeps what was written, and the question is sent whole', () => {
    const { h, anna } = resident();
    anna.send('vraag stellen');
    anna.send('De container in mijn straat');
    expect(anna.send('laat me met rust').text).toContain(h.t('stop.confirm'));
    const no = anna.send('nee');
    expect(no.replies.map((m) => m.text)).toEqual([h.t('stop.continue'), h.t('ask.more')]);
    expect(no.choices.map((c) => c.id)).toEqual(['done']);
    expect(anna.at).toBe('ask/text');
    anna.send('is al een week vol.');
    anna.press('done');
    const confirm = anna.press('topic:afval');
    expect(confirm.text).toContain('De container in mijn straat\nis al een week vol.');
    expect(anna.press('send').calls.at(-1)).toMatchObject({
      service: 'cases.create',
      args: { text: 'De container in mijn straat\nis al een week vol.', topic: 'afval' },
    });
  });

  // Regression: the times came back as bare buttons under "We gaan verder.", without their question.
  it('a no at a step of choices only (the free times) asks for a time again, with the same times', () => {
    const { h, anna } = resident();
    anna.send('afspraak');
    const slots = anna.press(/Anna de Vries/);
    // "stop" itself here is the booking's own "Stoppen"; a sentence is the stop question.
    expect(anna.send('laat me met rust').text).toContain(h.t('stop.confirm'));
    const no = anna.press('no');
    expect(no.replies.map((m) => m.text)).toEqual([h.t('stop.continue'), slots.replies.at(-1)?.text]);
    expect(no.choices.map((c) => c.id)).toEqual(slots.choices.map((c) => c.id));
    expect(anna.at).toBe('book/slot');
    expect(anna.send('2').text).toBe(h.t('book.topic'));
  });

  it('a no in a flow called from another (the district, asked for a question) goes on in both', () => {
    const { h } = resident();
    const bob = h.chat('bob');
    bob.send('hoi');
    bob.send('ik heb een vraag');
    bob.send('Wanneer wordt het gras gemaaid?');
    expect(bob.press('done').text).toBe(h.t('district.ask'));
    bob.send('laat me met rust');
    expect(bob.send('nee').replies.map((m) => m.text)).toEqual([h.t('stop.continue'), h.t('district.ask')]);
    expect(bob.at).toBe('district/ask');
    bob.send('2286 AB');
    expect(bob.press('no').text).toContain(h.t('ask.topic'));
    bob.press('topic:afval');
    expect(bob.press('send').calls.at(-1)?.args).toMatchObject({ text: 'Wanneer wordt het gras gemaaid?' });
  });

  it('a no while asked whether to leave the booking goes back to that question, then to the times', () => {
    const { h, anna } = resident();
    anna.send('afspraak');
    const slots = anna.press(/Anna de Vries/);
    anna.send('mijn afspraken');
    expect(anna.at).toBe('switch/ask');
    expect(anna.send('laat me met rust').text).toContain(h.t('stop.confirm'));
    const back = anna.send('nee');
    expect(back.replies.map((m) => m.text)[0]).toBe(h.t('stop.continue'));
    expect(anna.at).toBe('switch/ask');
    const times = anna.press('no');
    expect(times.replies.map((m) => m.text)).toEqual([h.t('switch.continue'), slots.replies.at(-1)?.text]);
    expect(times.choices.map((c) => c.id)).toEqual(slots.choices.map((c) => c.id));
    expect(anna.at).toBe('book/slot');
  });

  it('a yes in the middle of a flow stops as at the menu: nothing of the flow is left', () => {
    const { h, anna } = resident();
    anna.send('afspraak');
    anna.press(/Anna de Vries/);
    anna.press(`slot:${slot(1).start}`);
    anna.send('stop');
    const yes = anna.send('ja');
    expect(yes.replies.map((m) => m.text)).toEqual([h.t('stop.done')]);
    expect(yes.calls.map((c) => c.service)).toEqual(['bookings.cancel-all', 'participation.unsubscribe']);
    expect(anna.state.mode).toBe('stopped');
    expect(anna.state.at).toBeUndefined();
    expect(anna.state.stack).toEqual([]);
    expect(anna.state.data).toEqual({});
    expect(anna.send('Bankje in het park').replies).toEqual([]);
  });

  it('a no at the menu shows the menu, as before', () => {
    const { h, anna } = resident();
    anna.send('stop');
    const no = anna.send('nee');
    expect(no.replies.map((m) => m.text)).toEqual([h.t('stop.cancelled'), h.t('core.menu.prompt')]);
    expect(anna.at).toBe('menu/main');
  });
});
