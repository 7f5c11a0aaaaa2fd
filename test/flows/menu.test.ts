import { describe, expect, it } from 'vitest';
import { flowHarness } from '../support/flow-harness.js';
import { atFreeTimes, booking, slot } from './fixtures.js';

describe('menu flow', () => {
  it('says hello to a greeting and shows what a resident can do, in menu order', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    h.advance(60_000);
    const turn = anna.send('Goedemorgen!');
    expect(turn.replies.map((m) => m.text)).toEqual([h.t('core.menu.hello'), h.t('core.menu.prompt')]);
    expect(turn.choices.map((c) => c.id)).toEqual([
      'district',
      'book',
      'my-appointments',
      'ask',
      'my-questions',
      'person',
      'language',
    ]);
  });

  it('regression: says goodbye to "doei" or "tot ziens", with no menu after it (it said it did not understand, and showed the menu)', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    for (const bye of ['doei', 'Tot ziens!', 'bedankt en een fijne dag nog', 'Dank u wel, tot ziens']) {
      const turn = anna.send(bye);
      expect(turn.replies.map((m) => m.text)).toEqual([h.t('social.goodbye')]);
      expect(turn.choices).toEqual([]);
    }
    // Coming back later is a fresh start at the menu.
    expect(anna.send('hallo').replies.map((m) => m.text)).toEqual([
      h.t('core.menu.hello'),
      h.t('core.menu.prompt'),
    ]);
    const bob = h.chat('bob');
    bob.send('hello');
    bob.send('english');
    expect(bob.send('bye!').text).toBe(h.tIn('en')('social.goodbye'));
  });

  it('in a flow, "doei" is read by the step: no goodbye over a question that waits for an answer', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('1');
    const turn = anna.send('doei');
    expect(turn.replies.map((m) => m.text)).not.toContain(h.t('social.goodbye'));
  });

  // Regression: "vergeven mij" (forgive me) opened "Mijn afspraken" ("U heeft geen afspraken."):
  // "vergeven" was read as a typo of "verzetten". "vergeef me" got "Sorry, dat begrijp ik niet goed".
  it.each(['vergeven mij', 'vergeef me', 'sorry, vergeef me', 'Sorry!'])(
    'regression: "%s" at the menu gets "Geen probleem." and the menu, and opens no flow',
    (text) => {
      const h = flowHarness({ services: { 'bookings.upcoming': () => [] } });
      const anna = h.chat('anna');
      anna.send('hoi');
      const turn = anna.send(text);
      expect(turn.replies.map((m) => m.text)).toEqual([h.t('social.apology'), h.t('core.menu.prompt')]);
      expect(h.calls.map((c) => c.service)).not.toContain('bookings.upcoming');
      expect(anna.at).toBe('menu/main');
    },
  );

  it('an apology in a flow: "Geen probleem." and the same question again, in English too', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('1');
    const turn = anna.send('sorry, vergeef me');
    expect(turn.replies.map((m) => m.text)).toEqual([h.t('social.apology'), h.t('district.ask')]);
    expect(anna.at).toBe('district/ask');
    expect(anna.send('2282AB').text).toContain('Muziekbuurt');
    const bob = h.chat('bob');
    bob.send('hello');
    bob.send('english');
    expect(bob.send('forgive me').replies[0]?.text).toBe(h.tIn('en')('social.apology'));
  });

  it('takes a number, a label or a word for a menu entry', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    expect(anna.send('1').text).toBe(h.t('district.ask'));
    anna.send('menu');
    expect(anna.send('Wie is mijn wijkwethouder?').text).toBe(h.t('district.ask'));
    anna.send('menu');
    expect(anna.send('wijk').text).toBe(h.t('district.ask'));
  });

  it('says it did not understand, and shows the menu again', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    const turn = anna.send('blablabla');
    expect(turn.replies.map((m) => m.text)).toEqual([h.t('core.menu.unknown'), h.t('core.menu.prompt')]);
    expect(anna.send('9').text).toContain(h.t('core.menu.unknown'));
  });

  // Regression: "het lukt me niet om in te loggen" opened "Mijn afspraken": "lukt me niet" was
  // another time wherever it stood. About a day or coming, it still is.
  it('regression: "het lukt me niet" about something else than a time does not open the appointments', () => {
    const h = flowHarness({ services: { 'bookings.upcoming': () => [] } });
    const anna = h.chat('anna');
    anna.send('hoi');
    const turn = anna.send('het lukt me niet om in te loggen');
    expect(turn.calls).toEqual([]);
    expect(anna.at ?? '').not.toMatch(/^my-appointments/);
    for (const words of ['dinsdag lukt me niet', 'het lukt me niet om te komen']) {
      const bob = h.chat(`bob ${words}`);
      bob.send('hoi');
      expect(bob.send(words).calls[0]?.service, words).toBe('bookings.upcoming');
    }
  });

  // Regression: at the menu ("Kan ik nog iets voor u doen?") a plain "nee dank je" or "ja" got
  // "Sorry, dat begrijp ik niet goed".
  // "nee, dat was het" (all done) got it too.
  it.each(['nee', 'nee dank je', 'Nee hoor, bedankt!', 'no thanks', 'nee, dat was het', 'dat is alles'])(
    'says goodbye to a plain no (%s) at the menu, without "did not understand"',
    (no) => {
      const h = flowHarness();
      const anna = h.chat('anna');
      anna.send('hoi');
      const turn = anna.send(no);
      expect(turn.replies.map((m) => m.text)).toEqual([h.t('core.menu.bye')]);
      expect(anna.send('afspraak maken').text).toBe(h.t('district.ask'));
    },
  );

  it.each(['ja', 'ja hoor', 'klopt'])('asks what it is on a plain yes (%s) at the menu', (yes) => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    const turn = anna.send(yes);
    expect(turn.replies.map((m) => m.text)).toEqual([h.t('core.menu.prompt')]);
    expect(turn.choices.length).toBeGreaterThan(3);
  });

  it('shows a linked alderman their open questions first; a resident never sees that entry', () => {
    const h = flowHarness();
    const resident = h.chat('anna').send('hoi');
    expect(resident.choices.map((c) => c.id)).not.toContain('staff-cases');
    const alderman = h.chat('wethouder', { staff: { aldermanId: 'anna-de-vries' } }).send('hoi');
    expect(alderman.choices[0]).toMatchObject({ id: 'staff-cases', label: h.t('staff.menu.cases') });
  });

  it('"menu" works from the middle of a flow and drops what the flow kept (a question being written asks first)', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('vraag');
    anna.send('Mijn vraag gaat over de stoep.');
    expect(anna.state.data).toMatchObject({ parts: ['Mijn vraag gaat over de stoep.'] });
    expect(anna.send('menu').text).toBe(h.t('ask.leave', { text: 'Mijn vraag gaat over de stoep.' }));
    const turn = anna.send('nee');
    expect(turn.replies.map((m) => m.text)).toEqual([h.t('ask.leave_dropped'), h.t('core.menu.prompt')]);
    expect(anna.at).toBe('menu/main');
    expect(anna.state.data).toEqual({});
  });

  it('"hulp" at the menu explains the words that always work, then shows the menu', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    const turn = anna.send('hulp');
    expect(turn.replies.map((m) => m.text)).toEqual([h.t('core.help'), h.t('core.menu.prompt')]);
    expect(anna.at).toBe('menu/main');
  });

  // Regression: "hulp" in the middle of a flow showed the menu and dropped the flow, with what the
  // resident had chosen or written; now the flow goes on at the same question.
  it('"hulp" in a flow explains the words, then asks the same question again', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('wijkwethouder');
    const turn = anna.send('hulp');
    expect(turn.replies.map((m) => m.text)).toEqual([h.t('core.help_flow'), h.t('district.ask')]);
    expect(anna.at).toBe('district/ask');
    expect(anna.send('2282 AB').text).toContain('Anna de Vries');
  });

  it('"help" keeps the text of a question being written', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('een vraag stellen');
    anna.send('De lantaarnpaal in mijn straat is kapot.');
    const turn = anna.send('?');
    expect(turn.replies.map((m) => m.text)).toEqual([h.t('core.help_flow'), h.t('ask.more')]);
    expect(anna.at).toBe('ask/text');
    anna.send('Al een week.');
    anna.send('klaar');
    anna.send('2282 AB');
    anna.send('nee');
    expect(anna.press('topic:afval').text).toContain(
      'De lantaarnpaal in mijn straat is kapot.\nAl een week.',
    );
  });

  it('"hulp" at a step of choices only (the free times) offers the same times again', () => {
    const { h, anna, slots } = atFreeTimes();
    const turn = anna.send('hulp');
    expect(turn.text).toBe(h.t('core.help_flow'));
    expect(turn.choices.map((c) => c.id)).toEqual(slots.choices.map((c) => c.id));
    expect(anna.at).toBe('book/slot');
    expect(anna.send('2').text).toBe(h.t('book.topic'));
  });

  // Regression (review of issue 17): district news, polls and plans are not in the menu, and "hulp"
  // did not name them, so a resident could not find them.
  it('"hulp" names the words for district news, a poll, a plan and their data, and each one works', () => {
    const h = flowHarness({ services: { 'participation.mine': () => [], 'polls.open': () => [] } });
    const anna = h.chat('anna');
    anna.send('hoi');
    const help = anna.send('hulp').text;
    const words = ['updates', 'peiling', 'idee', 'mijn gegevens'];
    for (const word of words) expect(help).toContain(`• ${word}:`);
    expect(anna.send('updates').calls.map((c) => c.service)).toEqual(['participation.mine']);
    anna.send('menu');
    anna.send('2282 AB');
    anna.send('ja');
    anna.send('menu');
    expect(anna.send('peiling').calls.map((c) => c.service)).toEqual(['polls.open']);
    expect(anna.send('idee').text).toContain(h.t('proposal.what'));
    anna.send('menu');
    expect(anna.send('mijn gegevens').calls.map((c) => c.service)).toEqual(['participation.mine']);
  });
});

