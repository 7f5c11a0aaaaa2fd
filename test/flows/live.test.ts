import { describe, expect, it } from 'vitest';
import { sessionEndEventId } from '../../src/features/scheduling/events.js';
import { DomainError } from '../../src/shared/errors.js';
import { flowHarness, type FakeServices } from '../support/flow-harness.js';
import { booking, EVENING, slot } from './fixtures.js';

const b1 = booking();
const residentAt = { channel: 'console', userId: 'anna' };
const aldermanAt = { channel: 'telegram', userId: '777' };

/** A resident and Anna de Vries (linked on Telegram), both at the menu an hour before the slot. */
function pair(services: FakeServices = {}) {
  const h = flowHarness({
    now: new Date(EVENING - 3_600_000),
    services: {
      'bookings.transcript': () => true,
      'bookings.left': () => true,
      'bookings.complete': () => ({ ...b1, status: 'completed' }),
      'bookings.rate': () => true,
      'bookings.free': () => [slot(6), slot(7)],
      ...services,
    },
  });
  const resident = h.chat(residentAt);
  const alderman = h.chat(aldermanAt, { staff: { aldermanId: 'anna-de-vries' } });
  resident.send('hoi');
  alderman.send('hoi');
  return { h, resident, alderman };
}

/** The slot starts: both sides hear it and are linked. */
function live(services: FakeServices = {}) {
  const world = pair(services);
  world.h.advanceTo(new Date(EVENING));
  world.resident.fire('live.start', { booking: b1, role: 'resident', partner: aldermanAt });
  world.alderman.fire('live.start', { booking: b1, role: 'alderman', partner: residentAt });
  return world;
}

describe('live events: reminders', () => {
  it('reminds a day before with time, alderman, kind and place', () => {
    const { h, resident } = pair();
    const turn = resident.fire('booking.reminder', { booking: b1, kind: 'day-before' });
    expect(turn.text).toMatch(/^Herinnering: morgen om 19:00 .*Anna de Vries/);
    // A chat session's place is the chat itself, whatever the hours data calls it.
    expect(turn.text).toContain(h.t('scheduling.place.chat'));
    expect(turn.text).not.toContain('WhatsApp');
  });

  it('says an hour before how the appointment goes, per kind', () => {
    const { h, resident } = pair();
    expect(resident.fire('booking.reminder', { booking: b1, kind: 'hour-before' }).text).toContain(
      h.t('reminder.how.chat'),
    );
    const phone = booking({ kind: 'phone', place: 'Telefoon' });
    expect(resident.fire('booking.reminder', { booking: phone, kind: 'hour-before' }).text).toContain(
      h.t('reminder.how.phone'),
    );
  });

  it('does not move the resident out of what they are doing', () => {
    const { resident } = pair();
    resident.send('wijkwethouder');
    resident.fire('booking.reminder', { booking: b1, kind: 'hour-before' });
    expect(resident.at).toBe('district/ask');
  });
});

