import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/shared/errors.js';
import { flowHarness, type FakeServices } from '../support/flow-harness.js';
import { booking, slot, timers } from './fixtures.js';

const first = booking();
const second = booking({
  id: 'b-2',
  reference: 'AFS-2026-0002',
  aldermanId: 'pieter-jansen',
  start: slot(30).start,
  end: slot(30).end,
  kind: 'phone',
});

function listed(services: FakeServices = {}) {
  const h = flowHarness({ services: { 'bookings.upcoming': () => [first, second], ...services } });
  const anna = h.chat('anna');
  anna.send('hoi');
  const turn = anna.send('mijn afspraken');
  return { h, anna, turn };
}

describe('my-appointments flow', () => {
  it('lists the upcoming appointments, each to move or cancel', () => {
    const { h, anna, turn } = listed();
    expect(turn.calls).toEqual([{ service: 'bookings.upcoming', args: {}, by: 'console:anna' }]);
    expect(turn.text.split('\n')[0]).toBe(h.t('appointments.list'));
    expect(turn.text).toContain('AFS-2026-0001');
    expect(turn.text).toContain('Anna de Vries');
    expect(turn.text).toContain(`Pieter Jansen (${h.t('scheduling.kind.phone')})`);
    expect(turn.choices.map((c) => c.id)).toEqual([
      'move:b-1',
      'cancel:b-1',
      'move:b-2',
      'cancel:b-2',
      'menu',
    ]);
    expect(anna.at).toBe('my-appointments/pick');
  });

  // Regression: "ik kan donderdag niet komen, kan het later?" was not understood ("Sorry, dat begrijp
  // ik niet goed"): a resident who cannot come says so in their own words, not "afspraak verzetten".
  it.each([
    'ik kan donderdag niet komen, kan het later?',
    'Het komt mij niet uit. Kan het een andere dag?',
    'ik ben verhinderd',
    "Sorry, I can't make it on Thursday",
    'can we do another day?',
  ])('lists the appointments to move or cancel on "%s"', (words) => {
    const h = flowHarness({ services: { 'bookings.upcoming': () => [first, second] } });
    const anna = h.chat('anna');
    anna.send('hoi');
    const turn = anna.send(words);
    expect(turn.calls).toEqual([{ service: 'bookings.upcoming', args: {}, by: 'console:anna' }]);
    expect(turn.choices.map((c) => c.id)).toContain('move:b-1');
    expect(anna.at).toBe('my-appointments/pick');
  });

  it('says there are none, and shows the menu', () => {
    const { h, turn } = listed({ 'bookings.upcoming': () => [] });
    expect(turn.replies.map((m) => m.text)).toEqual([h.t('appointments.none'), h.t('core.menu.prompt')]);
  });

  it('cancels after a yes, and drops the appointment’s reminders', () => {
    const dropped = timers(first).map((t) => t.jobId);
    const { h, anna } = listed({
      'bookings.cancel': () => ({ booking: { ...first, status: 'cancelled' }, dropped }),
    });
    const ask = anna.press('cancel:b-1');
    expect(ask.text).toContain('Anna de Vries');
    expect(ask.text).toContain('19:00');
    expect(ask.choices.map((c) => c.id)).toEqual(['yes', 'no']);
    const done = anna.press('yes');
    expect(done.calls).toEqual([
      { service: 'bookings.cancel', args: { bookingId: 'b-1' }, by: 'console:anna' },
    ]);
    expect(done.text).toContain(h.t('appointments.cancelled'));
    expect(done.effects).toEqual([
      ...dropped.map((jobId) => ({ type: 'cancel-job', jobId })),
      // The alderman hears it after the resident's reply.
      {
        type: 'schedule',
        name: 'booking.tell-alderman',
        data: { bookingId: 'b-1', change: 'cancelled', slotStart: first.start },
        jobId: `booking.tell-alderman.cancelled.b-1.${first.start}`,
      },
    ]);
  });

  it('keeps the appointment on no, or on an answer that is not a clear yes', () => {
    const { h, anna } = listed();
    anna.press('cancel:b-2');
    const kept = anna.press('no');
    expect(kept.calls).toEqual([]);
    expect(kept.text).toContain(h.t('appointments.kept'));
    h.advance(20_000);
    anna.send('mijn afspraken');
    anna.press('cancel:b-2');
    expect(anna.send('eh, wacht').calls).toEqual([]);
  });

  it('says when it is too late to cancel, with the phone number', () => {
    const { h, anna } = listed({
      'bookings.cancel': () => {
        throw new DomainError('booking.past-deadline');
      },
    });
    anna.press('cancel:b-1');
    expect(anna.press('yes').text).toContain(h.t('appointments.too_late', { count: 60, phone: '14 070' }));
  });

  it('says when the appointment is gone', () => {
    const { h, anna } = listed({
      'bookings.cancel': () => {
        throw new DomainError('booking.not-found');
      },
    });
    anna.press('cancel:b-1');
    expect(anna.press('yes').text).toContain(h.t('appointments.not_found'));
  });

  it('moves an appointment: new slots of the same alderman, no topic question, then the new times', () => {
    const moved = booking({ id: 'b-3', reference: 'AFS-2026-0003', start: slot(2).start, end: slot(2).end });
    const { h, anna } = listed({
      'bookings.free': () => [slot(2), slot(3)],
      'bookings.move': () => ({
        booking: moved,
        timers: timers(moved),
        dropped: timers(first).map((t) => t.jobId),
      }),
    });
    const slots = anna.press('move:b-1');
    expect(slots.calls.map((c) => [c.service, c.args])).toEqual([
      ['bookings.free', { aldermanId: 'anna-de-vries', limit: 5 }],
    ]);
    const confirm = anna.press(`slot:${slot(2).start}`);
    expect(confirm.text).toContain(first.topic);
    expect(anna.at).toBe('book/confirm');
    // Regression: a move's "Klopt dit?" read as a new appointment ("Uw afspraak", "Ja, afspraak maken").
    expect(confirm.text).toContain('Van: dinsdag 8 december om 19:00\nNaar: dinsdag 8 december om 19:20');
    expect(confirm.choices.find((c) => c.id === 'yes')?.label).toBe(h.t('book.yes_move'));
    const done = anna.press('yes');
    expect(done.calls.map((c) => [c.service, c.args])).toEqual([
      ['bookings.move', { bookingId: 'b-1', start: slot(2).start }],
    ]);
    expect(done.text).toContain(
      h.t('appointments.moved', { date: 'dinsdag 8 december', time: '19:20', reference: 'AFS-2026-0003' }),
    );
    expect(done.text).toContain(h.t('book.calendar', { url: moved.icsUrl }));
    expect(done.effects.filter((e) => e.type === 'cancel-job')).toHaveLength(timers(first).length);
    expect(h.waitingJobs('booking.timer').map((j) => j.jobId)).toEqual(timers(moved).map((t) => t.jobId));
    expect(h.waitingJobs('booking.tell-alderman').map((j) => j.data)).toEqual([
      { bookingId: 'b-3', change: 'moved', slotStart: moved.start },
    ]);
  });

  // Regression: stopping a move said "Goed, ik maak geen afspraak", as if the appointment were gone.
  it('stopping a move says the appointment stays, with its time', () => {
    const { h, anna } = listed({ 'bookings.free': () => [slot(2)] });
    anna.press('move:b-1');
    anna.press(`slot:${slot(2).start}`);
    const stop = anna.press('stop');
    expect(stop.text).toContain(h.t('book.move_stopped', { date: 'dinsdag 8 december', time: '19:00' }));
    expect(stop.calls).toEqual([]);
  });

  it('a move too close to the appointment is refused with the deadline', () => {
    const { h, anna } = listed({
      'bookings.free': () => [slot(2)],
      'bookings.move': () => {
        throw new DomainError('booking.past-deadline');
      },
    });
    anna.press('move:b-1');
    anna.press(`slot:${slot(2).start}`);
    expect(anna.press('yes').text).toContain(h.t('appointments.too_late', { count: 60, phone: '14 070' }));
  });

  it('a booking made and then cancelled leaves no reminder waiting', () => {
    const made = booking();
    let booked = false;
    const h = flowHarness({
      services: {
        'bookings.free': () => [slot(0)],
        'bookings.book': () => {
          booked = true;
          return { booking: made, timers: timers(made) };
        },
        'bookings.upcoming': () => (booked ? [made] : []),
        'bookings.cancel': () => ({ booking: made, dropped: timers(made).map((t) => t.jobId) }),
      },
    });
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('2282AB');
    anna.send('ja');
    anna.send('afspraak');
    anna.press('alderman:anna-de-vries');
    anna.press(`slot:${slot(0).start}`);
    anna.send('Bankje');
    anna.press('yes');
    expect(h.waitingJobs('booking.timer')).toHaveLength(4);
    anna.send('mijn afspraken');
    anna.press('cancel:b-1');
    anna.press('yes');
    expect(h.waitingJobs('booking.timer')).toEqual([]);
  });

  it('"Terug naar het menu" goes back to the menu; anything unclear asks again with the choices', () => {
    const { h, anna } = listed();
    expect(anna.press('menu').text).toBe(h.t('core.menu.prompt'));
    h.advance(20_000);
    anna.send('mijn afspraken');
    const again = anna.send('hoe laat?');
    expect(again.text).toBe(h.t('understanding.again_choices'));
    expect(again.choices.map((c) => c.id)).toContain('menu');
    expect(anna.at).toBe('my-appointments/pick');
  });

  // Regression: with one appointment, "ik wil mijn afspraak afzeggen" showed the list with its
  // "Verzetten" and "Afzeggen" buttons, and a "ja" to it was not understood; "kan ik mijn afspraak
  // verzetten naar januari?" showed the list too.
  describe('one appointment, and a message that says what to do with it', () => {
    /** "Wilt u uw afspraak van dinsdag 8 december om 19:00 bij Anna de Vries afzeggen?" */
    const cancelAsked = (h: ReturnType<typeof flowHarness>) =>
      h.t('appointments.cancel_confirm', {
        date: 'dinsdag 8 december',
        time: '19:00',
        alderman: 'Anna de Vries',
      });
    const one = (services: FakeServices = {}) => {
      const h = flowHarness({ services: { 'bookings.upcoming': () => [first], ...services } });
      const anna = h.chat('anna');
      anna.send('hoi');
      return { h, anna };
    };

    it('"afzeggen" asks the cancel at once; the cancel still waits for a yes', () => {
      const { h, anna } = one({ 'bookings.cancel': () => ({ booking: first, dropped: [] }) });
      const turn = anna.send('ik wil mijn afspraak afzeggen');
      expect(turn.text).toBe(cancelAsked(h));
      expect(anna.at).toBe('my-appointments/cancel');
      expect(anna.send('ja').calls.map((c) => c.service)).toEqual(['bookings.cancel']);
    });

    it('"verzetten" shows other times, for a wish it names; its own date is no wish', () => {
      for (const [words, args] of [
        ['kan ik mijn afspraak verzetten naar januari?', { wish: { month: 1 } }],
        ['ik wil mijn afspraak van 8 december verzetten', {}],
        ['afspraak verplaatsen', {}],
      ] as const) {
        const { anna } = one({ 'bookings.free': () => [slot(5)] });
        const turn = anna.send(words);
        const free = turn.calls.find((c) => c.service === 'bookings.free');
        expect(free?.args, words).toEqual({ aldermanId: 'anna-de-vries', limit: 5, ...args });
        expect(anna.at, words).toBe('book/slot');
        expect(anna.state.data.moving, words).toBe('b-1');
      }
    });

    // Regression (a resident's walkthrough): "annuleren" at the menu only showed the menu again, "nee
    // ik wil hem verzetten" at the cancel question kept the appointment and stopped. ("ik kom niet"
    // alone stays unclear: "ik kom er niet uit" is no appointment.)
    it('"annuleren" at the menu asks to cancel the appointment; without one, says there is none', () => {
      const { h, anna } = one();
      const turn = anna.send('annuleren');
      expect(turn.text).toBe(cancelAsked(h));
      expect(anna.at).toBe('my-appointments/cancel');
      const none = flowHarness({ services: { 'bookings.upcoming': () => [] } });
      const bob = none.chat('bob');
      bob.send('hoi');
      expect(bob.send('annuleren').text).toContain(none.t('appointments.none'));
    });

    // Regression (a resident's walkthrough): an unclear answer to "Wilt u … afzeggen?" got only
    // "Sorry, dat begrijp ik niet goed. Kies een van de knoppen", without the question it was about.
    it('an unclear answer at the cancel question asks the question again, with its buttons', () => {
      const { h, anna } = one();
      anna.send('ik wil mijn afspraak afzeggen');
      const again = anna.send('hoe bedoelt u?');
      expect(again.text).toBe(`${h.t('understanding.again_choices')}\n${cancelAsked(h)}`);
      expect(again.choices.map((c) => c.id)).toEqual(['yes', 'no']);
      expect(anna.at).toBe('my-appointments/cancel');
    });

    it('"nee, ik wil hem verzetten" at the cancel question shows other times for it', () => {
      const { anna } = one({ 'bookings.free': () => [slot(5)] });
      anna.send('ik wil mijn afspraak afzeggen');
      expect(anna.at).toBe('my-appointments/cancel');
      const turn = anna.send('nee, ik wil hem verzetten');
      expect(turn.calls.map((c) => c.service)).toEqual(['bookings.free']);
      expect(anna.at).toBe('book/slot');
      expect(anna.state.data.moving).toBe('b-1');
    });

    it('"ik kom niet naar de afspraak" at the menu shows the appointments', () => {
      const { anna } = one();
      anna.send('ik kom niet naar de afspraak');
      expect(anna.at).toBe('my-appointments/pick');
    });

    it('lists them when the message says neither, both, or "niet afzeggen", and with two appointments', () => {
      for (const words of [
        'mijn afspraken',
        'afzeggen of verzetten?',
        'ik wil mijn afspraak niet afzeggen',
      ]) {
        const { anna } = one();
        anna.send(words);
        expect(anna.at, words).toBe('my-appointments/pick');
      }
      const { anna } = listed();
      expect(anna.at).toBe('my-appointments/pick');
      const two = flowHarness({ services: { 'bookings.upcoming': () => [first, second] } }).chat('bob');
      two.send('hoi');
      two.send('ik wil mijn afspraak afzeggen');
      expect(two.at).toBe('my-appointments/pick');
    });
  });
});