describe('language word', () => {
  it('"English" at the menu says so in English and shows the English menu', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    const turn = anna.send('English');
    const en = h.tIn('en');
    expect(turn.replies.map((m) => m.text)).toEqual([en('language.switched'), en('core.menu.prompt')]);
    expect(turn.choices.at(-1)?.label).toBe('Nederlands');
    expect(anna.state.lang).toBe('en');
    expect(anna.send('who is my district alderman').text).toBe(en('district.ask'));
  });

  it('"English" inside a flow asks the same question again in English, and the flow goes on', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('wijkwethouder');
    const turn = anna.send('English');
    const en = h.tIn('en');
    expect(turn.replies.map((m) => m.text)).toEqual([en('language.switched'), en('district.ask')]);
    expect(anna.at).toBe('district/ask');
    expect(anna.send('2282 AB').text).toContain('Your district alderman is Anna de Vries');
  });

  // Regression: switching language while writing a question dropped the flow, and the question's
  // text with it; the resident was at the menu and had to write it all again.
  it('keeps the text of a question being written when the resident switches language', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('een vraag stellen');
    anna.send('De lantaarnpaal in mijn straat is al een week kapot.');
    const turn = anna.send('English');
    const en = h.tIn('en');
    expect(turn.replies.map((m) => m.text)).toEqual([en('language.switched'), en('ask.more')]);
    expect(turn.choices.map((c) => c.label)).toEqual([en('ask.done')]);
    expect(anna.at).toBe('ask/text');
    anna.send('It has been like this since Monday.');
    anna.send('Done');
    anna.send('2282 AB');
    anna.send('no');
    const confirm = anna.press('topic:afval');
    expect(confirm.text).toContain(
      'De lantaarnpaal in mijn straat is al een week kapot.\nIt has been like this since Monday.',
    );
  });

  // Regression: the same, for a step that shows only choices (the free times): they come back.
  it('offers the same choices again after a switch at a step without a question of its own', () => {
    const { h, anna, slots } = atFreeTimes();
    const turn = anna.send('English');
    expect(turn.text).toBe(h.tIn('en')('language.switched'));
    expect(turn.choices.map((c) => c.id)).toEqual(slots.choices.map((c) => c.id));
    expect(anna.at).toBe('book/slot');
    expect(anna.send('2').text).toBe(h.tIn('en')('book.topic'));
  });

  it('the menu’s language entry switches both ways', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.press('language');
    expect(anna.state.lang).toBe('en');
    expect(anna.press('language').text).toContain(h.t('language.switched'));
    expect(anna.state.lang).toBe('nl');
  });

  it('"Nederlands" switches back, also while waiting for a person', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('english');
    anna.send('person');
    expect(anna.state.mode).toBe('human');
    expect(anna.send('Nederlands').text).toContain(h.t('language.switched'));
    expect(anna.state.lang).toBe('nl');
  });

  it('a first message in English is answered in Dutch first (the default), until the resident switches', () => {
    const h = flowHarness();
    const turn = h.chat('tom').send('hello');
    expect(turn.text).toContain(h.t('core.menu.prompt'));
  });
});