describe('live-end and live-rate flows: the session', () => {
  it('links resident and alderman when the slot starts', () => {
    const { h, resident, alderman } = live();
    expect(resident.last?.text).toBe(h.t('live.start_resident', { alderman: 'Anna de Vries' }));
    expect(alderman.last?.text).toBe(
      h.t('live.start_alderman', { reference: b1.reference, topic: b1.topic }),
    );
    expect(resident.state.mode).toBe('live');
    expect(resident.state.live).toMatchObject({ bookingId: 'b-1', role: 'resident', partner: aldermanAt });
    expect(alderman.state.live).toMatchObject({ role: 'alderman', partner: residentAt, name: 'Anna' });
  });

  it('passes the resident’s words to the alderman with name and reference, and keeps them in the transcript', () => {
    const { h, resident, alderman } = live();
    const turn = resident.send('Goedenavond, het gaat over het bankje.');
    expect(turn.replies).toEqual([]);
    expect(turn.sent).toEqual([
      { to: aldermanAt, text: 'Anna (AFS-2026-0001): Goedenavond, het gaat over het bankje.' },
    ]);
    expect(turn.calls).toEqual([
      {
        service: 'bookings.transcript',
        args: { bookingId: 'b-1', from: 'resident', text: 'Goedenavond, het gaat over het bankje.' },
        by: 'console:anna',
      },
    ]);
    expect(resident.state.live?.residentWrote).toBe(true);
    const back = alderman.send('Dank u, ik kijk ernaar.');
    // Regression: the alderman's words went out as the chatbot's, and the resident's chat log
    // labelled them "Spreekuur (bot)".
    expect(back.sent).toEqual([
      { to: residentAt, text: 'Dank u, ik kijk ernaar.', author: { role: 'alderman', id: 'anna-de-vries' } },
    ]);
    expect(back.calls[0]?.args).toEqual({
      bookingId: 'b-1',
      from: 'alderman',
      text: 'Dank u, ik kijk ernaar.',
    });
    expect(h.t('live.resident')).toBe('Inwoner');
  });

  it('passes words on even when the transcript cannot be written', () => {
    const { resident } = live({
      'bookings.transcript': () => {
        throw new DomainError('booking.not-found');
      },
    });
    expect(resident.send('Hallo?').sent).toHaveLength(1);
  });

  it('passes on what would be refused outside a session: a photo, a repeat, many messages', () => {
    const { h, resident, alderman } = live();
    expect(resident.send('', { media: true }).sent[0]?.text).toContain(h.t('core.media'));
    resident.send('Hallo hallo');
    resident.send('Hallo hallo');
    for (let i = 0; i < 35; i++) resident.send(`bericht ${i}`);
    expect(alderman.received.filter((m) => m.text.includes('Hallo hallo'))).toHaveLength(2);
    expect(alderman.last?.text).toContain('bericht 34');
  });

  it('"einde" from the alderman closes the booking, tells both sides and asks the resident for a rating', () => {
    const { h, resident, alderman } = live();
    resident.send('Dank u wel voor het gesprek.');
    const end = alderman.send('einde');
    expect(end.calls.map((c) => [c.service, c.args])).toEqual([['bookings.complete', { bookingId: 'b-1' }]]);
    expect(end.text).toContain(h.t('live.ended_by_you', { reference: b1.reference }));
    expect(alderman.state.mode).toBe('bot');
    expect(resident.state.mode).toBe('bot');
    const told = resident.received.slice(-2).map((m) => m.text);
    expect(told).toEqual([h.t('live.end_resident', { alderman: 'Anna de Vries' }), h.t('live.rate')]);
    expect(resident.at).toBe('live-rate/ask');
    const rated = resident.press('rate:4');
    expect(rated.calls.map((c) => [c.service, c.args])).toEqual([
      ['bookings.rate', { bookingId: 'b-1', rating: 4 }],
    ]);
    expect(rated.text).toContain(h.t('live.rated'));
  });

  it('a typo of "einde" or "einde gesprek" also ends it, and none of it reaches the resident', () => {
    for (const typed of ['eidne', 'Eind.', 'einde gesprek', 'sluit het gesprek']) {
      const { h, resident, alderman } = live();
      // Regression: these went to the resident as messages, and the session stayed open.
      const end = alderman.send(typed);
      expect(end.calls.map((c) => c.service)).toEqual(['bookings.complete']);
      expect(end.text).toContain(h.t('live.ended_by_you', { reference: b1.reference }));
      expect(resident.received.map((m) => m.text)).not.toContain(typed);
    }
    // The resident's "eind" is a message to the alderman, as before.
    const { alderman, resident } = live();
    expect(resident.send('eind').calls.map((c) => c.service)).toEqual(['bookings.transcript']);
    expect(alderman.last?.text).toContain(': eind');
    expect(resident.state.mode).toBe('live');
  });

  it('still unlinks the resident when the booking could not be completed', () => {
    const { h, resident, alderman } = live({
      'bookings.complete': () => {
        throw new DomainError('booking.not-active');
      },
    });
    alderman.send('einde');
    expect(resident.state.mode).toBe('bot');
    expect(resident.received.map((m) => m.text)).toContain(
      h.t('live.end_resident', { alderman: 'Anna de Vries' }),
    );
  });

  it('takes a typed rating, asks again on a wrong one, and lets the resident skip', () => {
    const { h, resident, alderman } = live();
    resident.send('Fijn, dank u.');
    alderman.send('einde');
    expect(resident.send('10').text).toBe(h.t('cases.error.rating_invalid'));
    expect(resident.send('5').calls[0]?.args).toEqual({ bookingId: 'b-1', rating: 5 });
    const again = live();
    again.resident.send('Tot ziens.');
    again.alderman.send('einde');
    const skipped = again.resident.press('skip');
    expect(skipped.calls).toEqual([]);
    expect(skipped.text).toBe(h.t('core.menu.prompt'));
  });

  it('"menu" from the resident leaves the session; the alderman is told and unlinked', () => {
    const { h, resident, alderman } = live();
    const left = resident.send('menu');
    expect(left.text).toBe(h.t('core.menu.prompt'));
    expect(resident.state.mode).toBe('bot');
    const told = alderman.received.slice(-2).map((m) => m.text);
    expect(told).toEqual([
      h.t('live.resident_left', { reference: b1.reference }),
      h.t('live.end_alderman', { reference: b1.reference }),
    ]);
    expect(alderman.state.mode).toBe('bot');
    // Marked in the booking's transcript too, so a dashboard page of the session shows it.
    expect(left.calls).toEqual([
      { service: 'bookings.left', args: { bookingId: 'b-1' }, by: 'console:anna' },
    ]);
  });

  // Regression: the notice that the resident left was said to the alderman's chat in Dutch, whatever
  // language the alderman chats in; now their own conversation says it, as every alderman notice.
  it('an alderman who chats in English is told in English that the resident left', () => {
    const { h, resident, alderman } = pair();
    alderman.send('English');
    h.advanceTo(new Date(EVENING));
    resident.fire('live.start', { booking: b1, role: 'resident', partner: aldermanAt });
    alderman.fire('live.start', { booking: b1, role: 'alderman', partner: residentAt });
    expect(resident.send('menu').text).toBe(h.t('core.menu.prompt'));
    const en = h.tIn('en');
    expect(alderman.received.slice(-2).map((m) => m.text)).toEqual([
      en('live.resident_left', { reference: b1.reference }),
      en('live.end_alderman', { reference: b1.reference }),
    ]);
    expect(alderman.state.mode).toBe('bot');
  });

  // Regression: the end timer's notice and the leave notice had one event id per booking, so when the
  // timer's reached the alderman first, the leave notice was dropped as a repeat and the alderman
  // never heard that the resident had left.
  it('the end timer before the leave notice: the alderman hears the session ended, then that the resident left', () => {
    const { h, resident, alderman } = live();
    const before = alderman.received.length;
    alderman.fire('live.end', { booking: b1, role: 'alderman' }, sessionEndEventId(b1.id));
    // The resident's own end notice has not come yet: their "menu" still leaves the session.
    expect(resident.send('menu').text).toBe(h.t('core.menu.prompt'));
    expect(alderman.received.slice(before).map((m) => m.text)).toEqual([
      h.t('live.end_alderman', { reference: b1.reference }),
      h.t('live.resident_left', { reference: b1.reference }),
    ]);
    expect(alderman.state.mode).toBe('bot');
  });

  it('the leave notice before the end timer: the alderman hears both once, no second end', () => {
    const { h, resident, alderman } = live();
    const before = alderman.received.length;
    resident.send('menu');
    expect(
      alderman.fire('live.end', { booking: b1, role: 'alderman' }, sessionEndEventId(b1.id)).replies,
    ).toEqual([]);
    expect(alderman.received.slice(before).map((m) => m.text)).toEqual([
      h.t('live.resident_left', { reference: b1.reference }),
      h.t('live.end_alderman', { reference: b1.reference }),
    ]);
  });

  it('"stop" from the resident leaves the session and asks to stop', () => {
    const { h, resident, alderman } = live();
    const stop = resident.send('stop');
    expect(stop.text).toContain(h.t('stop.confirm'));
    expect(stop.calls.map((c) => c.service)).toEqual(['bookings.left', 'bookings.upcoming', 'cases.mine']);
    expect(alderman.state.mode).toBe('bot');
  });

  it('the end timer closes both sides; the resident is asked for a rating', () => {
    const { h, resident, alderman } = live();
    resident.fire('live.end', { booking: b1, role: 'resident' });
    alderman.fire('live.end', { booking: b1, role: 'alderman' });
    expect(resident.state.mode).toBe('bot');
    expect(resident.at).toBe('live-rate/ask');
    expect(alderman.last?.text).toBe(h.t('live.end_alderman', { reference: b1.reference }));
    expect(alderman.state.mode).toBe('bot');
  });

  it('an end notice of an earlier booking does not close the alderman’s current session', () => {
    const { alderman } = live();
    const turn = alderman.fire('live.end', {
      booking: { id: 'b-0', reference: 'AFS-2026-0000' },
      role: 'alderman',
    });
    expect(turn.replies).toEqual([]);
    expect(alderman.state.mode).toBe('live');
  });

  it('back to back: the next session closes the previous one, and its resident is asked for a rating', () => {
    const { h, resident, alderman } = live();
    const b2 = booking({
      id: 'b-2',
      reference: 'AFS-2026-0002',
      residentKey: 'console:bob',
      start: slot(1).start,
    });
    const bobAt = { channel: 'console', userId: 'bob' };
    const bob = h.chat(bobAt);
    bob.fire('live.start', { booking: b2, role: 'resident', partner: aldermanAt });
    const next = alderman.fire('live.start', { booking: b2, role: 'alderman', partner: bobAt });
    expect(next.replies[0]?.text).toBe(h.t('live.previous_closed', { reference: b1.reference }));
    expect(alderman.state.live).toMatchObject({ bookingId: 'b-2', partner: bobAt });
    expect(resident.state.mode).toBe('bot');
    expect(resident.at).toBe('live-rate/ask');
  });

  it('without the alderman in the chat, a person is asked to help', () => {
    const { h, resident } = pair();
    const turn = resident.fire('live.start', { booking: b1, role: 'resident', partner: null });
    expect(turn.text).toBe(h.t('live.no_alderman'));
    expect(turn.flags).toEqual({ needsHuman: true });
    expect(resident.state.mode).toBe('bot');
  });

  it('a link whose end notice never came ends on its own ten minutes after the slot', () => {
    const { h, resident, alderman } = live();
    h.advanceTo(new Date(b1.end + 11 * 60_000));
    const turn = resident.send('wijkwethouder');
    expect(turn.text).toBe(h.t('district.ask'));
    expect(turn.sent.some((m) => m.to.channel === 'telegram')).toBe(false);
    expect(resident.state.mode).toBe('bot');
    expect(alderman.state.mode).toBe('live');
  });

  // Regression: the end timer ran late (a worker down past the slot); in between the alderman wrote,
  // the link lapsed on it without a word, and the late notice found them out of the session: the
  // resident heard that the session ended, the alderman never did.
  it('an alderman whose link lapses on a message is told the session is closed, once, in their language', () => {
    const { h, resident, alderman } = live();
    h.advanceTo(new Date(b1.end + 11 * 60_000));
    const lapsed = alderman.send('Bent u er nog?');
    expect(lapsed.replies[0]?.text).toBe(h.t('live.end_alderman', { reference: b1.reference }));
    expect(lapsed.sent.some((m) => m.to.channel === residentAt.channel)).toBe(false);
    expect(alderman.state.mode).toBe('bot');
    // The late end notice: the resident hears it with the rating; the alderman nothing more.
    expect(alderman.fire('live.end', { booking: b1, role: 'alderman' }).replies).toEqual([]);
    const told = resident.fire('live.end', { booking: b1, role: 'resident' });
    expect(told.replies[0]?.text).toBe(h.t('live.end_resident', { alderman: 'Anna de Vries' }));
    expect(resident.at).toBe('live-rate/ask');

    const english = pair();
    english.alderman.send('English');
    english.h.advanceTo(new Date(EVENING));
    english.alderman.fire('live.start', { booking: b1, role: 'alderman', partner: residentAt });
    english.h.advanceTo(new Date(b1.end + 11 * 60_000));
    expect(english.alderman.send('Hello?').replies[0]?.text).toBe(
      english.h.tIn('en')('live.end_alderman', { reference: b1.reference }),
    );
  });

  it('tells the alderman of a no-show and unlinks them', () => {
    const { h, alderman } = live();
    const turn = alderman.fire('live.noshow', { booking: b1 });
    expect(turn.text).toBe(h.t('live.noshow_alderman', { reference: b1.reference }));
    expect(alderman.state.mode).toBe('bot');
  });

  it('tells a resident who missed the session how to book again', () => {
    const { h, resident } = live();
    const turn = resident.fire('live.missed', { booking: b1 });
    expect(turn.replies.map((m) => m.text)).toEqual([
      h.t('live.missed', { alderman: 'Anna de Vries' }),
      h.t('core.menu.prompt'),
    ]);
    expect(resident.state.mode).toBe('bot');
  });
});

