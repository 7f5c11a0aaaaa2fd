import { describe, expect, it } from 'vitest';
import { flowHarness } from '../support/flow-harness.js';
import { booking, remembered, slot } from './fixtures.js';

const five = [0, 1, 2, 3, 4].map((n) => slot(n));
/** Free times in January, found for "in januari". */
const january = [0, 1].map((n) => slot(n, { start: Date.parse('2027-01-12T18:00:00Z') + n * 600_000 }));

/** A resident at Anna de Vries's first free times (Tuesday 8 December, 19:00 to 19:40). */
function atTimes() {
  const { h, anna } = remembered({ services: { 'bookings.free': () => five } });
  anna.send('afspraak');
  anna.press(/Anna de Vries/);
  expect(anna.at).toBe('book/slot');
  return { h, anna };
}

const ids = (choices: { id: string }[]) => choices.map((c) => c.id);

// Regression: a wish no time shown had ("heeft u ook iets in januari", "kan het op een dinsdag",
// "telefonisch graag", "liever 's avonds") got "Welke tijd bedoelt u?" and the same five times, and
// "geen van deze" too: the resident had to guess that "Latere tijden" was the way on.
describe('booking: a day, part of the day, month or kind asked for at the free times', () => {
  it('looks for times that fit the wish and says what they are', () => {
    const { h, anna } = atTimes();
    h.serve('bookings.free', (args) => (args.wish ? january : five));
    const found = anna.send('heeft u ook iets in januari?');
    expect(found.calls).toEqual([
      {
        service: 'bookings.free',
        args: { aldermanId: 'anna-de-vries', limit: 5, wish: { month: 1 } },
        by: 'console:anna',
      },
    ]);
    expect(found.text).toBe(h.t('book.slots_wish', { alderman: 'Anna de Vries', wish: 'in januari' }));
    expect(ids(found.choices)).toEqual([...january.map((s) => `slot:${s.start}`), 'later', 'stop']);
    expect(anna.at).toBe('book/slot');
    // One of them is picked as any time is.
    anna.press(`slot:${january[1]!.start}`);
    expect(anna.at).toBe('book/topic');
  });

  it('"Latere tijden" after times for a wish shows more of those, and says when there are none', () => {
    const { h, anna } = atTimes();
    h.serve('bookings.free', (args) => (args.wish && args.after === undefined ? january : []));
    anna.send('in januari');
    const none = anna.press('later');
    expect(none.calls[0]?.args).toEqual({
      aldermanId: 'anna-de-vries',
      limit: 5,
      after: january[1]!.start,
      wish: { month: 1 },
    });
    expect(none.text).toBe(h.t('book.wish_no_more', { wish: 'in januari' }));
    expect(ids(none.choices)).toEqual([...january.map((s) => `slot:${s.start}`), 'stop']);
  });

  it('when no time fits, says so in words, and the times shown stay with "Latere tijden"', () => {
    const cases = [
      ['kan het ook op een dinsdag of donderdag?', { weekdays: [2, 4] }, 'op dinsdag of donderdag'],
      ['telefonisch graag', { kind: 'phone' }, 'per telefoon'],
      ["liever 's middags", { dayPart: 'afternoon' }, "'s middags"],
      ['kan het op 22 december?', { month: 12, day: 22 }, 'op 22 december'],
      ['woensdagavond?', { weekdays: [3], dayPart: 'evening' }, "op woensdag 's avonds"],
    ] as const;
    for (const [words, wish, said] of cases) {
      const { h, anna } = atTimes();
      h.serve('bookings.free', (args) => (args.wish ? [] : five));
      const none = anna.send(words);
      expect(none.calls[0]?.args, words).toEqual({ aldermanId: 'anna-de-vries', limit: 5, wish });
      expect(none.text, words).toBe(h.t('book.wish_none', { alderman: 'Anna de Vries', wish: said }));
      expect(ids(none.choices), words).toEqual([...five.map((s) => `slot:${s.start}`), 'later', 'stop']);
      // "Latere tijden" then goes on with any later time: no wish was found to keep.
      const later = anna.press('later');
      expect(later.calls[0]?.args, words).toEqual({
        aldermanId: 'anna-de-vries',
        limit: 5,
        after: slot(4).start,
      });
    }
  });

  it('says the wish in English to an English resident', () => {
    const h = flowHarness({ services: { 'bookings.free': (args) => (args.wish ? [] : five) } });
    const bob = h.chat('bob');
    bob.send('hello');
    bob.send('english');
    bob.send('2282AB');
    bob.send('yes');
    bob.send('appointment');
    bob.press(/Anna de Vries/);
    const none = bob.send('anything on a Thursday afternoon?');
    expect(none.text).toBe(
      h.tIn('en')('book.wish_none', { alderman: 'Anna de Vries', wish: 'on Thursday in the afternoon' }),
    );
  });

  it('"geen van deze" and "none of these" show the next days, as "andere dag" does', () => {
    for (const words of ['geen van deze', 'geen van deze tijden', 'none of these']) {
      const { h, anna } = atTimes();
      const next = anna.send(words);
      expect(next.calls[0]?.args, words).toMatchObject({ after: expect.any(Number) as number });
      expect(next.calls[0]?.args, words).not.toHaveProperty('wish');
      expect(next.text, words).toBe(h.t('book.slots_later', { alderman: 'Anna de Vries' }));
    }
  });

  it('a time shown is still picked by its day and time, and a word naming no time is asked again', () => {
    const { h, anna } = atTimes();
    const picked = anna.send('dinsdag 19:20');
    expect(picked.calls).toEqual([]);
    expect(anna.at).toBe('book/topic');
    const other = atTimes();
    const again = other.anna.send('morgen');
    expect(again.text).toBe(h.t('book.slot_again'));
    expect(again.calls).toEqual([]);
  });

  // Regression: "nee, liever op dinsdag" at "Klopt dit?" stopped the booking (its "nee" chose
  // "Stoppen"), and "kan het ook in januari?" was asked again.
  it('at the confirmation, a wish shows the times that fit, keeping the topic; a wish the chosen time fits looks for nothing', () => {
    for (const [words, wish] of [
      ['nee, liever op dinsdag', { weekdays: [2] }],
      ['kan het ook in januari?', { month: 1 }],
    ] as const) {
      const { h, anna } = atTimes();
      anna.press(`slot:${slot(1).start}`);
      anna.send('Bankje in het park');
      expect(anna.at, words).toBe('book/confirm');
      h.serve('bookings.free', (args) => (args.wish ? january : five));
      const turn = anna.send(words);
      expect(turn.calls, words).toEqual([
        {
          service: 'bookings.free',
          args: { aldermanId: 'anna-de-vries', limit: 5, wish },
          by: 'console:anna',
        },
      ]);
      expect(anna.at, words).toBe('book/slot');
      anna.press(`slot:${january[0]!.start}`);
      expect(anna.at, words).toBe('book/confirm');
      expect(anna.state.data.topic, words).toBe('Bankje in het park');
    }
    // "ja, dinsdag is goed" for a Tuesday time looks for nothing: no clear yes, so asked again.
    const { h, anna } = atTimes();
    anna.press(`slot:${slot(1).start}`);
    anna.send('Bankje in het park');
    const again = anna.send('ja, dinsdag is goed');
    expect(again.calls).toEqual([]);
    expect(again.text).toBe(`${h.t('understanding.again_choices')}\n${h.t('book.confirm_again')}`);
    expect(anna.at).toBe('book/confirm');
  });
});

