import { describe, expect, it } from 'vitest';
import type { UpdateNotice } from '../../src/features/participation/events.js';
import type { SubscriptionView } from '../../src/features/participation/services.js';
import { flowHarness } from '../support/flow-harness.js';
import { slot } from './fixtures.js';

const update: UpdateNotice = {
  broadcastId: 7,
  updateId: 3,
  title: 'Nieuw plein bij het station',
  text: 'Wij maken het plein groener. Er komen bomen en bankjes.',
  link: 'https://www.rijswijk.nl/plein',
  level: 'raadplegen',
  influence: 'welke bomen er komen',
  until: '2027-01-15',
};

/** A resident whose district (Muziekbuurt) is remembered, in the menu. */
function remembered() {
  const h = flowHarness({ services: { 'participation.mine': () => [] } });
  const anna = h.chat('anna');
  anna.send('hoi');
  anna.send('2282 AB');
  anna.send('ja'); // remember the district
  expect(anna.state.profile.districtId).toBe('muziekbuurt');
  return { h, anna };
}

describe('updates flow', () => {
  it('subscribes for the remembered district on a clear yes, with the consent time, for every topic', () => {
    const { h, anna } = remembered();
    const topic = anna.send('blijf op de hoogte');
    expect(anna.at).toBe('updates/topic');
    expect(topic.text).toContain(h.t('participation.topic'));
    anna.press(h.t('participation.topic_all'));
    expect(anna.at).toBe('updates/confirm');
    expect(anna.last?.text).toContain('Muziekbuurt');
    const asked = anna.send('ja');
    expect(asked.waiting).toMatchObject({
      service: 'participation.subscribe',
      args: { districtId: 'muziekbuurt' },
    });
    expect(asked.waiting?.args).not.toHaveProperty('topic');
    const done = anna.resolve('participation.subscribe', { since: h.clock.now().getTime() });
    expect(done.text).toContain('dinsdag 1 december');
    expect(done.text).toContain('updates uit');
  });

  it('asks the district when none is remembered, and subscribes for one topic', () => {
    const h = flowHarness({ services: { 'participation.mine': () => [] } });
    const bob = h.chat('bob');
    bob.send('hoi');
    bob.send('updates');
    expect(bob.at).toBe('district/ask');
    bob.send('2280 AA');
    bob.send('nee'); // do not remember it
    expect(bob.at).toBe('updates/topic');
    bob.press('Afval');
    const asked = bob.send('ja');
    expect(asked.waiting).toMatchObject({
      service: 'participation.subscribe',
      args: { districtId: 'oud-rijswijk', topic: 'afval' },
    });
  });

  it('a no stores nothing, and an unclear answer is asked again', () => {
    const { h, anna } = remembered();
    anna.send('updates');
    anna.press(h.t('participation.topic_all'));
    expect(anna.send('misschien').waiting).toBeUndefined();
    expect(anna.at).toBe('updates/confirm');
    const no = anna.send('nee');
    expect(no.text).toContain(h.t('participation.not_subscribed'));
    expect(h.calls.filter((c) => c.service === 'participation.subscribe')).toEqual([]);
  });

  it('shows what the resident already gets, with the day they said yes', () => {
    const h = flowHarness({
      services: {
        'participation.mine': () => [
          { districtId: 'muziekbuurt', topic: null, since: Date.parse('2026-11-20T10:00:00Z') },
        ],
      },
    });
    const anna = h.chat('anna');
    anna.send('hoi');
    const turn = anna.send('updates');
    expect(turn.text).toContain(h.t('participation.already'));
    expect(turn.text).toMatch(/Muziekbuurt.*20 november/);
  });

  // Regression: a subscriber who typed "updates" to see what they get could not say "nee dank je"
  // at the topic question ("Sorry, dat begrijp ik niet goed"), and a "nee" at the confirmation told
  // them "U krijgt geen berichten over uw wijk" while their subscription stayed.
  it('lets a subscriber say no to more, and says that nothing changes', () => {
    const since = Date.parse('2026-11-20T10:00:00Z');
    const h = flowHarness({
      services: { 'participation.mine': () => [{ districtId: 'muziekbuurt', topic: 'afval', since }] },
    });
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('2282 AB');
    anna.send('ja');
    anna.send('updates');
    const no = anna.send('nee dank je');
    expect(no.replies.map((m) => m.text)).toEqual([h.t('participation.unchanged'), h.t('core.menu.prompt')]);
    anna.send('updates');
    anna.press('topic:');
    const kept = anna.press('no');
    expect(kept.replies[0]?.text).toBe(h.t('participation.unchanged'));
    expect(h.calls.filter((c) => c.service === 'participation.subscribe')).toEqual([]);
  });

  it('tells a resident without updates that they get none, on a no at the topic', () => {
    const { h, anna } = remembered();
    anna.send('updates');
    expect(anna.send('nee').replies[0]?.text).toBe(h.t('participation.not_subscribed'));
    expect(h.calls.filter((c) => c.service === 'participation.subscribe')).toEqual([]);
  });
});