describe('live events: the alderman calls the day off', () => {
  it('apologises with the reason and offers new times of the same alderman', () => {
    const { h, resident } = pair();
    const turn = resident.fire('booking.cancelled', { booking: b1, reason: 'ziek' });
    expect(turn.replies[0]?.text).toBe(
      h.t('live.cancelled', {
        alderman: 'Anna de Vries',
        date: 'dinsdag 8 december',
        time: '19:00',
        reason: h.t('live.cancelled_reason', { reason: 'ziek' }),
      }),
    );
    // Whether the resident has another appointment with her first, then her free times.
    expect(turn.calls.map((c) => [c.service, c.args])).toEqual([
      ['bookings.upcoming', {}],
      ['bookings.free', { aldermanId: 'anna-de-vries', limit: 5 }],
    ]);
    expect(turn.text).toContain(h.t('book.slots', { alderman: 'Anna de Vries' }));
    expect(resident.at).toBe('book/slot');
    // The topic is kept: the next choice goes straight to the confirmation.
    resident.press(`slot:${slot(6).start}`);
    expect(resident.at).toBe('book/confirm');
  });

  // Regression: the idle reset counted from the resident's last message only, so new times offered
  // days after the booking were lost: the choice a minute later got the idle reset and the menu.
  it('takes a new time chosen right after the notice, days after the resident last wrote', () => {
    const h = flowHarness({
      now: new Date(EVENING - 5 * 86_400_000),
      services: { 'bookings.free': () => [slot(6)] },
    });
    const resident = h.chat(residentAt);
    resident.send('hoi');
    h.advance(3 * 86_400_000);
    resident.fire('booking.cancelled', { booking: b1, reason: null });
    h.advance(60_000);
    const turn = resident.press(`slot:${slot(6).start}`);
    expect(turn.text).not.toContain(h.t('core.idle_reset'));
    expect(resident.at).toBe('book/confirm');
  });

  it('only apologises while the resident talks with a person', () => {
    const { resident } = pair();
    resident.send('medewerker');
    const turn = resident.fire('booking.cancelled', { booking: b1, reason: null });
    expect(turn.calls).toEqual([]);
    expect(turn.text).toContain('Anna de Vries');
    expect(resident.state.mode).toBe('human');
  });
});