// Regression (a resident's walkthrough): "liever 's avonds" picked the one evening time of those
// shown without saying so and asked for the topic; "niet in december" and "9 december kan ik niet"
// showed December and 9 December times; "na 30 december" only that day; "kan het eerder" showed
// later times; a move "naar februari" without February times said there was no free time at all.
describe('booking: a wish that rules out, bounds, or asks for earlier', () => {
  /** Three daytime times and one in the evening, Tuesday 8 December. */
  const mixed = [
    slot(0, { start: Date.parse('2026-12-08T09:00:00Z') }),
    slot(1, { start: Date.parse('2026-12-08T10:00:00Z') }),
    slot(2, { start: Date.parse('2026-12-08T13:00:00Z') }),
    slot(3, { start: Date.parse('2026-12-08T18:30:00Z') }),
  ];

  it('a part of the day alone looks for times then, and picks none of those shown', () => {
    const { h, anna } = remembered({ services: { 'bookings.free': () => mixed } });
    anna.send('afspraak');
    anna.press(/Anna de Vries/);
    h.serve('bookings.free', (args) => (args.wish ? [mixed[3]!, slot(4)] : mixed));
    const turn = anna.send("liever 's avonds");
    expect(turn.calls[0]?.args).toEqual({
      aldermanId: 'anna-de-vries',
      limit: 5,
      wish: { dayPart: 'evening' },
    });
    expect(turn.text).toBe(h.t('book.slots_wish', { alderman: 'Anna de Vries', wish: "'s avonds" }));
    expect(anna.at).toBe('book/slot');
    // A time still picks the one it names.
    expect(anna.send('19:30').calls).toEqual([]);
    expect(anna.at).toBe('book/topic');
  });

  it('looks for times without what is ruled out, and after or before a date, saying so', () => {
    for (const [words, wish, said] of [
      ['niet in december', { not: { month: 12 } }, 'niet in december'],
      ['9 december kan ik niet', { not: { month: 12, day: 9 } }, 'niet op 9 december'],
      [
        '9 dec gaat niet, liever 10 dec',
        { month: 12, day: 10, not: { month: 12, day: 9 } },
        'op 10 december en niet op 9 december',
      ],
      ['na 30 december', { month: 12, day: 30, bound: 'after' }, 'na 30 december'],
      ['kan het vanaf januari?', { month: 1, bound: 'from' }, 'vanaf januari'],
      [
        'dinsdag niet, wel donderdag',
        { weekdays: [4], not: { weekdays: [2] } },
        'op donderdag en niet op dinsdag',
      ],
    ] as const) {
      const { h, anna } = atTimes();
      h.serve('bookings.free', (args) => (args.wish ? january : five));
      const turn = anna.send(words);
      expect(turn.calls[0]?.args, words).toEqual({ aldermanId: 'anna-de-vries', limit: 5, wish });
      expect(turn.text, words).toBe(h.t('book.slots_wish', { alderman: 'Anna de Vries', wish: said }));
    }
  });

  it('"kan het eerder" on the first times says there are none earlier; after "Latere tijden", shows the first again', () => {
    const { h, anna } = atTimes();
    const first = anna.send('kan het ook eerder?');
    expect(first.calls).toEqual([]);
    expect(first.text).toBe(h.t('book.no_earlier'));
    expect(ids(first.choices)).toEqual([...five.map((s) => `slot:${s.start}`), 'later', 'stop']);
    h.serve('bookings.free', (args) => (args.after ? january : five));
    anna.press('later');
    const back = anna.send('eerder graag');
    expect(back.calls[0]?.args).toEqual({ aldermanId: 'anna-de-vries', limit: 5 });
    expect(back.text).toBe(h.t('book.slots', { alderman: 'Anna de Vries' }));
  });

  it('a topic without a letter ("1", "12:00") is asked again', () => {
    const { h, anna } = atTimes();
    anna.press(`slot:${slot(1).start}`);
    for (const words of ['1', '2.', '12:00']) {
      expect(anna.send(words).text, words).toBe(h.t('book.topic'));
      expect(anna.at, words).toBe('book/topic');
    }
    anna.send('Het speeltuintje');
    expect(anna.at).toBe('book/confirm');
  });

  it('with no time for the wish and none shown yet (a move), shows the first times and says so', () => {
    // A move starts the slot step with nothing offered yet, and here a wish with no time.
    const h = flowHarness({
      services: {
        'bookings.upcoming': () => [booking()],
        'bookings.free': (args) => (args.wish ? [] : five),
      },
    });
    const bob = h.chat('anna');
    bob.send('hoi');
    const turn = bob.send('ik wil mijn afspraak verzetten naar februari');
    expect(turn.calls.filter((c) => c.service === 'bookings.free').map((c) => c.args)).toEqual([
      { aldermanId: 'anna-de-vries', limit: 5, wish: { month: 2 } },
      { aldermanId: 'anna-de-vries', limit: 5 },
    ]);
    expect(turn.text).toBe(
      `${h.t('book.wish_none_lead', { alderman: 'Anna de Vries', wish: 'in februari' })}\n${h.t('book.slots', { alderman: 'Anna de Vries' })}`,
    );
    expect(bob.at).toBe('book/slot');
  });
});

