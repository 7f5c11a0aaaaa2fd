import { describe, expect, it } from 'vitest';
import { flowHarness } from '../support/flow-harness.js';

/** A resident at the menu at a given instant (UTC; Rijswijk is UTC+1 in winter). */
function at(now: string) {
  const requests: { promise: string; closed: boolean }[] = [];
  const h = flowHarness({
    now,
    services: {
      'webcare.request': (args) => {
        requests.push(args);
        return {};
      },
    },
  });
  const anna = h.chat('anna');
  anna.send('hoi');
  return { h, anna, requests };
}

describe('person flow', () => {
  it('during office hours: a person answers within half an hour; the conversation waits for them', () => {
    const { h, anna, requests } = at('2026-12-01T09:00:00Z');
    const turn = anna.send('medewerker');
    expect(turn.text).toBe(h.t('person.open', { count: 30 }));
    // The webcare queue gets the request with what the resident was told.
    expect(requests).toEqual([{ promise: h.t('person.open', { count: 30 }), closed: false }]);
    expect(turn.flags).toEqual({ needsHuman: true });
    expect(anna.flags.needsHuman).toBe(true);
    expect(anna.state.mode).toBe('human');
    expect(anna.at).toBeUndefined();
  });

  it.each([
    ['before opening', '2026-12-01T06:00:00Z', 'vandaag om 08:30'],
    ['in the evening', '2026-12-01T19:00:00Z', 'morgen om 08:30'],
    ['on Friday after four', '2026-12-04T15:30:00Z', 'op maandag om 08:30'],
    ['on Sunday', '2026-12-06T12:00:00Z', 'morgen om 08:30'],
  ] as const)('is honest %s about when someone is back', (_when, now, when) => {
    const { h, anna, requests } = at(now);
    const promise = h.t('person.closed', { when, phone: '14 070' });
    expect(anna.send('medewerker').text).toBe(promise);
    expect(requests).toEqual([{ promise, closed: true }]);
  });

  // Regression (issue 10): "Ze zijn er weer op vandaag om 08:30".
  it('says "vandaag om", not "op vandaag om"', () => {
    const { anna } = at('2026-12-01T06:00:00Z');
    expect(anna.send('medewerker').text).toContain('Ze zijn er weer vandaag om 08:30.');
  });

  // Regression: outside office hours the resident was not told how to go back to the chatbot (in
  // office hours they were), and every message after it went to the waiting queue unanswered.
  it('says how to go back to the chatbot, in office hours and outside them, in both languages', () => {
    for (const now of ['2026-12-01T09:00:00Z', '2026-12-01T19:00:00Z']) {
      const { h, anna } = at(now);
      expect(anna.send('medewerker').text).toContain("Stuur 'menu' om terug te gaan naar de chatbot.");
      expect(h.tIn('en')('person.closed', { when: 'x', phone: 'y' })).toContain(
        "Send 'menu' to go back to the chatbot.",
      );
      expect(anna.send('menu').text).toContain(h.t('person.waiting_menu'));
    }
  });

  // Regression: the office hours ignored holidays, so on Christmas Day a resident heard that someone
  // would answer within half an hour.
  it('counts a public holiday as closed (Christmas Day 2026 is a Friday)', () => {
    const { h, anna } = at('2026-12-25T10:00:00Z');
    expect(anna.send('medewerker').text).toBe(
      h.t('person.closed', { when: 'op maandag om 08:30', phone: '14 070' }),
    );
  });

  // Regression: while waiting, "ik wil toch liever een afspraak maken" and "hallo is daar iemand?"
  // got no reply at all. Now the first message is noted once, with how to stop waiting.
  it('keeps messages for the person; only the first one gets a short note that it is there', () => {
    const { h, anna } = at('2026-12-01T09:00:00Z');
    anna.send('medewerker');
    const turn = anna.send('ik wil toch liever een afspraak maken');
    expect(turn.replies.map((m) => m.text)).toEqual([h.t('person.wait_noted')]);
    expect(turn.text).toContain("Stuur dan 'menu'");
    expect(turn.calls).toEqual([]);
    expect(anna.state.mode).toBe('human');
    expect(anna.send('hallo is daar iemand?').replies).toEqual([]);
    expect(anna.send('Mijn vraag gaat over de parkeervergunning.').replies).toEqual([]);
    expect(anna.state.mode).toBe('human');
  });

  it('outside office hours the note says when staff are back; asking again notes again', () => {
    const { h, anna } = at('2026-12-01T20:00:00Z'); // Tuesday evening
    anna.send('medewerker');
    expect(anna.send('is daar iemand?').text).toBe(
      h.t('person.wait_noted_closed', { when: 'morgen om 08:30' }),
    );
    anna.send('menu');
    anna.send('medewerker');
    expect(anna.send('hallo?').text).toBe(h.t('person.wait_noted_closed', { when: 'morgen om 08:30' }));
  });

  it('once an operator reads along, the bot notes nothing', () => {
    const { h, anna } = at('2026-12-01T09:00:00Z');
    anna.send('medewerker');
    expect(anna.fire('webcare.taken', {}).text).toBe(h.t('webcare.taken'));
    expect(anna.send('Mijn vraag gaat over de parkeervergunning.').replies).toEqual([]);
  });

  it('"menu" takes the resident back to the bot and withdraws the request', () => {
    const { h, anna } = at('2026-12-01T09:00:00Z');
    anna.send('medewerker');
    const turn = anna.send('menu');
    expect(turn.replies.map((m) => m.text)).toEqual([h.t('person.waiting_menu'), h.t('core.menu.prompt')]);
    expect(anna.state.mode).toBe('bot');
    expect(anna.flags.needsHuman).toBe(false);
  });

  // Regression: "hulp" while waiting gave the main menu's help ("U kunt kiezen uit het menu. Stuur
  // het nummer…"), though no menu is shown there.
  it('"hulp" while waiting names only the words that work there', () => {
    const { h, anna } = at('2026-12-01T09:00:00Z');
    anna.send('medewerker');
    const help = anna.send('hulp').text;
    expect(help).toBe(h.t('person.help_waiting'));
    expect(help).not.toContain(h.t('core.help'));
    expect(help).not.toContain('nummer');
    anna.fire('webcare.taken', {});
    expect(anna.send('help').text).toBe(h.t('person.help_taken'));
    expect(anna.state.mode).toBe('human');
  });

  it.each(['medewerker', 'een medewerker', 'Mens', 'talk to a person', 'iemand spreken'])(
    '"%s" asks for a person from any step',
    (words) => {
      const { anna } = at('2026-12-01T09:00:00Z');
      anna.send('wijkwethouder');
      anna.send(words);
      expect(anna.state.mode).toBe('human');
    },
  );

  it('is in the menu', () => {
    const { h, anna } = at('2026-12-01T09:00:00Z');
    expect(anna.press('person').text).toBe(h.t('person.open', { count: 30 }));
  });
});

