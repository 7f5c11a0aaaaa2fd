import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/shared/errors.js';
import { flowHarness, type FakeServices } from '../support/flow-harness.js';
import { booking, EVENING, remembered, slot, timers } from './fixtures.js';
import { endOfLocalDay, localDateOf } from '../../src/shared/local-date.js';

const five = [0, 1, 2, 3, 4].map((n) => slot(n));

/** A resident whose district is remembered (Muziekbuurt: Anna de Vries), at the menu. */
function resident(services: FakeServices = {}) {
  const h = flowHarness({ services: { 'bookings.free': () => five, ...services } });
  const anna = h.chat('anna', { firstName: 'Anna' });
  anna.send('hoi');
  anna.send('2282AB');
  anna.send('ja');
  return { h, anna };
}

/** The same resident at the confirmation of 19:10 on 8 December, topic given. */
function atConfirmation(services: FakeServices = {}) {
  const { h, anna } = resident(services);
  anna.send('afspraak');
  anna.press(/Anna de Vries/);
  anna.press(`slot:${slot(1).start}`);
  anna.send('Bankje in het park');
  return { h, anna };
}

/** Bob, in English, at the confirmation of 19:10 on 8 December, topic given; booking works. */
function bobAtConfirmation() {
  const h = flowHarness({
    services: { 'bookings.free': () => five, 'bookings.book': () => ({ booking: booking(), timers: [] }) },
  });
  const en = h.tIn('en');
  const bob = h.chat('bob');
  bob.send('hello');
  bob.send('english');
  bob.send('2282AB');
  bob.send('yes');
  bob.send('appointment');
  bob.press(/Anna de Vries/);
  bob.press(`slot:${slot(1).start}`);
  bob.send('A bench in the park');
  expect(bob.at).toBe('book/confirm');
  return { h, en, bob };
}