describe('live events: the alderman on the dashboard', () => {
  const dashboardAt = { channel: 'dashboard', userId: 'anna-de-vries' };
  /** The slot starts for a resident whose alderman linked no chat: the dashboard is their partner. */
  function onDashboard() {
    const { h, resident } = pair();
    h.advanceTo(new Date(EVENING));
    const start = resident.fire('live.start', { booking: b1, role: 'resident', partner: dashboardAt });
    return { h, resident, start };
  }

  it('connects the resident (nobody is asked to help) and keeps their lines for the page, sending nothing to it', () => {
    const { h, resident, start } = onDashboard();
    expect(start.text).not.toBe(h.t('live.no_alderman'));
    expect(start.flags).not.toHaveProperty('needsHuman');
    expect(resident.state.mode).toBe('live');
    const turn = resident.send('Goedenavond, het gaat over het bankje.');
    expect(turn.sent).toEqual([]);
    expect(turn.calls).toEqual([
      {
        service: 'bookings.transcript',
        args: { bookingId: 'b-1', from: 'resident', text: 'Goedenavond, het gaat over het bankje.' },
        by: 'console:anna',
      },
    ]);
    expect(resident.state.live?.residentWrote).toBe(true);
  });

  it("says what the alderman wrote on the dashboard (the 'live.say' event) as it is", () => {
    const { resident } = onDashboard();
    const turn = resident.fire('live.say', {
      bookingId: 'b-1',
      text: 'Goedenavond! Vertelt u maar.',
      aldermanId: 'anna-de-vries',
    });
    // Regression: said as the chatbot's, so the chat log did not name the alderman who wrote it.
    expect(turn.sent).toEqual([
      {
        to: residentAt,
        text: 'Goedenavond! Vertelt u maar.',
        author: { role: 'alderman', id: 'anna-de-vries' },
      },
    ]);
  });

  it('lets the resident leave with menu without writing to the dashboard, marking it in the transcript', () => {
    const { h, resident } = onDashboard();
    const turn = resident.send('menu');
    expect(turn.sent.some((m) => m.to.channel === 'dashboard')).toBe(false);
    expect(turn.calls).toEqual([
      { service: 'bookings.left', args: { bookingId: 'b-1' }, by: 'console:anna' },
    ]);
    expect(turn.text).toBe(h.t('core.menu.prompt'));
    expect(resident.state.mode).toBe('bot');
    expect(resident.state.live).toBeUndefined();
  });

  it('after the resident left, says what the alderman wrote with who wrote it and that answers no longer reach them', () => {
    const { h, resident } = onDashboard();
    resident.send('menu');
    const left = { reference: b1.reference, aldermanId: 'anna-de-vries' };
    const turn = resident.fire('live.say', { bookingId: 'b-1', text: 'Jammer, tot ziens.', left });
    const expected = h.t('live.say_after_left', {
      alderman: 'Anna de Vries',
      reference: b1.reference,
      text: 'Jammer, tot ziens.',
    });
    expect(turn.sent).toEqual([
      { to: residentAt, text: expected, author: { role: 'alderman', id: 'anna-de-vries' } },
    ]);
  });

  it("says a reply as it is unless the page said the resident left, also before the resident's chat heard the session began", () => {
    const { resident } = pair();
    expect(resident.state.mode).toBe('bot');
    // Queued before the event named its alderman: still said, as before.
    const turn = resident.fire('live.say', { bookingId: 'b-1', text: 'Goedemorgen! Vertelt u maar.' });
    expect(turn.sent).toEqual([{ to: residentAt, text: 'Goedemorgen! Vertelt u maar.' }]);
  });
});