describe('updates-off flow', () => {
  it("'updates uit' ends the subscriptions and says so", () => {
    const h = flowHarness({ services: { 'participation.unsubscribe': () => ({ removed: 2 }) } });
    const anna = h.chat('anna');
    anna.send('hoi');
    expect(anna.send('updates uit').text).toContain(h.t('participation.unsubscribed'));
    expect(h.calls.map((c) => c.service)).toContain('participation.unsubscribe');
  });

  it('says there was nothing to stop when there was no subscription', () => {
    const h = flowHarness({ services: { 'participation.unsubscribe': () => ({ removed: 0 }) } });
    const anna = h.chat('anna');
    anna.send('hoi');
    expect(anna.send('updates off').text).not.toBe('');
    expect(anna.send('updates uit').text).toContain(h.t('participation.none'));
  });
});

describe('unsubscribe flow', () => {
  const subscribed = () => [
    { districtId: 'muziekbuurt', topic: null, since: Date.parse('2026-11-20T10:00:00Z') },
  ];

  // Regression: a longer message that only contains the words ("mijn zoon wil zich afmelden voor
  // voetbal") ended a subscriber's updates, and deleted their yes, without a question.
  it.each([
    ['mijn zoon wil zich afmelden voor voetbal', 'nee', false],
    ['ik wil me afmelden voor de cursus', 'Nee, houd ze aan', false],
    ['kunnen de updates uitzetten?', 'ja', true],
    ['ik wil geen updates meer ontvangen', 'Ja, zet ze uit', true],
  ])('"%s" from a subscriber asks first; "%s" ends the updates: %s', (text, answer, ends) => {
    const h = flowHarness({
      services: { 'participation.mine': subscribed, 'participation.unsubscribe': () => ({ removed: 1 }) },
    });
    const anna = h.chat('anna');
    anna.send('hoi');
    const asked = anna.send(text);
    expect(asked.text).toContain(h.t('participation.off_confirm'));
    expect(anna.at).toBe('updates-off/confirm');
    expect(h.calls.map((c) => c.service)).not.toContain('participation.unsubscribe');
    const done = anna.send(answer);
    expect(h.calls.some((c) => c.service === 'participation.unsubscribe')).toBe(ends);
    expect(done.text).toContain(h.t(ends ? 'participation.unsubscribed' : 'participation.off_kept'));
    expect(anna.at).toBe('menu/main');
  });

  it('a longer message from someone without updates asks nothing: there is nothing to end', () => {
    const h = flowHarness({
      services: { 'participation.mine': () => [], 'participation.unsubscribe': () => ({ removed: 0 }) },
    });
    const anna = h.chat('anna');
    anna.send('hoi');
    expect(anna.send('kunnen de updates uitzetten?').text).toContain(h.t('participation.none'));
    expect(h.calls.map((c) => c.service)).not.toContain('participation.unsubscribe');
  });

  // Regression: "afmelden" and "unsubscribe" alone started the stop question, which ends everything,
  // where a subscriber means the updates.
  it.each(['afmelden', 'uitschrijven', 'unsubscribe', 'ik wil me afmelden'])(
    '"%s" from a subscriber ends the updates, not the conversation',
    (word) => {
      const h = flowHarness({
        services: { 'participation.mine': subscribed, 'participation.unsubscribe': () => ({ removed: 1 }) },
      });
      const anna = h.chat('anna');
      anna.send('hoi');
      const turn = anna.send(word);
      expect(turn.text).toContain(h.t('participation.unsubscribed'));
      expect(turn.text).not.toContain(h.t('stop.confirm'));
      expect(h.calls.map((c) => c.service)).toEqual(['participation.mine', 'participation.unsubscribe']);
      expect(anna.state.mode).toBe('bot');
    },
  );

  // Regression: "inschrijven" (sign up) was two letters from "uitschrijven", and "afmelding" (an
  // absence) from "afmelden": a subscriber who wrote them lost their updates at once.
  it.each(['inschrijven', 'ik wil me inschrijven', 'ik wil een afmelding doorgeven', 'afmelding'])(
    '"%s" from a subscriber keeps the updates: it is no unsubscribe',
    (text) => {
      const h = flowHarness({
        services: { 'participation.mine': subscribed, 'participation.unsubscribe': () => ({ removed: 1 }) },
      });
      const anna = h.chat('anna');
      anna.send('hoi');
      const turn = anna.send(text);
      expect(turn.text).not.toContain(h.t('participation.unsubscribed'));
      expect(turn.text).not.toContain(h.t('stop.confirm'));
      expect(h.calls.map((c) => c.service)).not.toContain('participation.unsubscribe');
      expect(anna.at).toBe('menu/main');
    },
  );

  it('without a subscription asks the stop question, which needs a clear yes', () => {
    const h = flowHarness({
      services: {
        'participation.mine': () => [],
        'participation.unsubscribe': () => ({ removed: 0 }),
        'bookings.upcoming': () => [],
      },
    });
    const anna = h.chat('anna');
    anna.send('hoi');
    expect(anna.send('afmelden').text).toContain(h.t('stop.confirm'));
    expect(anna.at).toBe('stop/confirm');
    expect(h.calls.map((c) => c.service)).not.toContain('participation.unsubscribe');
    expect(anna.send('nee').text).toContain(h.t('stop.cancelled'));
  });

  it('works in the middle of another question, as "stop" does', () => {
    const h = flowHarness({
      services: { 'participation.mine': subscribed, 'participation.unsubscribe': () => ({ removed: 1 }) },
    });
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('updates');
    expect(anna.at).toBe('district/ask');
    expect(anna.send('afmelden').text).toContain(h.t('participation.unsubscribed'));
  });
});

