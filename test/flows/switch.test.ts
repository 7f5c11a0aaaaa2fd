import { describe, expect, it } from 'vitest';
import { flowSet } from '../../flows/index.js';
import { MENU } from '../../flows/common.js';
import { flowTitle } from '../../flows/switch.js';
import { languages } from '../../src/i18n/translator.js';
import { flowHarness } from '../support/flow-harness.js';
import { shippedTexts } from '../support/texts.js';
import { atFreeTimes, caseOf, remembered } from './fixtures.js';

/** A resident booking an appointment, at the postcode question. */
function booking() {
  const h = flowHarness({ services: { 'cases.mine': () => [] } });
  const anna = h.chat('anna');
  anna.send('hoi');
  anna.send('Ik wil een afspraak maken met de wethouder');
  return { h, anna };
}

const vars = (h: ReturnType<typeof booking>['h']) => ({
  current: h.t('book.menu'),
  next: h.t('status.menu'),
});

describe('switch flow', () => {
  // Regression (issue 10): another flow's words inside a flow used to drop the booking at once.
  it('offers another flow named inside a flow instead of taking it', () => {
    const { h, anna } = booking();
    expect(anna.at).toBe('district/ask');
    const offer = anna.send('mijn vragen');
    expect(offer.calls).toEqual([]);
    expect(offer.text).toBe(h.t('switch.ask', vars(h)));
    expect(offer.choices.map((c) => c.id)).toEqual(['yes', 'no']);
    expect(anna.at).toBe('switch/ask');
  });

  // Regression: at "Wilt u daarmee stoppen? Dan gaan we naar: Mijn vragen", the words of a third
  // flow ("mijn gegevens") got "Sorry, dat begrijp ik niet goed. Kies een van de knoppen".
  it('puts the same question about a third flow named at the question, and a yes starts that one', () => {
    const { h, anna } = booking();
    anna.send('mijn vragen');
    const again = anna.send('mijn gegevens');
    expect(again.calls).toEqual([]);
    expect(again.text).toBe(
      h.t('switch.ask', { current: h.t('book.menu'), next: h.t('privacy.title_my_data') }),
    );
    expect(again.choices.map((c) => c.id)).toEqual(['yes', 'no']);
    expect(anna.at).toBe('switch/ask');
    // 'Mijn gegevens' starts: it first reads the district news the resident said yes to.
    expect(anna.send('ja').calls.map((c) => c.service)).toEqual(['participation.mine']);
  });

  it('goes back to the same question on no, and the booking goes on', () => {
    const { h, anna } = booking();
    anna.send('mijn vragen');
    const back = anna.send('nee, ga door');
    expect(back.replies.map((m) => m.text)).toEqual([h.t('switch.continue'), h.t('district.ask')]);
    expect(anna.at).toBe('district/ask');
    expect(anna.send('2282 AB').text).toContain('Anna de Vries');
  });

  // Regression: at a step that only shows choices (the free times), "nee" brought "Goed, we gaan
  // verder." with the times as bare buttons: the question they answer was not said again, and the
  // resident did not know what to choose.
  // Regression (a walkthrough after the free-text switch came in): "terug" or "menu" at "Wilt u
  // daarmee stoppen?" dropped the question being written, without a word ("menu") or with "Goed, ik
  // stop hiermee" ("terug").
  it('"terug" or "menu" at the question goes back to what was being done, the words kept', () => {
    for (const [words, said] of [
      ['terug', 'switch.continue'],
      ['menu', 'switch.menu_later'],
    ] as const) {
      const { h, anna } = remembered();
      anna.send('vraag stellen');
      anna.send('Het afval wordt niet opgehaald.');
      anna.send('mijn vragen');
      expect(anna.at, words).toBe('switch/ask');
      const back = anna.send(words);
      expect(back.replies[0]?.text, words).toBe(h.t(said));
      expect(anna.at, words).toBe('ask/text');
      expect(anna.state.data.parts, words).toEqual(['Het afval wordt niet opgehaald.']);
      // "menu" again, now at the question being written, asks about the unsent words as always.
      if (words === 'menu') {
        anna.send('menu');
        expect(anna.at).toBe('ask/leave');
      }
    }
  });

  it('asks the question of a step of choices only again on no, with the same choices', () => {
    const { h, anna, slots } = atFreeTimes();
    expect(anna.at).toBe('book/slot');
    expect(anna.send('mijn vragen').text).toBe(h.t('switch.ask', vars(h)));
    const back = anna.send('nee');
    const asked = slots.replies.at(-1);
    expect(back.replies.map((m) => m.text)).toEqual([h.t('switch.continue'), asked?.text]);
    expect(back.replies[0]?.choices).toBeUndefined();
    expect(back.replies[1]?.choices).toEqual(asked?.choices);
    expect(anna.at).toBe('book/slot');
    expect(anna.send('2').text).toBe(h.t('book.topic'));
  });

  // The question was asked in Dutch: after "English" at the switch question it is not said again in
  // Dutch; the same choices come back in English.
  it('after a language switch in between, offers the choices again without the question in the other language', () => {
    const { h, anna, slots } = atFreeTimes();
    anna.send('mijn vragen');
    anna.send('English');
    const back = anna.send('no');
    expect(back.text).not.toContain(slots.replies.at(-1)?.text ?? '-');
    expect(back.replies.at(-1)?.text).toBe(h.tIn('en')('switch.continue'));
    expect(back.choices.map((c) => c.id)).toEqual(slots.choices.map((c) => c.id));
    expect(anna.at).toBe('book/slot');
  });

  // Regression: another flow's words at this question offered a switch on top of the switch, so
  // "Nee, ga door" brought back "Wilt u daarmee stoppen?" instead of the booking. The question is
  // now put about that flow instead (no second switch on the stack).
  it('asks about yet another flow named at the question, and no goes straight back', () => {
    const { h, anna } = booking();
    anna.send('mijn vragen');
    const stack = anna.state.stack;
    const other = anna.send('mijn afspraken');
    expect(other.text).toBe(h.t('switch.ask', { current: h.t('book.menu'), next: h.t('appointments.menu') }));
    expect(anna.at).toBe('switch/ask');
    expect(anna.state.stack).toEqual(stack);
    const back = anna.send('nee');
    expect(back.replies.map((m) => m.text)).toEqual([h.t('switch.continue'), h.t('district.ask')]);
    expect(anna.at).toBe('district/ask');
  });

  // Regression: the words of the flow offered, typed again ("verzetten" once more while booking),
  // were taken as a yes, and the booking the resident was making was dropped without a clear choice.
  it('asks plainly again when the words of the flow offered are typed again, and no keeps the booking', () => {
    const { h, anna } = booking();
    anna.send('mijn vragen');
    h.advance(20_000); // not a double tap
    const again = anna.send('mijn vragen');
    expect(again.calls).toEqual([]);
    expect(again.text).toBe(
      h.t('switch.really', { current: h.t('book.menu'), yes: h.t('switch.yes'), no: h.t('switch.no') }),
    );
    expect(again.choices.map((c) => c.id)).toEqual(['yes', 'no']);
    expect(anna.at).toBe('switch/ask');
    const back = anna.send('nee');
    expect(back.replies.map((m) => m.text)).toEqual([h.t('switch.continue'), h.t('district.ask')]);
    expect(anna.at).toBe('district/ask');
  });

  it('takes a clear yes after the words were typed again', () => {
    const { h, anna } = booking();
    anna.send('mijn vragen');
    h.advance(20_000);
    anna.send('mijn vragen');
    const yes = anna.send('ja');
    expect(yes.calls.map((c) => c.service)).toEqual(['cases.mine']);
    expect(yes.text).toContain(h.t('status.none'));
  });

  it('starts the other flow on yes, leaving the first one', () => {
    const { h, anna } = booking();
    anna.send('mijn vragen');
    const yes = anna.send('ja');
    expect(yes.calls.map((c) => c.service)).toEqual(['cases.mine']);
    expect(yes.text).toContain(h.t('status.none'));
    expect(anna.state.stack).toEqual([]);
  });

  it('asks again on an unclear answer, and never switches on it', () => {
    const { h, anna } = booking();
    anna.send('mijn vragen');
    const again = anna.send('hmm');
    expect(again.calls).toEqual([]);
    expect(again.text).toBe(h.t('understanding.again_choices'));
    expect(anna.at).toBe('switch/ask');
  });

  it('does not offer on a yes, no or "geen idee" typed inside a flow', () => {
    const { anna } = booking();
    // At the booking's postcode question: the step's own answer (the list of districts), no offer.
    anna.send('geen idee');
    expect(anna.at).toBe('district/choose');
  });

  // Regression (review of issue 17): flows that are not in the menu were both called "dit gesprek".
  it('names a poll, a plan and district news in the question, also when they are not in the menu', () => {
    const poll = {
      id: 'p1',
      question: 'Bankjes?',
      options: ['Ja', 'Nee'],
      scale: false,
      followUp: null,
      closesAt: null,
      mine: null,
    };
    const h = flowHarness({ services: { 'polls.open': () => [poll] } });
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.send('wijkwethouder');
    anna.send('2280 AB');
    anna.send('ja');
    expect(anna.send('peiling').choices.map((c) => c.label)).toEqual(['Ja', 'Nee']);
    const offer = anna.send('ik heb een idee');
    expect(offer.text).toBe(h.t('switch.ask', { current: h.t('poll.title'), next: h.t('proposal.title') }));
    expect(offer.text).not.toContain(h.t('switch.this'));
    anna.send('nee, ga door');
    expect(anna.send('blijf op de hoogte').text).toBe(
      h.t('switch.ask', { current: h.t('poll.title'), next: h.t('participation.title') }),
    );
  });

  // Regression: "Ik heb een vraag over …" during a booking offered the question, but after "Ja,
  // stoppen" the question started on that yes: the words were lost and "Wat is uw vraag?" came.
  describe('the message that named the flow offered', () => {
    const words = 'Ik heb een vraag over de losse stoeptegels voor mijn huis';

    function offered(text: string) {
      const created = caseOf({ status: 'new' });
      const h = flowHarness({ services: { 'cases.create': () => created } });
      const anna = h.chat('anna');
      anna.send('hoi');
      anna.send('Ik wil een afspraak maken met de wethouder');
      const offer = anna.send(text);
      expect(offer.text).toBe(h.t('switch.ask', { current: h.t('book.menu'), next: h.t('ask.menu') }));
      return { h, anna };
    }

    it.each(['ja', 'yes'])('starts the question with those words after "%s"', (yes) => {
      const { h, anna } = offered(words);
      const turn = yes === 'yes' ? anna.press('yes') : anna.send(yes);
      expect(turn.text).toBe(h.t('ask.kept', { text: words }));
      expect(anna.at).toBe('ask/text');
      anna.press('done');
      anna.send('2282 AB');
      anna.press('no'); // do not remember the district
      anna.press('topic:afval');
      expect(anna.press('send').calls[0]?.args).toMatchObject({ text: words });
    });

    it('keeps nothing of a message that only asks to ask', () => {
      const { h, anna } = offered('ik wil een vraag stellen');
      expect(anna.send('ja').text).toBe(h.t('ask.write'));
      expect(anna.send('klaar').text).toBe(h.t('ask.nothing_yet'));
    });

    it('asks plainly on a sentence that names the question again, and starts the question on it after a yes', () => {
      const { h, anna } = offered('ik wil een vraag stellen');
      const again = anna.send(words);
      expect(again.text).toBe(
        h.t('switch.really', { current: h.t('book.menu'), yes: h.t('switch.yes'), no: h.t('switch.no') }),
      );
      expect(anna.at).toBe('switch/ask');
      expect(anna.send('ja').text).toBe(h.t('ask.kept', { text: words }));
    });

    it('goes back to the booking on no, keeping nothing of those words', () => {
      const { h, anna } = offered(words);
      const back = anna.send('nee');
      expect(back.replies.map((m) => m.text)).toEqual([h.t('switch.continue'), h.t('district.ask')]);
      expect(anna.at).toBe('district/ask');
      expect(JSON.stringify(anna.state.data)).not.toContain('stoeptegels');
      expect(anna.send('2282 AB').text).toContain('Anna de Vries');
    });
  });
});