// Regression: "terug" at "Klopt dit?" or at the topic stopped the whole booking ("Goed, ik stop
// hiermee"), and "eigenlijk liever een andere tijd" was not understood though its button says so.
describe('booking: a step back from the topic or the confirmation', () => {
  it('"terug" or "vorige" shows the times again, the topic kept; "annuleren" still stops', () => {
    for (const words of ['terug', 'vorige', 'ga terug']) {
      const { h, anna } = atTimes();
      anna.press(`slot:${slot(1).start}`);
      anna.send('Bankje in het park');
      expect(anna.at, words).toBe('book/confirm');
      const back = anna.send(words);
      expect(back.text, words).toBe(h.t('book.slots', { alderman: 'Anna de Vries' }));
      expect(anna.at, words).toBe('book/slot');
      anna.press(`slot:${slot(2).start}`);
      expect(anna.at, words).toBe('book/confirm');
      expect(anna.state.data.topic, words).toBe('Bankje in het park');
    }
    const { anna } = atTimes();
    anna.press(`slot:${slot(1).start}`);
    anna.send('terug');
    expect(anna.at).toBe('book/slot');
    const other = atTimes();
    other.anna.press(`slot:${slot(1).start}`);
    other.anna.send('Bankje');
    other.anna.send('annuleren');
    expect(other.anna.at).not.toMatch(/^book\//);
  });

  it('"terug" after times for a wish shows those times again, not the first ones', () => {
    const { h, anna } = atTimes();
    h.serve('bookings.free', (args) => (args.wish ? january : five));
    anna.send('heeft u iets in januari?');
    anna.press(`slot:${january[0]!.start}`);
    anna.send('Bankje');
    const back = anna.send('terug');
    expect(back.calls[0]?.args).toEqual({ aldermanId: 'anna-de-vries', limit: 5, wish: { month: 1 } });
    expect(back.text).toBe(h.t('book.slots_wish', { alderman: 'Anna de Vries', wish: 'in januari' }));
  });

  it('"eigenlijk liever een andere tijd" at the confirmation shows the times', () => {
    const { h, anna } = atTimes();
    anna.press(`slot:${slot(1).start}`);
    anna.send('Bankje');
    const turn = anna.send('eigenlijk liever een andere tijd');
    expect(turn.text).toBe(h.t('book.slots', { alderman: 'Anna de Vries' }));
    expect(anna.at).toBe('book/slot');
  });
});

// Regression (a walkthrough after the wishes came in): "17 december lukt me niet" and "I can't do
// 17 December" showed simply later times (the other-time words won over the date they name), "17
// December doesn't work for me" showed exactly that day, "kan het eerder" after a ruled-out date
// forgot it, none left but the ruled-out day said "heeft geen vrije tijd niet op woensdag", and "ik
// kan die dag toch niet" at "Klopt dit?" showed that same day again.
describe('booking: a day ruled out in other words, and what comes after it', () => {
  it('a date or weekday that "lukt me niet" is left out, also typed at the confirmation', () => {
    for (const [words, wish] of [
      ['17 december lukt me niet', { not: { month: 12, day: 17 } }],
      ["I can't do 17 December", { not: { month: 12, day: 17 } }],
      ["17 December doesn't work for me", { not: { month: 12, day: 17 } }],
      ['woensdag lukt me niet', { not: { weekdays: [3] } }],
    ] as const) {
      const { h, anna } = atTimes();
      h.serve('bookings.free', (args) => (args.wish ? january : five));
      expect(anna.send(words).calls[0]?.args, words).toEqual({ aldermanId: 'anna-de-vries', limit: 5, wish });
      anna.press(`slot:${january[0]!.start}`);
      anna.send('Bankje');
      expect(anna.send(words).calls[0]?.args, words).toEqual({ aldermanId: 'anna-de-vries', limit: 5, wish });
    }
  });

  it('when only the ruled-out day has times, says that it only has those', () => {
    const { h, anna } = atTimes();
    h.serve('bookings.free', (args) => (args.wish ? [] : five));
    const turn = anna.send('niet op dinsdag');
    expect(turn.text).toBe(h.t('book.wish_none_not', { alderman: 'Anna de Vries', wish: 'op dinsdag' }));
  });

  it('"kan het eerder" on a later page keeps the day ruled out', () => {
    const { h, anna } = atTimes();
    h.serve('bookings.free', (args) => (args.wish ? january : five));
    anna.send('niet in december');
    h.serve('bookings.free', () => january);
    anna.press('later');
    const back = anna.send('kan het eerder?');
    expect(back.calls[0]?.args).toEqual({
      aldermanId: 'anna-de-vries',
      limit: 5,
      wish: { not: { month: 12 } },
    });
  });

  it('"ik kan die dag toch niet" typed at the confirmation shows times after that day; the button any time', () => {
    const { anna } = atTimes();
    anna.press(`slot:${slot(1).start}`);
    anna.send('Bankje');
    const typed = anna.send('ik kan die dag toch niet');
    expect(typed.calls[0]?.args).toMatchObject({
      aldermanId: 'anna-de-vries',
      after: expect.any(Number) as number,
    });
    expect(Number((typed.calls[0]?.args as { after: number }).after)).toBeGreaterThan(slot(1).start);
    anna.press(`slot:${slot(2).start}`);
    const tapped = anna.press('other-time');
    expect(tapped.calls[0]?.args).toEqual({ aldermanId: 'anna-de-vries', limit: 5 });
  });
});

// Regression (the same walkthrough): "liever in januari" or "9 december kan ik niet" typed at "Waar
// wilt u het over hebben?" became the appointment's topic.
describe('booking: a time wish typed at the topic question', () => {
  it('looks for times that fit it, the topic still to come; a subject naming a month stays the subject', () => {
    for (const [words, wish] of [
      ['liever in januari', { month: 1 }],
      ['9 december kan ik niet', { not: { month: 12, day: 9 } }],
      ["nee, kan het ook 's avonds?", { dayPart: 'evening' }],
    ] as const) {
      const { h, anna } = atTimes();
      anna.press(`slot:${slot(1).start}`);
      expect(anna.at, words).toBe('book/topic');
      h.serve('bookings.free', (args) => (args.wish ? january : five));
      const turn = anna.send(words);
      expect(turn.calls[0]?.args, words).toEqual({ aldermanId: 'anna-de-vries', limit: 5, wish });
      expect(anna.at, words).toBe('book/slot');
      expect(anna.state.data.topic, words).toBeUndefined();
    }
    const { anna } = atTimes();
    anna.press(`slot:${slot(1).start}`);
    anna.send('over de kerstmarkt in december');
    expect(anna.at).toBe('book/confirm');
    expect(anna.state.data.topic).toBe('over de kerstmarkt in december');
  });
});