describe('participation events', () => {
  it('an update says the project, the link, the ladder rung in plain words, what can still be influenced and until when', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    const turn = anna.fire('participation.update', update);
    expect(turn.text).toContain(h.t('participation.update.title', { title: update.title }));
    expect(turn.text).toContain(update.text);
    expect(turn.text).toContain('https://www.rijswijk.nl/plein');
    expect(turn.text).toContain(h.t('participation.level.raadplegen'));
    expect(turn.text).toContain('welke bomen er komen');
    expect(turn.text).toContain('15 januari');
    expect(turn.text).toContain('updates uit');
  });

  it('in English for a resident who chose English', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('English');
    const turn = anna.fire('participation.update', { ...update, level: 'meebeslissen' });
    expect(turn.text).toContain(h.tIn('en')('participation.level.meebeslissen'));
  });

  it('a question in progress keeps its choices: a number typed after the update still answers it', () => {
    const h = flowHarness({ services: { 'participation.mine': () => [] } });
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('updates');
    anna.send('2282 AB');
    anna.send('nee');
    expect(anna.at).toBe('updates/topic');
    anna.fire('participation.update', update);
    anna.send('1');
    expect(anna.at).toBe('updates/confirm');
  });

  it('held (whatsapp-web.js outside 24 hours): nothing is sent now; it comes first at the next message', () => {
    const h = flowHarness();
    const anna = h.chat('anna', { channel: 'whatsapp' });
    anna.send('hoi');
    expect(anna.fire('participation.update', { ...update, hold: true }).replies).toEqual([]);
    const next = anna.send('menu');
    expect(next.replies[0]?.text).toContain(update.title);
    expect(next.text).toContain(h.t('core.menu.prompt'));
    expect(anna.send('menu').text).not.toContain(update.title);
  });

  it('while an operator has the conversation the update waits until the resident is back with the bot', () => {
    const h = flowHarness({ services: { 'webcare.request': () => ({}) } });
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('medewerker');
    anna.fire('webcare.taken', {});
    expect(anna.fire('participation.update', update).replies).toEqual([]);
    expect(anna.send('nog een vraag').text).not.toContain(update.title);
    anna.fire('webcare.handed_back', {});
    expect(anna.send('hallo').text).toContain(update.title);
  });

  it('someone who stopped hears nothing', () => {
    const h = flowHarness({
      services: {
        'bookings.upcoming': () => [],
        'bookings.cancel-all': () => ({ dropped: [], cancelled: [] }),
        'participation.unsubscribe': () => ({ removed: 1 }),
      },
    });
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('stop');
    anna.send('ja');
    expect(anna.state.mode).toBe('stopped');
    expect(h.calls.map((c) => c.service)).toContain('participation.unsubscribe');
    expect(anna.fire('participation.update', update).replies).toEqual([]);
  });
});