/** A resident waiting for a person; `withdrawal` is what the webcare queue says withdrawing did. */
function waitingFor(withdrawal: 'waiting' | 'taken' | 'none' = 'waiting') {
  const withdrawn: string[] = [];
  const h = flowHarness({
    now: '2026-12-01T09:00:00Z',
    services: {
      'webcare.withdraw': (_args, env) => {
        withdrawn.push(env.address.userId);
        return { withdrawal };
      },
    },
  });
  const anna = h.chat('anna');
  anna.send('hoi');
  anna.send('medewerker');
  return { h, anna, withdrawn };
}

describe('withdrawing a request for a person', () => {
  // Regression: only "menu" left the waiting; "laat maar, hoeft niet meer" got silence and the
  // resident stayed in the operators' queue, waited for by nobody.
  it.each([
    'laat maar',
    'hoeft niet meer',
    'Laat maar, hoeft niet meer.',
    'nee hoeft niet',
    'Nee, laat maar',
    'ik hoef niemand meer te spreken',
    'Hoeft niet meer, bedankt!',
    'hoeft neit meer',
    // Regression: "ok laat maar", "toch niet nodig" and "nvm" were a message for the person, and
    // the resident stayed in the queue ("never mind" already withdrew).
    'ok laat maar',
    'Oké, laat maar.',
    'okay laat maar',
    'toch niet nodig',
    'Is toch niet nodig.',
    'nvm',
    'NVM',
    'ok never mind',
    'never mind',
  ])('"%s" withdraws it: the resident is told how to get help again, and is back with the bot', (text) => {
    const { h, anna, withdrawn } = waitingFor();
    const turn = anna.send(text);
    expect(withdrawn).toEqual(['anna']);
    expect(turn.text).toBe(h.t('person.withdrawn'));
    expect(turn.text).toContain("Stuur 'menu'");
    expect(turn.text).toContain("Stuur dan 'medewerker'");
    expect(turn.flags).toEqual({ needsHuman: false });
    expect(anna.state.mode).toBe('bot');
    // Back with the bot: the next message is read as at the menu.
    expect(anna.send('afspraak maken').text).not.toBe('');
    expect(anna.at).toMatch(/^(book|district)\//);
  });

  it.each(['nvm', 'ok never mind', 'never mind'])('"%s" withdraws it in English, in English', (text) => {
    const h = flowHarness({
      now: '2026-12-01T09:00:00Z',
      services: { 'webcare.withdraw': () => ({ withdrawal: 'waiting' }) },
    });
    const bob = h.chat('bob');
    bob.send('hello');
    bob.send('talk to a person');
    expect(bob.send(text).text).toBe(h.tIn('en')('person.withdrawn'));
    expect(bob.state.mode).toBe('bot');
  });

  it.each(['never mind', 'forget it', 'no need anymore', "I don't need anyone anymore"])(
    '"%s" withdraws it in English',
    (text) => {
      const h = flowHarness({
        now: '2026-12-01T09:00:00Z',
        services: { 'webcare.withdraw': () => ({ withdrawal: 'waiting' }) },
      });
      const bob = h.chat('bob');
      bob.send('hello');
      bob.send('talk to a person');
      expect(bob.state.lang).toBe('en');
      const turn = bob.send(text);
      expect(turn.text).toBe(h.tIn('en')('person.withdrawn'));
      expect(turn.text).toContain("Send 'menu'");
      expect(bob.state.mode).toBe('bot');
      expect(bob.flags.needsHuman).toBe(false);
    },
  );

  it.each([
    'laat maar weten wanneer',
    'Laat maar weten wanneer iemand tijd heeft',
    'hoeft niet meer?',
    'Waarom hoeft dat niet meer?',
    'Mijn vraag gaat over de parkeervergunning, die is niet meer nodig',
    'nee',
    'nee die is niet meer nodig',
    'toch niet nodig, wanneer belt u?',
    'ok toch niet nodig want ik heb een vraag over afval',
    'ok',
  ])('"%s" is a message for the person: kept, only noted, still waiting', (text) => {
    const { h, anna, withdrawn } = waitingFor();
    const turn = anna.send(text);
    expect(turn.replies.map((m) => m.text)).toEqual([h.t('person.wait_noted')]);
    expect(turn.calls).toEqual([]);
    expect(withdrawn).toEqual([]);
    expect(anna.state.mode).toBe('human');
    expect(anna.flags.needsHuman).toBe(true);
  });

  it('with an operator on it already, the message stays theirs: the resident keeps the person and hears how to leave', () => {
    const { h, anna, withdrawn } = waitingFor('taken');
    anna.fire('webcare.taken', {});
    const turn = anna.send('laat maar, hoeft niet meer');
    expect(withdrawn).toEqual(['anna']);
    expect(turn.text).toBe(h.t('person.withdrawn_taken'));
    expect(turn.text).toContain("Stuur dan 'menu'");
    expect(turn.flags).toEqual({});
    expect(anna.state.mode).toBe('human');
    // The operator can still answer, and hand back.
    expect(anna.fire('webcare.reply', { text: 'Prima, fijne dag!' }).text).toBe('Prima, fijne dag!');
    anna.fire('webcare.handed_back', {});
    expect(anna.state.mode).toBe('bot');
  });

  it.each(['ok laat maar', 'toch niet nodig', 'nvm'])(
    'outside the waiting, "%s" withdraws nothing and reads as before',
    (text) => {
      const { h, anna, withdrawn } = waitingFor();
      anna.send('menu');
      anna.send('wijkwethouder');
      const at = anna.at;
      const turn = anna.send(text);
      expect(withdrawn).toEqual([]);
      expect(turn.text).not.toBe(h.t('person.withdrawn'));
      expect(anna.state.mode).toBe('bot');
      expect(anna.at).toBe(at);
    },
  );

  it('outside the waiting, "laat maar" is what it always was', () => {
    const { anna, withdrawn } = waitingFor();
    anna.send('menu');
    anna.send('wijkwethouder');
    anna.send('laat maar');
    expect(withdrawn).toEqual([]);
    expect(anna.at).toBe('menu/main');
  });
});

// Regression: "wat is het telefoonnummer van de gemeente", "waar is het raadhuis" and "kan ik
// bellen?" got "Sorry, dat begrijp ik niet goed", though the municipality's data holds the answer.
describe('contact: phone number, address and whether staff can be reached', () => {
  it('answers at the menu with the address, the phone number and that staff are there now', () => {
    const { h, anna, requests } = at('2026-12-01T09:00:00Z');
    for (const words of [
      'wat is het telefoonnummer van de gemeente',
      'waar is het raadhuis?',
      'kan ik jullie bellen?',
    ]) {
      const turn = anna.send(words);
      const info = h.t('contact.info', { phone: '14 070', when: h.t('contact.open_now') });
      expect(
        turn.replies.map((m) => m.text),
        words,
      ).toEqual([
        `${h.t('contact.address', { address: 'Bogaardplein 15, Rijswijk' })}\n${info}`,
        h.t('core.menu.prompt'),
      ]);
      expect(anna.at, words).toBe('menu/main');
    }
    // Nobody is asked for: it is information, not a request for a person.
    expect(requests).toEqual([]);
    expect(anna.state.mode).toBe('bot');
  });

  it('says when staff are back outside office hours, in the resident’s language', () => {
    const { h, anna } = at('2026-12-04T15:30:00Z');
    const turn = anna.send('openingstijden');
    expect(turn.replies[0]?.text).toContain(h.t('contact.back_at', { when: 'op maandag om 08:30' }));
    const en = h.tIn('en');
    const english = anna.send('what is your phone number?');
    expect(english.replies[0]?.text).toContain(en('contact.back_at', { when: 'on Monday at 08:30' }));
    expect(english.replies[0]?.text).toContain('14 070');
  });

  it('goes on at the same question in a flow, and leaves a question being written alone', () => {
    const { h, anna } = at('2026-12-01T09:00:00Z');
    anna.send('wie is mijn wijkwethouder');
    expect(anna.at).toBe('district/ask');
    const turn = anna.send('waar is het gemeentehuis?');
    expect(turn.replies.map((m) => m.text).at(-1)).toBe(h.t('district.ask'));
    expect(anna.at).toBe('district/ask');
    anna.send('menu');
    anna.send('vraag stellen');
    const kept = anna.send('Wat zijn de openingstijden van de milieustraat?');
    expect(kept.text).toBe(h.t('ask.more'));
    expect(anna.at).toBe('ask/text');
  });
});
