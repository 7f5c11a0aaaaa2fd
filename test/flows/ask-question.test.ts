import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/shared/errors.js';
import { flowHarness, type FakeServices } from '../support/flow-harness.js';
import { caseOf, remembered } from './fixtures.js';

const PAUSE = 2 * 60_000;

/** A resident with a remembered district (Muziekbuurt), at the menu. */
const atMenu = (services: FakeServices = {}) => remembered({ services });

/** The same resident, writing a question. */
function writing(services: FakeServices = {}) {
  const { h, anna } = atMenu(services);
  const turn = anna.send('vraag stellen');
  return { h, anna, turn };
}

describe('ask flow (a question becomes a case)', () => {
  it('gathers the question over several messages, asks the topic, confirms, and makes a case', () => {
    const created = caseOf({ status: 'new' });
    const { h, anna, turn } = writing({ 'cases.create': () => created });
    expect(turn.text).toBe(h.t('ask.write'));
    const more = anna.send('De container in mijn straat');
    expect(more.text).toBe(h.t('ask.more'));
    expect(more.choices.map((c) => c.id)).toEqual(['done']);
    anna.send('is al een week vol.');
    const topic = anna.press('done');
    expect(topic.text).toBe(h.t('ask.topic'));
    expect(topic.choices.map((c) => c.id)).toEqual(h.municipality.cases.topics.map((t) => `topic:${t.id}`));
    const confirm = anna.press('topic:afval');
    expect(confirm.text).toBe(
      h.t('ask.confirm', { text: 'De container in mijn straat\nis al een week vol.', topic: 'Afval' }),
    );
    expect(confirm.choices.map((c) => c.id)).toEqual(['send', 'restart', 'cancel']);
    const sent = anna.press('send');
    expect(sent.calls).toEqual([
      {
        service: 'cases.create',
        args: {
          topic: 'afval',
          text: 'De container in mijn straat\nis al een week vol.',
          districtId: 'muziekbuurt',
          language: 'nl',
        },
        by: 'console:anna',
      },
    ]);
    expect(sent.replies.map((m) => m.text)).toEqual([
      h.t('ask.created', { reference: 'RSW-2026-000042', date: 'dinsdag 15 december' }),
      h.t('ask.created_followup', { reference: 'RSW-2026-000042' }),
      h.t('core.menu.prompt'),
    ]);
    expect(h.waitingJobs('case.route')).toMatchObject([{ data: { caseId: 'c-1' }, jobId: 'case-route-c-1' }]);
  });

  // Regression: "menu" (or "terug") while writing a question went to the menu at once, and what
  // was written was gone without a word: the resident thought it was sent.
  describe('"menu" or "terug" while writing', () => {
    it('asks first: "Ja, afmaken" goes on to the topic with every part kept', () => {
      const { h, anna } = writing();
      anna.send('De lantaarnpaal voor mijn deur doet het al drie weken niet.');
      anna.send('Wanneer wordt die gemaakt?');
      const asked = anna.send('menu');
      expect(asked.text).toBe(
        h.t('ask.leave', {
          text: 'De lantaarnpaal voor mijn deur doet het al drie weken niet. Wanneer wordt die gemaakt?',
        }),
      );
      expect(asked.choices.map((c) => c.id)).toEqual(['yes', 'no']);
      expect(anna.at).toBe('ask/leave');
      expect(anna.send('ja').text).toBe(h.t('ask.topic'));
      anna.press('topic:groen-en-openbare-ruimte');
      expect(anna.state.data.parts).toEqual([
        'De lantaarnpaal voor mijn deur doet het al drie weken niet.',
        'Wanneer wordt die gemaakt?',
      ]);
      expect(anna.at).toBe('ask/confirm');
    });

    it('"Nee, niet versturen" says it was not sent, then the menu; nothing is made', () => {
      const { h, anna } = writing();
      anna.send('Mijn groene container is niet geleegd.');
      expect(anna.send('terug').text).toContain('Mijn groene container is niet geleegd.');
      const left = anna.send('nee');
      expect(left.replies.map((m) => m.text)).toEqual([h.t('ask.leave_dropped'), h.t('core.menu.prompt')]);
      expect(left.calls).toEqual([]);
      expect(anna.at).toBe('menu/main');
      expect(anna.state.data.parts ?? []).toEqual([]);
    });

    it('leaves at once when nothing was written yet', () => {
      const { h, anna } = writing();
      expect(anna.send('menu').text).toBe(h.t('core.menu.prompt'));
      expect(anna.at).toBe('menu/main');
    });
  });

  // Regression: a question or a report written at the menu in words of their own got "Sorry, dat
  // begrijp ik niet goed", and written as the very first message it was lost behind the welcome.
  it('regression: offers a sentence written at the menu as a question, and keeps its words', () => {
    const created = caseOf({ status: 'new' });
    const { h, anna } = atMenu({ 'cases.create': () => created });
    const report = 'De lantaarnpaal in de Herenstraat is al twee weken kapot';
    const offer = anna.send(report);
    expect(offer.text).toBe(h.t('ask.offer', { text: report, days: 5 }));
    expect(offer.choices.map((c) => c.id)).toEqual(['yes', 'no']);
    expect(offer.calls).toEqual([]);
    const kept = anna.send('ja graag');
    expect(kept.text).toBe(h.t('ask.kept', { text: report }));
    anna.press('done');
    anna.press('topic:groen-en-openbare-ruimte');
    expect(anna.press('send').calls[0]?.args).toMatchObject({ text: report });
    expect(anna.state.data.draft).toBeUndefined();

    // A no sends nothing and keeps nothing.
    const no = anna.send('Wanneer wordt het gras in het park gemaaid?');
    expect(no.text).toBe(h.t('ask.offer', { text: 'Wanneer wordt het gras in het park gemaaid?', days: 5 }));
    const declined = anna.press('no');
    expect(declined.replies.map((m) => m.text)).toEqual([h.t('ask.offer_declined'), h.t('core.menu.prompt')]);
    expect(anna.state.data.draft).toBeUndefined();

    // A few words, a greeting or a number are no question of their own.
    for (const short of ['ik woon in rijswijk', 'goedemiddag allemaal', '12'])
      expect(anna.send(short).text).not.toContain(h.t('ask.offer_yes'));
  });

  // Regression: a sentence taken for a question at the menu ("ik kan toch niet op 5 januari") and
  // then the words the resident meant ("ik moet mijn afspraak afzeggen") got "U bent bezig met: Een
  // vraag stellen. Wilt u daarmee stoppen?", about a question they never chose to ask.
  it('regression: another flow named at the offer of a question starts at once, without the switch question', () => {
    const { h, anna } = atMenu({});
    anna.send('De lantaarnpaal in de Herenstraat is al twee weken kapot');
    expect(anna.at).toBe('ask/offer');
    const moved = anna.send('ik moet mijn afspraak afzeggen want ik ben ziek');
    expect(moved.text).not.toBe(
      h.t('switch.ask', { current: h.t('ask.menu'), next: h.t('appointments.menu') }),
    );
    expect(moved.replies.map((m) => m.text).join('\n')).not.toContain(h.t('switch.yes'));
    expect(moved.replies[0]?.text).toBe(h.t('appointments.none'));
    expect(anna.state.data.draft).toBeUndefined();
    // Inside a flow the resident chose, the same words are still offered, not taken.
    anna.send('afspraak maken');
    const offered = anna.send('ik moet mijn afspraak afzeggen want ik ben ziek');
    expect(offered.choices.map((c) => c.id)).toEqual(['yes', 'no']);
    expect(anna.at).toBe('switch/ask');
  });

  it('regression: a first message that is a question comes after the welcome, offered as the question', () => {
    const h = flowHarness();
    const bob = h.chat('bob');
    const first = bob.send('Goedemiddag, wanneer wordt het gras in het park gemaaid?');
    const texts = first.replies.map((m) => m.text);
    expect(texts[0]).toContain(h.t('core.welcome', { municipality: h.municipality.name }));
    expect(texts.at(-1)).toBe(
      h.t('ask.offer', { text: 'Goedemiddag, wanneer wordt het gras in het park gemaaid?', days: 5 }),
    );
    expect(bob.at).toBe('ask/offer');
    // A greeting alone still gets the welcome and the menu.
    const carol = h.chat('carol');
    expect(carol.send('hallo').replies.at(-1)?.text).toBe(h.t('core.menu.prompt'));
  });

  // Regressions: "Wilt u nog iets toevoegen?" answered with "nee" (or "nee dank je") added "nee" to
  // the question, and the resident was asked again whether they wanted to add something; "klopt"
  // was read as "ja" ("Goed, stuur het maar."), so a resident who meant "that is right, that was
  // all" was told to write more.
  it.each([
    'nee',
    'nee dank je',
    'Nee, dank u.',
    'klopt',
    'Dat klopt!',
    'prima zo',
    'zo is het goed',
    'ja klopt, dank u',
    // Regression: "nee, dat was het" was added to the question, and the resident asked again: the
    // "nee" before "dat was het" negated it (no intent), and more words than "nee" are text.
    'nee, dat was het',
    'Nee dat is alles.',
    'nee hoor, dat was het',
  ])('takes "%s" after a part as done, not as more text', (done) => {
    const created = caseOf({ status: 'new' });
    const { h, anna } = writing({ 'cases.create': () => created });
    anna.send('De container in mijn straat is al een week vol.');
    const topic = anna.send(done);
    expect(topic.text).toBe(h.t('ask.topic'));
    anna.press('topic:afval');
    expect(anna.press('send').calls[0]?.args).toMatchObject({
      text: 'De container in mijn straat is al een week vol.',
    });
  });

  // Regression: "klopt niet" to "Wilt u nog iets toevoegen?" was read as a plain "nee", so the
  // question went on to its topic with the very text the resident had just called wrong.
  it.each(['klopt niet', 'Dat klopt niet.', 'nee, dat klopt niet', 'dat is fout', 'niet juist'])(
    'takes "%s" after a part as "what was written is wrong": asks what should change, adds nothing',
    (wrong) => {
      const { h, anna } = writing();
      anna.send('De lantaarnpaal in de Kerklaan is kapot.');
      const turn = anna.send(wrong);
      expect(turn.text).toBe(h.t('ask.correct'));
      expect(turn.choices.map((c) => c.id)).toEqual(['done']);
      expect(anna.at).toBe('ask/text');
      anna.send('Het is de Herenstraat, niet de Kerklaan.');
      expect(anna.state.data.parts).toEqual([
        'De lantaarnpaal in de Kerklaan is kapot.',
        'Het is de Herenstraat, niet de Kerklaan.',
      ]);
    },
  );

  // Regression: "ja" or "ok" to "Wilt u nog iets toevoegen?" was added to the question as text.
  it.each(['ja', 'ok', 'Ja hoor'])(
    'does not add "%s" to the question, and lets the resident go on',
    (yes) => {
      const { h, anna } = writing();
      anna.send('De bus stopt niet meer bij de halte.');
      const turn = anna.send(yes);
      expect(turn.text).toBe(h.t('ask.go_on'));
      expect(turn.choices.map((c) => c.id)).toEqual(['done']);
      anna.send('Sinds maandag.');
      expect(anna.state.data.parts).toEqual(['De bus stopt niet meer bij de halte.', 'Sinds maandag.']);
    },
  );

  // Regression: "verstuur maar" was added to the question as more text.
  it.each(['verstuur maar', 'Stuur maar op!'])('takes "%s" as done', (done) => {
    const { h, anna } = writing();
    anna.send('De bus stopt niet meer bij de halte.');
    expect(anna.send(done).text).toBe(h.t('ask.topic'));
    expect(anna.state.data.parts).toEqual(['De bus stopt niet meer bij de halte.']);
  });

  it('keeps a "nee" with more words as more text', () => {
    const { h, anna } = writing();
    anna.send('Is de container al geleegd?');
    expect(anna.send('nee, de bak staat nog steeds vol bij nummer 12').text).toBe(h.t('ask.more'));
    expect(anna.state.data.parts).toEqual([
      'Is de container al geleegd?',
      'nee, de bak staat nog steeds vol bij nummer 12',
    ]);
  });

  it('asks kindly not to send a BSN, bank account or phone number, and keeps the question', () => {
    const { h, anna } = writing();
    for (const text of ['Mijn BSN is 111222333', 'Bel mij op 06-12345678', 'IBAN NL91 ABNA 0417 1643 00']) {
      const turn = anna.send(text);
      expect(turn.replies.map((m) => m.text)).toEqual([h.t('ask.sensitive'), h.t('ask.more')]);
    }
    // Nine digits that fail the 11-check, a postcode and a house number are no reason to warn.
    expect(anna.send('Ordernummer 123456789, 2282 AB nummer 12').replies.map((m) => m.text)).toEqual([
      h.t('ask.more'),
    ]);
  });

  // Regression: "weet ik niet" and "geen idee" at the topic question got "Sorry, dat begrijp ik niet
  // goed", though "Iets anders" is there for exactly that.
  it('"weet ik niet" or "geen idee" at the topic takes the catch-all topic ("Iets anders")', () => {
    for (const words of ['weet ik niet', 'geen idee', 'Geen idee eigenlijk']) {
      const { h, anna } = writing();
      anna.send('De lantaarnpaal is kapot.');
      anna.press('done');
      expect(anna.at, words).toBe('ask/topic');
      const confirm = anna.send(words);
      expect(confirm.text, words).toBe(
        h.t('ask.confirm', { text: 'De lantaarnpaal is kapot.', topic: 'Iets anders' }),
      );
      expect(anna.state.data.topic, words).toBe('overig');
    }
  });

  it('moves on by itself two minutes after the last message', () => {
    const { h, anna } = writing();
    anna.send('Er ligt een boom op het fietspad.');
    h.advance(PAUSE - 1);
    expect(anna.at).toBe('ask/text');
    const sent = h.advance(1);
    expect(sent.map((m) => m.text)).toEqual([h.t('ask.topic')]);
    expect(anna.at).toBe('ask/topic');
  });

  it('waits for the pause after the newest message, not the first', () => {
    const { h, anna } = writing();
    anna.send('Er ligt een boom');
    h.advance(PAUSE / 2);
    anna.send('op het fietspad.');
    h.advance(PAUSE / 2);
    expect(anna.at).toBe('ask/text');
    h.advance(PAUSE / 2);
    expect(anna.at).toBe('ask/topic');
    expect(anna.state.data).toMatchObject({ parts: ['Er ligt een boom', 'op het fietspad.'] });
  });

  it('ignores the pause timer while "menu" asks about the unsent question', () => {
    const { h, anna } = writing();
    anna.send('Er ligt een boom op het fietspad.');
    anna.send('menu');
    expect(h.advance(PAUSE)).toEqual([]);
    expect(anna.at).toBe('ask/leave');
  });

  it('ignores the pause timer once the resident has left the question', () => {
    const { h, anna } = writing();
    anna.send('Er ligt een boom op het fietspad.');
    anna.send('menu');
    anna.send('nee');
    expect(h.advance(PAUSE)).toEqual([]);
    expect(anna.at).toBe('menu/main');
  });

  it('asks the district first when it is not known, then the topic', () => {
    const h = flowHarness({ services: { 'cases.create': () => caseOf({ districtId: 'steenvoorde' }) } });
    const bob = h.chat('bob');
    bob.send('hoi');
    bob.send('ik heb een vraag');
    bob.send('Wanneer wordt het gras gemaaid?');
    expect(bob.press('done').text).toBe(h.t('district.ask'));
    bob.send('2286 AB');
    expect(bob.press('no').text).toContain(h.t('ask.topic'));
    bob.press('topic:groen-en-openbare-ruimte');
    expect(bob.press('send').calls[0]?.args).toMatchObject({
      districtId: 'steenvoorde',
      topic: 'groen-en-openbare-ruimte',
    });
  });

  it('needs some words before "Klaar"', () => {
    const { h, anna } = writing();
    expect(anna.send('klaar').text).toBe(h.t('ask.nothing_yet'));
    expect(anna.at).toBe('ask/text');
  });

  // A message that wholly asks for another flow ("mijn afspraken") is offered instead: see
  // free-text-requests.test.ts.
  it('reads words that start other flows as part of the question', () => {
    const { anna } = writing();
    anna.send('afspraak');
    anna.send('mijn afspraak met de buren');
    expect(anna.at).toBe('ask/text');
    expect(anna.state.data).toMatchObject({ parts: ['afspraak', 'mijn afspraak met de buren'] });
  });

  it('refuses a part that makes the question too long, and keeps the rest', () => {
    const { h, anna } = writing();
    // Each message may have 2000 characters; the whole question 4000.
    anna.send('a'.repeat(2000));
    anna.send('b'.repeat(1990));
    const turn = anna.send('c'.repeat(20));
    expect(turn.text).toBe(h.t('ask.too_long', { max: 4000 }));
    expect(anna.state.data).toMatchObject({ parts: ['a'.repeat(2000), 'b'.repeat(1990)] });
    expect(turn.choices.map((c) => c.id)).toEqual(['done']);
  });

  it('asks the topic again on an answer that is not a topic', () => {
    const { h, anna } = writing();
    anna.send('Mijn vraag.');
    anna.press('done');
    // Regression: "stoep" got the same question again, without saying why. ("weet ik niet" is the
    // catch-all topic now: see above.)
    const again = anna.send('stoep');
    expect(again.text).toBe(`${h.t('understanding.again_choices')}\n${h.t('ask.topic')}`);
    expect(again.choices.map((c) => c.id)).toEqual(h.municipality.cases.topics.map((t) => `topic:${t.id}`));
    expect(anna.at).toBe('ask/topic');
    expect(anna.send('1').text).toContain('Afval');
  });

  it('starts over on "opnieuw schrijven" and stops on "Stoppen", sending nothing', () => {
    const { h, anna } = writing();
    anna.send('Eerste versie.');
    anna.press('done');
    anna.press('topic:overig');
    expect(anna.press('restart').text).toBe(h.t('ask.write'));
    expect(anna.state.data).toMatchObject({ parts: [] });
    anna.send('Tweede versie.');
    anna.press('done');
    anna.press('topic:overig');
    const stopped = anna.press('cancel');
    expect(stopped.calls).toEqual([]);
    expect(stopped.text).toContain(h.t('ask.cancelled'));
    expect(h.calls).toEqual([]);
  });

  // Regression: "opnieuw beginnen" at the confirmation was the start word: the menu, with the
  // question being written dropped, where "Nee, opnieuw schrijven" was offered.
  it('writes the question again on a typed "opnieuw beginnen" at the confirmation', () => {
    const { h, anna } = writing();
    anna.send('Eerste versie.');
    anna.press('done');
    anna.press('topic:overig');
    expect(anna.send('opnieuw beginnen').text).toBe(h.t('ask.write'));
    expect(anna.at).toBe('ask/text');
    expect(anna.state.data).toMatchObject({ parts: [] });
    expect(h.calls).toEqual([]);
  });

  it('shows the question again on an unclear answer at the confirmation', () => {
    const { h, anna } = writing();
    anna.send('Mijn vraag.');
    anna.press('done');
    anna.press('topic:overig');
    const again = anna.send('hmm');
    expect(again.calls).toEqual([]);
    expect(again.text).toContain(h.t('understanding.again_choices'));
    expect(again.text).toContain(h.t('ask.confirm', { text: 'Mijn vraag.', topic: 'Iets anders' }));
    expect(again.choices.map((c) => c.id)).toEqual(['send', 'restart', 'cancel']);
  });

  it('tells the resident when the case could not be made', () => {
    const { h, anna } = writing({
      'cases.create': () => {
        throw new DomainError('case.text_too_long');
      },
    });
    anna.send('Mijn vraag.');
    anna.press('done');
    anna.press('topic:overig');
    expect(anna.press('send').text).toContain(h.t('cases.error.text_too_long', { max: 4000 }));
    expect(h.waitingJobs('case.route')).toEqual([]);
  });

  it('sends the question in the resident’s language', () => {
    const { h, anna } = writing({ 'cases.create': () => caseOf() });
    anna.send('english');
    anna.send('question');
    anna.send('When is the bin collected?');
    anna.press('done');
    const confirm = anna.press('topic:afval');
    expect(confirm.text).toContain('Waste and recycling');
    expect(anna.press('send').calls[0]?.args).toMatchObject({ language: 'en' });
    expect(h.tIn('en')('ask.send')).not.toBe(h.t('ask.send'));
  });

  // Regression: "Ik heb een vraag over …" at the menu started the question but dropped those words,
  // and asked "Wat is uw vraag?" as if the resident had said nothing yet.
  describe('started by a message that says more than "I have a question"', () => {
    it('keeps that message as the first part of the question, and says so', () => {
      const created = caseOf({ status: 'new' });
      const { h, anna } = atMenu({ 'cases.create': () => created });
      const text = 'Ik heb een vraag over de losse stoeptegels voor mijn huis';
      const turn = anna.send(text);
      expect(turn.text).toBe(h.t('ask.kept', { text }));
      expect(turn.choices.map((c) => c.id)).toEqual(['done']);
      anna.send('Er is al iemand over gevallen.');
      anna.press('done');
      anna.press('topic:afval');
      expect(anna.press('send').calls[0]?.args).toMatchObject({
        text: `${text}\nEr is al iemand over gevallen.`,
      });
    });

    it.each(['vraag stellen', 'Ik heb een vraag', 'Goedemiddag, ik wil graag een vraag stellen'])(
      'keeps nothing of "%s", which only asks to ask',
      (words) => {
        const { h, anna } = atMenu();
        expect(anna.send(words).text).toBe(h.t('ask.write'));
        expect(anna.send('klaar').text).toBe(h.t('ask.nothing_yet'));
      },
    );

    it('keeps nothing when the menu choice was picked by its number', () => {
      const { h, anna } = atMenu();
      const menu = anna.send('menu');
      const number = menu.choices.findIndex((c) => c.id === 'ask') + 1;
      expect(anna.send(String(number)).text).toBe(h.t('ask.write'));
    });

    it('quotes a long first message by its first words, and keeps all of it', () => {
      const created = caseOf({ status: 'new' });
      const { h, anna } = atMenu({ 'cases.create': () => created });
      const text = `Ik heb een vraag over de bomen in het park, ${'want ze zijn erg hoog en er vallen takken af '.repeat(8).trim()}`;
      const turn = anna.send(text);
      const quoted = text.split(' ').slice(0, 40).join(' ');
      expect(turn.text).toBe(h.t('ask.kept', { text: `${quoted} …` }));
      anna.press('done');
      anna.press('topic:afval');
      expect(anna.press('send').calls[0]?.args).toMatchObject({ text });
    });
  });
});