/** A resident whose district is remembered (Muziekbuurt: Anna de Vries), with or without updates. */
function bookingResident(subscriptions: SubscriptionView[]) {
  const h = flowHarness({
    services: {
      'bookings.free': () => [slot(0), slot(1), slot(2)],
      'bookings.upcoming': () => [],
      'participation.mine': () => subscriptions,
      'participation.unsubscribe': () => ({ removed: subscriptions.length }),
    },
  });
  const anna = h.chat('anna');
  anna.send('hoi');
  anna.send('2282AB');
  anna.send('ja');
  anna.send('afspraak');
  return { h, anna };
}

const subscribedSince = Date.parse('2026-11-20T10:00:00Z');

// Regression: "afmelden" in the middle of a booking went to the stop question (or ended the updates)
// without keeping the booking: a "nee" to "Wilt u stoppen?" went to the menu and the time chosen was
// gone. It now interrupts the step as "stop" does, and goes on there.
describe('"afmelden" in the middle of a flow', () => {
  it('without updates: a no to the stop question asks the topic again, with the time kept', () => {
    const { h, anna } = bookingResident([]);
    anna.press(/Anna de Vries/);
    anna.press(`slot:${slot(1).start}`);
    expect(anna.at).toBe('book/topic');
    expect(anna.send('afmelden').text).toContain(h.t('stop.confirm'));
    const no = anna.send('nee');
    expect(no.replies.map((m) => m.text)).toEqual([h.t('stop.continue'), h.t('book.topic')]);
    expect(anna.at).toBe('book/topic');
    expect(anna.state.stack).toEqual([]);
    expect(anna.send('Bankje in het park').text).toContain('19:10');
  });

  it('without updates: a no at the free times asks for a time again, with the same times', () => {
    const { h, anna } = bookingResident([]);
    const slots = anna.press(/Anna de Vries/);
    expect(anna.send('uitschrijven').text).toContain(h.t('stop.confirm'));
    const no = anna.press('no');
    expect(no.replies.map((m) => m.text)).toEqual([h.t('stop.continue'), slots.replies.at(-1)?.text]);
    expect(no.choices.map((c) => c.id)).toEqual(slots.choices.map((c) => c.id));
    expect(anna.at).toBe('book/slot');
    expect(anna.send('2').text).toBe(h.t('book.topic'));
  });

  // The word typed at the stop question itself (the stop word already interrupted the booking) asks
  // that question again; a second one on top of it needed a second "nee" to get back.
  it('without updates, at the stop question: the same question again, and one no goes back', () => {
    const { h, anna } = bookingResident([]);
    anna.press(/Anna de Vries/);
    anna.press(`slot:${slot(1).start}`);
    anna.send('stop');
    const again = anna.send('afmelden');
    expect(again.replies.map((m) => m.text)).toEqual([expect.stringContaining(h.t('stop.confirm'))]);
    expect(anna.state.stack).toEqual([{ flow: 'book', step: 'topic' }]);
    const no = anna.send('nee');
    expect(no.replies.map((m) => m.text)).toEqual([h.t('stop.continue'), h.t('book.topic')]);
    expect(anna.at).toBe('book/topic');
  });

  it('with updates: they end, and the booking goes on at the same question', () => {
    const { h, anna } = bookingResident([{ districtId: 'muziekbuurt', topic: null, since: subscribedSince }]);
    const slots = anna.press(/Anna de Vries/);
    const off = anna.send('afmelden');
    expect(h.calls.map((c) => c.service)).toContain('participation.unsubscribe');
    expect(off.replies.map((m) => m.text)).toEqual([
      h.t('participation.unsubscribed'),
      slots.replies.at(-1)?.text,
    ]);
    expect(off.choices.map((c) => c.id)).toEqual(slots.choices.map((c) => c.id));
    expect(anna.at).toBe('book/slot');
    anna.send('2');
    expect(anna.at).toBe('book/topic');
    expect(anna.state.data).not.toHaveProperty('resumeChoices.0');
    expect(anna.state.data).not.toHaveProperty('resumeQuestions.0');
  });
});