// Regression: "U bent bezig met:\ndit gesprek" (switch.this) for every flow with neither a menu
// entry nor a title: after an answer came, in "vergeet mijn wijk", live, stop, the staff flows.
describe('the name of every flow in the switch question', () => {
  it.each(flowSet.flows.filter((f) => f.name !== MENU.flow).map((f) => [f.name, f] as const))(
    'the %s flow has a name for residents in Dutch and English',
    (name, flow) => {
      const title = flowTitle(flow);
      expect(title, `${name}: add a title (or a menu label)`).toBeDefined();
      for (const lang of languages) {
        const text = shippedTexts[lang][title ?? '']?.trim();
        expect(text, `${name}: no ${lang} text for ${title}`).toBeTruthy();
        expect(text).not.toBe(shippedTexts[lang]['switch.this']);
      }
    },
  );

  it('names "vergeet mijn wijk" as what is being done, and as what comes next', () => {
    const { h, anna } = remembered({ services: { 'cases.mine': () => [] } });
    anna.send('vergeet mijn wijk');
    expect(anna.at).toBe('forget-district/confirm');
    expect(anna.send('mijn vragen').text).toBe(
      h.t('switch.ask', { current: h.t('privacy.title_forget_district'), next: h.t('status.menu') }),
    );
    anna.press('no');
    anna.send('menu');
    anna.send('Ik wil een afspraak maken met de wethouder');
    expect(anna.send('vergeet mijn wijk').text).toBe(
      h.t('switch.ask', { current: h.t('book.menu'), next: h.t('privacy.title_forget_district') }),
    );
  });

  it('leaves "Heeft dit antwoord u geholpen?" for another choice without asking', () => {
    const h = flowHarness();
    const anna = h.chat('anna');
    anna.send('hoi');
    anna.fire('case.answered', {
      case: caseOf({ status: 'answered', answer: 'Morgen.', answeredAt: h.clock.now().getTime() }),
    });
    expect(anna.at).toBe('case-answered/solved');
    const turn = anna.send('Afspraak maken met de wethouder');
    expect(turn.calls).toEqual([]);
    expect(turn.text).toBe(h.t('district.ask'));
    expect(anna.at).toBe('district/ask');
  });
});