describe('book flow', () => {
  it('proposes the resident’s own district alderman and shows the first five free slots', () => {
    const { h, anna } = resident();
    const propose = anna.send('afspraak');
    expect(propose.text).toBe(h.t('book.propose', { alderman: 'Anna de Vries' }));
    expect(propose.choices.map((c) => c.id)).toEqual(['alderman:anna-de-vries', 'other']);
    const slots = anna.press(/Anna de Vries/);
    // First whether the resident already has an appointment with her (the rules allow one), then her times.
    expect(slots.calls).toEqual([
      { service: 'bookings.upcoming', args: {}, by: 'console:anna' },
      { service: 'bookings.free', args: { aldermanId: 'anna-de-vries', limit: 5 }, by: 'console:anna' },
    ]);
    expect(slots.text).toBe(h.t('book.slots', { alderman: 'Anna de Vries' }));
    expect(slots.choices.map((c) => c.id)).toEqual([...five.map((s) => `slot:${s.start}`), 'later', 'stop']);
    expect(slots.choices[0]?.label).toMatch(/8 dec.*19:00/);
    expect(anna.at).toBe('book/slot');
  });

  it('books: slot, topic, confirmation, then the reference, the calendar link and the timers', () => {
    const made = booking({ start: slot(1).start, end: slot(1).end });
    const { h, anna } = atConfirmation({
      'bookings.book': () => ({ booking: made, timers: timers(made) }),
    });
    const confirm = anna.last;
    expect(confirm?.text).toContain('Anna de Vries');
    expect(confirm?.text).toContain('19:10');
    expect(confirm?.text).toContain('Bankje in het park');
    expect(confirm?.choices?.map((c) => c.id)).toEqual(['yes', 'other-time', 'stop']);
    const done = anna.press('yes');
    expect(done.calls.at(-1)).toEqual({
      service: 'bookings.book',
      args: {
        aldermanId: 'anna-de-vries',
        start: slot(1).start,
        topic: 'Bankje in het park',
        firstName: 'Anna',
      },
      by: 'console:anna',
    });
    expect(done.replies.map((m) => m.text)).toEqual([
      h.t('book.done', { reference: made.reference }),
      h.t('book.calendar', { url: made.icsUrl }),
      h.t('core.menu.prompt'),
    ]);
    expect(h.waitingJobs('booking.timer').map((j) => [j.jobId, j.at])).toEqual(
      timers(made).map((t) => [t.jobId, t.runAt]),
    );
    // The alderman is told after the reply, by a job (one per booking, change and time).
    expect(h.waitingJobs('booking.tell-alderman').map((j) => [j.jobId, j.data])).toEqual([
      [
        `booking.tell-alderman.booked.${made.id}.${made.start}`,
        { bookingId: made.id, change: 'booked', slotStart: made.start },
      ],
    ]);
    expect(anna.at).toBe('menu/main');
  });

  it('takes a typed "ja" for the proposed alderman and at the confirmation', () => {
    const { anna } = resident({
      'bookings.book': () => ({ booking: booking(), timers: [] }),
    });
    anna.send('afspraak');
    expect(anna.send('ja').calls.map((c) => c.service)).toEqual(['bookings.upcoming', 'bookings.free']);
    anna.send('1');
    anna.send('Over de speeltuin');
    expect(anna.send('ja').calls.map((c) => c.service)).toEqual(['bookings.book']);
  });

  it('first asks the district when it is not known, then comes back to the booking', () => {
    const h = flowHarness({ services: { 'bookings.free': () => five } });
    const bob = h.chat('bob');
    bob.send('hoi');
    expect(bob.send('afspraak maken').text).toBe(h.t('district.ask'));
    bob.send('2287 AA');
    const back = bob.press('no');
    expect(back.text).toContain(h.t('district.not_remembered'));
    expect(back.text).toContain(h.t('book.propose', { alderman: 'Fatma Yilmaz' }));
    expect(bob.at).toBe('book/alderman');
  });

  it('regression: a corrected postcode, or asking the district again, while the booking asks it keeps the booking', () => {
    const h = flowHarness({ services: { 'bookings.free': () => five } });
    const bob = h.chat('bob');
    bob.send('hoi');
    bob.send('ik wil graag een afspraak met de wethouder');
    bob.send('2282 AB');
    expect(bob.at).toBe('district/remember');
    // A typo noticed: the resident sends the right postcode at the "remember?" question.
    const corrected = bob.send('2287 AA');
    expect(corrected.text).toContain(
      h.t('district.found', { district: 'Leeuwendaal en Presidentenbuurt', alderman: 'Fatma Yilmaz' }),
    );
    expect(bob.at).toBe('district/remember');
    const back = bob.send('ja');
    expect(back.text).toContain(h.t('district.remembered'));
    expect(back.text).toContain(h.t('book.propose', { alderman: 'Fatma Yilmaz' }));
    expect(bob.at).toBe('book/alderman');

    const carol = h.chat('carol');
    carol.send('hoi');
    carol.send('afspraak maken');
    carol.send('geen idee eigenlijk');
    carol.send('wie is mijn wijkwethouder?');
    expect(carol.at).toBe('district/ask');
    carol.send('2287 AA');
    expect(carol.press('no').text).toContain(h.t('book.propose', { alderman: 'Fatma Yilmaz' }));
    expect(carol.at).toBe('book/alderman');
  });

  // Regression: asking for the booking again at the postcode it asks for offered to stop the
  // booking for the booking ("U bent bezig met: Afspraak maken … Dan gaan we naar: Afspraak maken").
  it('regression: asking for an appointment again at its postcode question asks the postcode again', () => {
    const h = flowHarness({ services: { 'bookings.free': () => five } });
    const bob = h.chat('bob');
    bob.send('hoi');
    bob.send('afspraak maken');
    const again = bob.send('ik wil een afspraak maken met de wethouder');
    expect(again.text).toBe(h.t('district.ask'));
    expect(bob.at).toBe('district/ask');
    bob.send('2287 AA');
    expect(bob.press('no').text).toContain(h.t('book.propose', { alderman: 'Fatma Yilmaz' }));
  });

  it('lets the resident choose another alderman', () => {
    const { h, anna } = resident();
    anna.send('afspraak');
    const list = anna.press('other');
    expect(list.text).toBe(h.t('book.choose_alderman'));
    expect(list.choices.map((c) => c.label)).toEqual(h.municipality.aldermen.map((a) => a.name));
    const slots = anna.press('Pieter Jansen');
    expect(slots.calls[1]?.args).toEqual({ aldermanId: 'pieter-jansen', limit: 5 });
    expect(slots.text).toBe(h.t('book.slots', { alderman: 'Pieter Jansen' }));
  });

  // Regression (a resident's walkthrough): with an appointment with Anna de Vries already, a second
  // booking with her went through the times, the topic and "Klopt dit?" and was then refused.
  it('with the appointments the rules allow already, says so before the times and offers to move it', () => {
    const own = booking();
    const { h, anna } = resident({ 'bookings.upcoming': () => [own] });
    anna.send('afspraak');
    const told = anna.press(/Anna de Vries/);
    expect(told.text).toBe(
      h.t('book.already_early', { alderman: 'Anna de Vries', date: 'dinsdag 8 december', time: '19:00' }),
    );
    expect(told.calls.map((c) => c.service)).toEqual(['bookings.upcoming']);
    expect(anna.at).toBe('book/already');
    const times = anna.send('ja');
    expect(times.calls.map((c) => c.service)).toEqual(['bookings.free']);
    expect(anna.state.data).toMatchObject({ moving: own.id, movingFrom: own.start, topic: own.topic });
    anna.press(`slot:${slot(2).start}`);
    expect(anna.at).toBe('book/confirm');
    // With another alderman, the same resident books as always.
    const other = resident({ 'bookings.upcoming': () => [booking({ aldermanId: 'pieter-jansen' })] });
    other.anna.send('afspraak');
    other.anna.press(/Anna de Vries/);
    expect(other.anna.at).toBe('book/slot');
  });

  it('asks again for an alderman on an answer it cannot place', () => {
    const { h, anna } = resident();
    anna.send('afspraak');
    expect(anna.send('weet niet').text).toBe(h.t('book.choose_alderman'));
    expect(anna.at).toBe('book/alderman');
    // Regression: at the list, "klopt" or "de wethouder" got the same list again, without saying why.
    const again = anna.send('klopt');
    expect(again.text).toBe(`${h.t('understanding.again_choices')}\n${h.t('book.choose_alderman')}`);
    expect(again.choices.map((c) => c.label)).toEqual(h.municipality.aldermen.map((a) => a.name));
    expect(anna.send('Pieter').calls[1]?.args).toEqual({ aldermanId: 'pieter-jansen', limit: 5 });
  });

  it('shows later slots after the last one offered, and keeps the offered ones when there are no more', () => {
    const { h, anna } = resident();
    anna.send('afspraak');
    anna.press(/Anna de Vries/);
    const later = [5, 6].map((n) => slot(n));
    h.serve('bookings.free', (args) =>
      args.after === undefined ? five : args.after < later[1]!.start ? later : [],
    );
    const next = anna.press('later');
    expect(next.calls[0]?.args).toEqual({ aldermanId: 'anna-de-vries', limit: 5, after: slot(4).start });
    expect(next.choices.map((c) => c.id)).toEqual([...later.map((s) => `slot:${s.start}`), 'later', 'stop']);
    // Regression: a later page called its times "de eerste vrije tijden" (the first free times).
    expect(next.text).toBe(h.t('book.slots_later', { alderman: 'Anna de Vries' }));
    const none = anna.press('later');
    expect(none.calls[0]?.args).toMatchObject({ after: slot(6).start });
    expect(none.text).toBe(h.t('book.no_more_slots'));
    // The last slots shown stay, without "later".
    expect(none.choices.map((c) => c.id)).toEqual([...later.map((s) => `slot:${s.start}`), 'stop']);
  });

  // Regression: "andere dag" at the list of times asked "U bent bezig met: Afspraak maken. Wilt u
  // daarmee stoppen? Dan gaan we naar: Mijn afspraken", and a yes to that dropped the booking;
  // "ik kan die dag toch niet" at the confirmation stopped it (its "niet" read as "Stoppen").
  it('regression: "another day" at the times shows the next days, and at the confirmation other times', () => {
    const endOfDay = (at: number) =>
      endOfLocalDay(localDateOf(new Date(at), 'Europe/Amsterdam'), 'Europe/Amsterdam');
    // ("dinsdag lukt me niet" names the day: the times not on a Tuesday, in book-wish.test.ts.)
    for (const words of ['andere dag', 'kan het een andere dag?']) {
      const { h, anna } = resident();
      anna.send('afspraak');
      anna.press(/Anna de Vries/);
      const next = anna.send(words);
      expect(next.calls[0]?.args, words).toEqual({
        aldermanId: 'anna-de-vries',
        limit: 5,
        after: endOfDay(slot(4).start).getTime(),
      });
      expect(next.text, words).toBe(h.t('book.slots_later', { alderman: 'Anna de Vries' }));
      expect(anna.at, words).toBe('book/slot');
    }
    for (const words of ['ik kan die dag toch niet', 'andere datum graag']) {
      const { anna } = atConfirmation();
      const again = anna.send(words);
      expect(again.calls[0], words).toMatchObject({ service: 'bookings.free' });
      expect(anna.at, words).toBe('book/slot');
      expect(anna.state.data.topic, words).toBe('Bankje in het park');
    }
    // Still a stop when the resident says so.
    const { h, anna } = atConfirmation();
    expect(anna.send('stoppen').replies[0]?.text).toBe(h.t('book.cancelled_stop'));
  });

  // Regression: "het lukt me niet" read as another time everywhere; at the list of times it still is
  // (no time named: the step reads it), so "dat lukt me niet" shows the next days.
  it('"dat lukt me niet" at the times still shows the next days: the step reads it without a time named', () => {
    const { h, anna } = resident();
    anna.send('afspraak');
    anna.press(/Anna de Vries/);
    const next = anna.send('dat lukt me niet');
    expect(next.calls[0]?.service).toBe('bookings.free');
    expect(next.calls[0]?.args).toMatchObject({ after: expect.any(Number) as number });
    expect(next.text).toBe(h.t('book.slots_later', { alderman: 'Anna de Vries' }));
    expect(anna.at).toBe('book/slot');
  });

  // Regression: after "Latere tijden" a time of the first page typed ("dinsdag 19:20") was asked
  // again: only the times on screen were read, though the earlier one was still free.
  it('regression: a time of an earlier page, typed after "later", is still picked and booked', () => {
    const DAY = 24 * 60 * 60_000;
    const wednesday = [0, 1, 2].map((n) => slot(n, { start: slot(n).start + DAY, end: slot(n).end + DAY }));
    const phone = five.map((s, i) => (i === 2 ? { ...s, kind: 'phone' as const, place: '' } : s));
    const made = booking({ start: slot(2).start });
    const { h, anna } = resident({ 'bookings.book': () => ({ booking: made, timers: [] }) });
    h.serve('bookings.free', (args) => (args.after === undefined ? phone : wednesday));
    anna.send('afspraak');
    anna.press(/Anna de Vries/);
    const page = anna.press('later');
    expect(page.choices.map((c) => c.id)).toEqual([
      ...wednesday.map((s) => `slot:${s.start}`),
      'later',
      'stop',
    ]);
    // A time both pages show is the one on screen; a number counts on the list shown.
    expect(anna.send('19:20').text).toBe(h.t('book.topic'));
    expect(anna.state.data.start).toBe(wednesday[2]!.start);
    const again = resident({ 'bookings.book': () => ({ booking: made, timers: [] }) });
    again.h.serve('bookings.free', (args) => (args.after === undefined ? phone : wednesday));
    again.anna.send('afspraak');
    again.anna.press(/Anna de Vries/);
    again.anna.press('later');
    expect(again.anna.send('dinsdag 19:20').text).toBe(again.h.t('book.topic'));
    expect(again.anna.state.data.start).toBe(slot(2).start);
    // The confirmation names the earlier time with its own kind (by phone), and it is booked.
    const confirm = again.anna.send('Bankje in het park');
    expect(confirm.text).toContain('19:20');
    expect(confirm.text).toContain(again.h.t('scheduling.kind.phone'));
    const done = again.anna.send('ja');
    expect(done.calls[0]).toMatchObject({ service: 'bookings.book', args: { start: slot(2).start } });
  });

  // Regression: after a switch question in between ("Wilt u daarmee stoppen?") and "nee", the times
  // came back without those of the earlier pages: "dinsdag 19:20" from the first page, typed right
  // after, was asked again though it was still free and had been picked by its time before.
  it('regression: a time of an earlier page is still picked after a switch question and "nee"', () => {
    const DAY = 24 * 60 * 60_000;
    const wednesday = [0, 1, 2].map((n) => slot(n, { start: slot(n).start + DAY, end: slot(n).end + DAY }));
    const made = booking({ start: slot(2).start });
    const { h, anna } = resident({ 'bookings.book': () => ({ booking: made, timers: [] }) });
    h.serve('bookings.free', (args) => (args.after === undefined ? five : wednesday));
    anna.send('afspraak');
    anna.press(/Anna de Vries/);
    anna.press('later');
    expect(anna.send('mijn vragen').text).toBe(
      h.t('switch.ask', { current: h.t('book.menu'), next: h.t('status.menu') }),
    );
    const back = anna.send('nee');
    expect(back.replies[0]?.text).toBe(h.t('switch.continue'));
    expect(anna.at).toBe('book/slot');
    expect(anna.send('dinsdag 19:20').text).toBe(h.t('book.topic'));
    expect(anna.state.data.start).toBe(slot(2).start);
    expect(anna.send('Bankje in het park').text).toContain('19:20');
    expect(anna.send('ja').calls[0]).toMatchObject({
      service: 'bookings.book',
      args: { start: slot(2).start },
    });
  });

  it('a time of an earlier page picks nothing by its number: a number counts on the list shown', () => {
    const DAY = 24 * 60 * 60_000;
    const wednesday = [0, 1, 2].map((n) => slot(n, { start: slot(n).start + DAY, end: slot(n).end + DAY }));
    const { h, anna } = resident();
    h.serve('bookings.free', (args) => (args.after === undefined ? five : wednesday));
    anna.send('afspraak');
    anna.press(/Anna de Vries/);
    anna.press('later');
    // "5" is the fifth choice on screen ("Stoppen"), never the fifth time of the first page.
    expect(anna.send('5').text).toContain(h.t('book.cancelled_stop'));
    expect(anna.state.earlier).toBeUndefined();
  });

  it('says so when the alderman has no free slots, and goes back to the menu', () => {
    const { h, anna } = resident({ 'bookings.free': () => [] });
    anna.send('afspraak');
    const turn = anna.press(/Anna de Vries/);
    expect(turn.text).toContain(h.t('book.no_slots', { alderman: 'Anna de Vries' }));
    expect(anna.at).toBe('menu/main');
  });

  it('shows the slots again on an answer that is not one of them, and stops on "Stoppen"', () => {
    const { h, anna } = resident();
    anna.send('afspraak');
    anna.press(/Anna de Vries/);
    const again = anna.send('morgen');
    // Issue 10: the same times come back with a hint how to pick one.
    expect(again.text).toBe(h.t('book.slot_again'));
    expect(again.choices.length).toBeGreaterThanOrEqual(6);
    expect(again.calls).toEqual([]);
    expect(anna.press('stop').text).toContain(h.t('book.cancelled_stop'));
    expect(anna.at).toBe('menu/main');
  });

  it('keeps a topic short, and reads a topic as words (not as a menu word)', () => {
    const { h, anna } = resident();
    anna.send('afspraak');
    anna.press(/Anna de Vries/);
    anna.press(`slot:${slot(0).start}`);
    expect(anna.at).toBe('book/topic');
    expect(anna.send('x'.repeat(201)).text).toBe(h.t('book.topic_too_long', { max: 200 }));
    expect(anna.at).toBe('book/topic');
    // "Mijn vragen" is a menu word elsewhere; here it is the topic.
    anna.send('mijn vragen over de parkeervergunning');
    expect(anna.at).toBe('book/confirm');
    expect(anna.state.data).toMatchObject({ topic: 'mijn vragen over de parkeervergunning' });
  });

  it('offers other times from the confirmation, without asking the topic again', () => {
    const { h, anna } = atConfirmation();
    const slots = anna.press('other-time');
    expect(slots.text).toBe(h.t('book.slots', { alderman: 'Anna de Vries' }));
    expect(anna.press(`slot:${slot(3).start}`).text).toContain('19:30');
    expect(anna.at).toBe('book/confirm');
  });

  it('books nothing when the answer to the confirmation is not a yes', () => {
    const { h, anna } = atConfirmation();
    const turn = anna.send('nee');
    expect(turn.calls).toEqual([]);
    expect(turn.text).toContain(h.t('book.cancelled_stop'));
  });

  // Regression: "hij doet het niet" at the confirmation stopped the booking ("doet" was read as the
  // "dont" of a no; "wont" likewise, and "fout" in "het ging fout" is a no).
  it('regression: a complaint at the confirmation is asked again, and the booking goes on', () => {
    const { h, anna } = atConfirmation({ 'bookings.book': () => ({ booking: booking(), timers: [] }) });
    // "it won't work" is clearly English ("won't" is a word of the vocabulary): the confirmation is
    // asked anew in English, as after any switch.
    const texts = [
      ['hij doet het niet', h.t('book.confirm_again')],
      ['het ging fout', h.t('book.confirm_again')],
      [
        "it won't work",
        h.tIn('en')('book.confirm', {
          alderman: 'Anna de Vries',
          date: 'Tuesday 8 December',
          time: '19:10',
          kind: 'chat',
          place: h.tIn('en')('scheduling.place.chat'),
          topic: 'Bankje in het park',
        }),
      ],
    ] as const;
    for (const [text, question] of texts) {
      const turn = anna.send(text);
      const again = (text.startsWith('it') ? h.tIn('en') : h.t)('understanding.again_choices');
      expect(turn.calls).toEqual([]);
      expect(turn.text, text).toBe(`${again}\n${question}`);
      expect(anna.at).toBe('book/confirm');
    }
    expect(anna.send('ja').calls.map((c) => c.service)).toEqual(['bookings.book']);
  });

  // Regression: "ok hoeft niet meer" ("ok, no need any more") at the confirmation booked: the
  // "niet" was part of a withdraw phrase, so only the "ok" was read, as a yes.
  it('regression: "ok hoeft niet meer" at the confirmation books nothing and is asked again', () => {
    const { h, anna } = atConfirmation({ 'bookings.book': () => ({ booking: booking(), timers: [] }) });
    for (const text of ['ok hoeft niet meer', 'ok, hoeft niet', 'ja hoeft niet meer']) {
      const turn = anna.send(text);
      expect(turn.calls, text).toEqual([]);
      expect(turn.text, text).toBe(`${h.t('understanding.again_choices')}\n${h.t('book.confirm_again')}`);
      expect(anna.at, text).toBe('book/confirm');
    }
    expect(anna.send('ja').calls.map((c) => c.service)).toEqual(['bookings.book']);
  });

  // Regression: "nee hoor, ga maar door" ("no no, go ahead") at the confirmation stopped the booking:
  // "nee hoor" was read as the no. A no that tells to go on says both; it is asked again kindly.
  it('regression: "nee hoor, ga maar door" at the confirmation is asked again, and stops nothing', () => {
    const { h, anna } = atConfirmation({ 'bookings.book': () => ({ booking: booking(), timers: [] }) });
    for (const text of ['nee hoor, ga maar door', 'nee, ga verder', 'nee hoor, doorgaan']) {
      const turn = anna.send(text);
      expect(turn.calls).toEqual([]);
      expect(turn.text).toBe(`${h.t('understanding.again_choices')}\n${h.t('book.confirm_again')}`);
      expect(anna.at).toBe('book/confirm');
    }
    expect(anna.send('ja').calls.map((c) => c.service)).toEqual(['bookings.book']);
  });

  // Regression: "I don't understand" at the confirmation stopped the booking ("don't" is a no), and
  // "right to be forgotten" booked it ("right" is a yes). A phrase of an intent that holds an answer
  // word is that intent: the help, and the same question again; or asked again.
  it('regression: "I don\'t understand" at the confirmation is the help, "right to be forgotten" books nothing', () => {
    const { en, bob } = bobAtConfirmation();
    const help = bob.send("I don't understand");
    expect(help.calls).toEqual([]);
    expect(help.replies[0]?.text).toBe(en('core.help_flow'));
    expect(bob.at).toBe('book/confirm');
    expect(bob.send('yes').calls.map((c) => c.service)).toEqual(['bookings.book']);
    bob.send('appointment');
    bob.press(/Anna de Vries/);
    bob.press(`slot:${slot(2).start}`);
    bob.send('The playground');
    expect(bob.at).toBe('book/confirm');
    // Not a yes: no booking; the erase question is offered as any other intent halfway a flow is.
    const erase = bob.send('right to be forgotten');
    expect(erase.calls).toEqual([]);
    expect(erase.text).not.toContain(en('book.done', { reference: 'AFS-2026-0001' }));
  });

  // Regression: "ja, boek maar" at the confirmation started the booking over (alderman, time and
  // topic asked again); "boek maar niet" did the same instead of stopping.
  it('regression: "ja, boek maar" books, "boek maar niet" stops, at the confirmation', () => {
    const booked = atConfirmation({ 'bookings.book': () => ({ booking: booking(), timers: [] }) });
    expect(booked.anna.send('ja, boek maar').calls.map((c) => c.service)).toEqual(['bookings.book']);
    const { h, anna } = atConfirmation();
    const stopped = anna.send('boek maar niet');
    expect(stopped.calls).toEqual([]);
    expect(stopped.text).toContain(h.t('book.cancelled_stop'));
    expect(anna.at).toBe('menu/main');
  });

  // Regression: "ja, boek maar een andere tijd" at the confirmation started the booking over
  // (alderman, time and topic asked again); "ja, een andere afspraak", "liever een andere tijd" and
  // "rather a different time" were asked again. They ask for another time with the same alderman.
  it.each([
    ['nl', 'ja, een andere afspraak'],
    ['nl', 'ja, boek maar een andere tijd'],
    ['nl', 'liever een andere tijd'],
    ['nl', 'kan het een andere tijd?'],
    ['nl', 'nee, een andere afspraak'],
    ['en', 'another time please'],
    ['en', 'rather a different time'],
  ] as const)(
    'regression: [%s] "%s" at the confirmation offers other times with the same alderman',
    (lang, text) => {
      const who = lang === 'nl' ? atConfirmation().anna : bobAtConfirmation().bob;
      const turn = who.send(text);
      expect(turn.calls).toEqual([
        expect.objectContaining({
          service: 'bookings.free',
          args: { aldermanId: 'anna-de-vries', limit: 5 },
        }),
      ]);
      expect(who.at).toBe('book/slot');
      // The topic is kept: the next time chosen goes straight to the confirmation.
      expect(who.press(`slot:${slot(3).start}`).text).toContain('19:30');
      expect(who.at).toBe('book/confirm');
    },
  );

  // Regression: "de laatste" at the free times picked "Stoppen", the last button: "Goed, ik maak geen afspraak."
  it('regression: "de laatste" at the free times is the last time, and the booking goes on', () => {
    const { h, anna } = remembered({ services: { 'bookings.free': () => five } });
    anna.send('afspraak');
    anna.press(/Anna de Vries/);
    const turn = anna.send('de laatste');
    expect(turn.text).toBe(h.t('book.topic'));
    expect(anna.at).toBe('book/topic');
    expect(anna.send('Bankje in het park').text).toContain('19:40');
    expect(anna.at).toBe('book/confirm');
  });

  // Regression: "good morning" at the confirmation booked the slot (the greeting's "good" was a yes),
  // "I don't see the button" stopped the booking ("don't" was a no), "okay wait" booked it.
  it('regression: a greeting, "I don\'t see the button" or "okay wait" at the confirmation books nothing', () => {
    const { en, bob } = bobAtConfirmation();
    const hello = bob.send('good morning');
    expect(hello.calls).toEqual([]);
    expect(hello.replies[0]?.text).toBe(en('core.menu.hello'));
    expect(hello.choices.map((c) => c.id)).toEqual(['yes', 'other-time', 'stop']);
    expect(bob.at).toBe('book/confirm');
    const buttons = bob.send("I don't see the button");
    expect(buttons.calls).toEqual([]);
    expect(buttons.replies[0]?.text).toBe(en('core.no_buttons'));
    expect(buttons.choices.map((c) => c.id)).toEqual(['yes', 'other-time', 'stop']);
    expect(bob.at).toBe('book/confirm');
    expect(bob.send('okay wait').calls).toEqual([]);
    expect(bob.at).toBe('book/confirm');
    expect(bob.send('yes').calls.map((c) => c.service)).toEqual(['bookings.book']);
  });

  // Regression: a lone "bedankt", "dank je wel" or "sorry" at the confirmation got "Sorry, dat begrijp
  // ik niet goed", where a greeting gets a kind word and the same question again.
  it.each([
    ['bedankt', 'social.thanks'],
    ['dank je wel', 'social.thanks'],
    ['sorry', 'social.apology'],
  ] as const)(
    'regression: "%s" at the confirmation gets a kind word and "Klopt dit?" again',
    (words, key) => {
      const { h, anna } = atConfirmation({ 'bookings.book': () => ({ booking: booking(), timers: [] }) });
      const turn = anna.send(words);
      expect(turn.calls).toEqual([]);
      expect(turn.replies[0]?.text).toBe(h.t(key));
      expect(turn.text).not.toContain(h.t('understanding.again_choices'));
      expect(turn.choices.map((c) => c.id)).toEqual(['yes', 'other-time', 'stop']);
      expect(anna.at).toBe('book/confirm');
      expect(anna.send('ja').calls.map((c) => c.service)).toEqual(['bookings.book']);
    },
  );

  it.each([
    ['thanks', 'social.thanks'],
    ['thank you', 'social.thanks'],
    ['sorry', 'social.apology'],
  ] as const)(
    'regression: "%s" at the English confirmation is no yes or no: a kind word, then the question',
    (words, key) => {
      const { en, bob } = bobAtConfirmation();
      const turn = bob.send(words);
      expect(turn.calls).toEqual([]);
      expect(turn.replies[0]?.text).toBe(en(key));
      expect(turn.choices.map((c) => c.id)).toEqual(['yes', 'other-time', 'stop']);
      expect(bob.at).toBe('book/confirm');
    },
  );

  it('takes "top, bedankt" and "nee dank je" at a yes/no question as the yes and the no, as before', () => {
    const { anna } = atConfirmation({ 'bookings.book': () => ({ booking: booking(), timers: [] }) });
    expect(anna.send('top, bedankt').calls.map((c) => c.service)).toEqual(['bookings.book']);
    const h = flowHarness();
    const bob = h.chat('bob');
    bob.send('hoi');
    const asked = bob.send('2282AB');
    const thanks = bob.send('bedankt');
    expect(thanks.replies.map((m) => m.text)).toEqual([h.t('social.thanks'), asked.replies.at(-1)?.text]);
    expect(thanks.choices.map((c) => c.id)).toEqual(['yes', 'no']);
    bob.send('nee dank je');
    expect(bob.state.profile.districtId).toBeUndefined();
  });

  it('offers new slots when the chosen one was just taken', () => {
    const { h, anna } = atConfirmation({
      'bookings.book': () => {
        throw new DomainError('booking.taken');
      },
    });
    const turn = anna.press('yes');
    expect(turn.calls.map((c) => c.service)).toEqual(['bookings.book', 'bookings.free']);
    expect(turn.text).toBe(`${h.t('book.taken')}\n${h.t('book.slots', { alderman: 'Anna de Vries' })}`);
    expect(anna.at).toBe('book/slot');
    expect(h.waitingJobs()).toEqual([]);
  });

  it('explains too-soon and gone slots with new slots, and an existing booking with the way to change it', () => {
    const { h, anna } = atConfirmation({
      'bookings.book': () => {
        throw new DomainError('booking.too-soon');
      },
    });
    expect(anna.press('yes').text).toContain(h.t('book.too_soon', { count: 120 }));
    h.serve('bookings.book', () => {
      throw new DomainError('booking.not-a-slot');
    });
    anna.press(`slot:${slot(2).start}`);
    expect(anna.press('yes').text).toContain(h.t('book.not_a_slot'));
    h.serve('bookings.book', () => {
      throw new DomainError('booking.already-booked');
    });
    anna.press(`slot:${slot(2).start}`);
    const already = anna.press('yes');
    expect(already.text).toContain(h.t('book.already', { alderman: 'Anna de Vries' }));
    expect(anna.at).toBe('menu/main');
  });

  it('lets "menu" out of the topic question', () => {
    const { h, anna } = resident();
    anna.send('afspraak');
    anna.press(/Anna de Vries/);
    anna.press(`slot:${slot(0).start}`);
    expect(anna.send('menu').text).toBe(h.t('core.menu.prompt'));
    expect(anna.state.data).toEqual({});
  });

  // Regression: "Stoep" (pavement) was read as the global "stop", one letter away, and so was
  // "Stoop" (a doubled vowel): the topic question became "Wilt u stoppen?" and the resident's "Ja"
  // stopped them instead of booking.
  it.each(['Stoep kapot', 'Stoep', 'Stoop', 'De stoop is kapot'])(
    'books with the topic "%s", a word near "stop"',
    (topic) => {
      const made = booking({ start: slot(1).start, end: slot(1).end });
      const { h, anna } = resident({
        'bookings.book': () => ({ booking: made, timers: timers(made) }),
      });
      anna.send('afspraak');
      anna.send('ja');
      anna.send('2');
      expect(anna.at).toBe('book/topic');
      const confirm = anna.send(topic);
      expect(anna.at).toBe('book/confirm');
      expect(confirm.text).toContain(topic);
      const done = anna.send('Ja');
      expect(done.calls.map((c) => c.service)).toEqual(['bookings.book']);
      expect(done.calls[0]?.args).toMatchObject({ start: slot(1).start, topic });
      expect(done.replies.map((m) => m.text)).toEqual([
        h.t('book.done', { reference: made.reference }),
        h.t('book.calendar', { url: made.icsUrl }),
        h.t('core.menu.prompt'),
      ]);
      expect(anna.at).toBe('menu/main');
      expect(anna.state.mode).toBe('bot');
    },
  );

  it('shows dates in the resident’s language', () => {
    const { h, anna } = resident();
    anna.send('english');
    anna.send('appointment');
    const slots = anna.press(/Anna de Vries/);
    expect(slots.text).toBe(h.tIn('en')('book.slots', { alderman: 'Anna de Vries' }));
    expect(slots.choices[0]?.label).toMatch(/Tue 8 Dec/);
    expect(new Date(EVENING).toISOString()).toBe('2026-12-08T18:00:00.000Z');
  });

  describe('a subject named in the request ("… over de speeltuin")', () => {
    /** Anna (district remembered) asks for a booking in one sentence, and picks 19:10. */
    function namedInRequest(request: string) {
      const made = booking({ start: slot(1).start, end: slot(1).end });
      const { h, anna } = resident({ 'bookings.book': () => ({ booking: made, timers: [] }) });
      anna.send(request);
      anna.press(/Anna de Vries/);
      const topic = anna.press(`slot:${slot(1).start}`);
      return { h, anna, topic };
    }

    // Regression: the subject was asked for again ("Waar wilt u het over hebben?") though the
    // resident had just named it.
    it('offers it at the topic step, and one tap takes it', () => {
      const { h, anna, topic } = namedInRequest(
        'Ik wil graag een afspraak met de wethouder over de speeltuin.',
      );
      expect(anna.at).toBe('book/topic');
      expect(topic.text).toBe(h.t('book.topic_named', { topic: 'de speeltuin' }));
      expect(topic.choices.map((c) => c.label)).toEqual([h.t('book.topic_named_yes')]);
      const confirm = anna.press('named');
      expect(anna.at).toBe('book/confirm');
      expect(confirm.text).toContain('de speeltuin');
      const done = anna.press('yes');
      expect(done.calls.at(-1)).toMatchObject({ service: 'bookings.book', args: { topic: 'de speeltuin' } });
    });

    it('a plain "ja" takes it too; words of their own are the subject instead', () => {
      const yes = namedInRequest('afspraak met de wethouder over het bankje bij de vijver');
      yes.anna.send('ja');
      expect(yes.anna.at).toBe('book/confirm');
      expect(yes.anna.state.data.topic).toBe('het bankje bij de vijver');
      const own = namedInRequest('afspraak met de wethouder over het bankje bij de vijver');
      // "klopt" is in the words, but this is a subject of its own.
      own.anna.send('Het klopt niet, het gaat om de bomen in het park');
      expect(own.anna.at).toBe('book/confirm');
      expect(own.anna.state.data.topic).toBe('Het klopt niet, het gaat om de bomen in het park');
    });

    it('"nee" asks for the subject in their own words', () => {
      const { h, anna } = namedInRequest('afspraak met de wethouder over de speeltuin');
      expect(anna.send('nee').text).toBe(h.t('book.topic'));
      expect(anna.at).toBe('book/topic');
      anna.send('Hondenpoep op de stoep');
      expect(anna.at).toBe('book/confirm');
      expect(anna.state.data.topic).toBe('Hondenpoep op de stoep');
    });

    it('is kept while the district is asked first, and a time ("over twee weken") is no subject', () => {
      const h = flowHarness({ services: { 'bookings.free': () => five } });
      const bo = h.chat('bo');
      bo.send('hoi');
      bo.send('Ik wil een afspraak met de wethouder over de speeltuin');
      bo.send('2282AB');
      bo.send('nee');
      bo.press(/Anna de Vries/);
      expect(bo.press(`slot:${slot(1).start}`).text).toBe(h.t('book.topic_named', { topic: 'de speeltuin' }));
      const { h: h2, topic } = namedInRequest('Ik wil een afspraak over twee weken');
      expect(topic.text).toBe(h2.t('book.topic'));
    });

    it('in English', () => {
      const h = flowHarness({ services: { 'bookings.free': () => five } });
      const en = h.tIn('en');
      const bob = h.chat('bob');
      bob.send('hello');
      bob.send('english');
      bob.send('2282AB');
      bob.send('yes');
      bob.send('I would like to make an appointment about the new bike lane');
      bob.press(/Anna de Vries/);
      expect(bob.press(`slot:${slot(1).start}`).text).toBe(
        en('book.topic_named', { topic: 'the new bike lane' }),
      );
      bob.send('yes');
      expect(bob.state.data.topic).toBe('the new bike lane');
    });
  });

  // Regression: an English resident's confirmation of a phone appointment said "Where: Telefoon",
  // the hours data's Dutch word.
  it('regression: a phone appointment says who calls whom, in the resident’s language', () => {
    const phones = [0, 1].map((n) => slot(n, { kind: 'phone', place: 'Telefoon' }));
    for (const lang of ['nl', 'en'] as const) {
      const h = flowHarness({ services: { 'bookings.free': () => phones } });
      const t = h.tIn(lang);
      const bob = h.chat('bob');
      bob.send(lang === 'en' ? 'hello' : 'hallo');
      if (lang === 'en') bob.send('english');
      bob.send('2282AB');
      bob.send(lang === 'en' ? 'yes' : 'ja');
      bob.send(lang === 'en' ? 'appointment' : 'afspraak');
      bob.press(/Anna de Vries/);
      bob.press(`slot:${phones[1]!.start}`);
      const confirm = bob.send(lang === 'en' ? 'Parking near the school' : 'Parkeren bij school');
      expect(bob.at).toBe('book/confirm');
      expect(confirm.text).toContain(t('scheduling.place.phone'));
      expect(confirm.text).not.toContain('Telefoon');
    }
  });
});