// Regression: a conversation that started in English went on in English after the resident wrote
// a clearly Dutch sentence ("ik wil een afspraak maken met de wethouder"), and the other way round:
// only "English" / "Nederlands" switched. A message clearly in the other language (several words
// only that language has, none only the conversation's) is answered in it; a short or mixed message
// never switches, and a language the resident chose themselves holds until they choose again.
describe('language of the message', () => {
  /** Tom, whose conversation began in English with a sentence of his (no language chosen). */
  function tomInEnglish() {
    const h = flowHarness();
    const tom = h.chat('tom');
    tom.send('I would like to know who my district alderman is');
    expect(tom.state.lang).toBe('en');
    return { h, tom };
  }

  it('regression: a clearly Dutch sentence in an English conversation is answered in Dutch, and it goes on in Dutch', () => {
    const { h, tom } = tomInEnglish();
    tom.send('menu');
    const turn = tom.send('ik wil een afspraak maken met de wethouder');
    expect(turn.text).toBe(h.t('district.ask'));
    expect(tom.state.lang).toBe('nl');
    expect(tom.send('2282 AB').text).toContain('U woont in de wijk Muziekbuurt');
    expect(tom.press('no').text).toContain(h.t('book.propose', { alderman: 'Anna de Vries' }));
  });

  it('regression: a clearly English sentence in a Dutch conversation is answered in English', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    const turn = anna.send('I would like to make an appointment with the alderman');
    expect(turn.text).toBe(h.tIn('en')('district.ask'));
    expect(anna.state.lang).toBe('en');
  });

  it('regression: a question asked again after a switch by a sentence has its buttons in the new language', () => {
    const h = flowHarness();
    const en = h.tIn('en');
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('2282 AB');
    expect(anna.at).toBe('district/remember');
    // Not a yes or a no, clearly English: the hint, the question and both buttons in English (the
    // buttons were "Ja, onthoud mijn wijk" and "Nee, liever niet").
    const turn = anna.send('could you maybe explain why you need this from me');
    expect(anna.state.lang).toBe('en');
    expect(turn.text).toBe(`${en('understanding.again_choices')}\n${en('district.remember')}`);
    expect(turn.choices.map((c) => c.label)).toEqual([
      en('district.remember_yes'),
      en('district.remember_no'),
    ]);
    expect(anna.at).toBe('district/remember');
    // The buttons work as before.
    expect(anna.press('yes').text).toContain(en('district.remembered'));
  });

  it('switches halfway a question too, and the question goes on in the new language', () => {
    const { h, tom } = tomInEnglish();
    // At the postcode question, a Dutch sentence that says they do not know it: the list of
    // districts instead, in Dutch.
    const turn = tom.send('ik weet niet wat mijn postcode is');
    expect(tom.state.lang).toBe('nl');
    expect(turn.replies.map((m) => m.text)).toEqual([
      h.t('district.postcode_unknown'),
      h.t('district.choose'),
    ]);
    expect(tom.at).toBe('district/choose');
  });

  it.each(['ja graag', 'help', 'menu', 'ok', 'status', 'dank je', 'I want een afspraak', 'hoi, how are you'])(
    'a short or mixed message ("%s") does not switch',
    (text) => {
      const { tom } = tomInEnglish();
      tom.send(text);
      expect(tom.state.lang).toBe('en');
    },
  );

  it('a language chosen with "English" or the menu’s button holds: a Dutch sentence is answered in English', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('English');
    const turn = anna.send('ik wil een afspraak maken met de wethouder');
    expect(turn.text).toBe(h.tIn('en')('district.ask'));
    expect(anna.state.lang).toBe('en');
    const bob = h.chat('bob');
    bob.send('hoi');
    bob.press('language');
    bob.send('Nederlands');
    bob.send('I would like to make an appointment with the alderman');
    expect(bob.state.lang).toBe('nl');
  });
});

/**
 * Two residents with the same services: one goes to a step in Dutch and switches to English there,
 * the other chose English first. The second one's choices are what the first one's must become.
 */
function twoResidents() {
  // An appointment with another alderman: the stop question names it, and a booking with Anna is free.
  const made = booking({ aldermanId: 'pieter-jansen' });
  const h = flowHarness({
    services: {
      'bookings.free': () => [slot(0), slot(1)],
      'bookings.upcoming': () => [made],
      'bookings.cancel-all': () => ({ dropped: [], cancelled: [] }),
      'participation.unsubscribe': () => ({ removed: 0 }),
    },
  });
  const start = (name: string, english: boolean) => {
    const chat = h.chat(name);
    chat.send('hoi');
    if (english) chat.send('English');
    return chat;
  };
  return { h, dutch: start('anna', false), english: start('bob', true) };
}

const labels = (turn: { choices: { id: string; label: string }[] }) =>
  turn.choices.map((c) => [c.id, c.label]);

// Regression: after "English" at a step that only shows choices (the free times, "Mijn afspraken"),
// the choices came back with their Dutch labels ("Later", "Stoppen", "Verzetten: …"), and typing an
// English label did not pick it.
describe('a language switch at a step of choices only', () => {
  it('the free times come back in English, as an English resident sees them', () => {
    const { h, dutch, english } = twoResidents();
    for (const chat of [dutch, english]) {
      chat.send('2282AB');
      chat.send(chat === dutch ? 'ja' : 'yes');
      chat.send(chat === dutch ? 'afspraak' : 'appointment');
    }
    const shown = english.press(/Anna de Vries/);
    dutch.press(/Anna de Vries/);
    const turn = dutch.send('English');
    expect(turn.text).toBe(h.tIn('en')('language.switched'));
    expect(labels(turn)).toEqual(labels(shown));
    expect(turn.choices.map((c) => c.label)).toContain(h.tIn('en')('book.later'));
    expect(dutch.at).toBe('book/slot');
    // An English label typed is read as that choice.
    expect(dutch.send('Later times').calls.at(-1)).toMatchObject({ service: 'bookings.free' });
  });

  it('the proposed alderman and "another alderman" come back in English', () => {
    const { dutch, english } = twoResidents();
    for (const chat of [dutch, english]) {
      chat.send('2282AB');
      chat.send(chat === dutch ? 'ja' : 'yes');
    }
    const shown = english.send('appointment');
    dutch.send('afspraak');
    expect(dutch.at).toBe('book/alderman');
    expect(labels(dutch.send('English'))).toEqual(labels(shown));
  });

  it('"my appointments" comes back in English', () => {
    const { dutch, english } = twoResidents();
    const shown = english.send('my appointments');
    dutch.send('mijn afspraken');
    expect(dutch.at).toBe('my-appointments/pick');
    expect(labels(dutch.send('English'))).toEqual(labels(shown));
  });

  it('a postcode outside the municipality: "another postcode" comes back in English', () => {
    const { dutch, english } = twoResidents();
    english.send('who is my district alderman');
    const shown = english.send('1012 AB');
    dutch.send('wijkwethouder');
    dutch.send('1012 AB');
    expect(dutch.at).toBe('district/which');
    expect(labels(dutch.send('English'))).toEqual(labels(shown));
  });

  it('after the stop question asked in English, a no brings the free times back in English', () => {
    const { h, dutch, english } = twoResidents();
    for (const chat of [dutch, english]) {
      chat.send('2282AB');
      chat.send(chat === dutch ? 'ja' : 'yes');
      chat.send(chat === dutch ? 'afspraak' : 'appointment');
    }
    const shown = english.press(/Anna de Vries/);
    dutch.press(/Anna de Vries/);
    dutch.send('laat me met rust');
    expect(dutch.send('English').text).toContain(h.tIn('en')('stop.confirm'));
    const no = dutch.send('no');
    expect(no.text).toBe(h.tIn('en')('stop.continue'));
    expect(labels(no)).toEqual(labels(shown));
    expect(dutch.at).toBe('book/slot');
  });
});
