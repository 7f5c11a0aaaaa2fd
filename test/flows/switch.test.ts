import { describe, expect, it } from 'vitest';
import { flowHarness } from '../support/flow-harness.js';

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

  it('goes back to the same question on no, and the booking goes on', () => {
    const { h, anna } = booking();
    anna.send('mijn vragen');
    const back = anna.send('nee, ga door');
    expect(back.replies.map((m) => m.text)).toEqual([h.t('switch.continue'), h.t('district.ask')]);
    expect(anna.at).toBe('district/ask');
    expect(anna.send('2282 AB').text).toContain('Anna de Vries');
  });

  // Regression: another flow's words at this question offered a switch on top of the switch, so
  // "Nee, ga door" brought back "Wilt u daarmee stoppen?" instead of the booking.
  it('asks again when yet another flow is named at the question, and no goes straight back', () => {
    const { h, anna } = booking();
    anna.send('mijn vragen');
    const stack = anna.state.stack;
    const other = anna.send('mijn afspraken');
    expect(other.text).toBe(h.t('understanding.again_choices'));
    expect(anna.at).toBe('switch/ask');
    expect(anna.state.stack).toEqual(stack);
    const back = anna.send('nee');
    expect(back.replies.map((m) => m.text)).toEqual([h.t('switch.continue'), h.t('district.ask')]);
    expect(anna.at).toBe('district/ask');
  });

  it('takes the words of the flow offered, typed again, as a yes', () => {
    const { h, anna } = booking();
    anna.send('mijn vragen');
    h.advance(20_000); // not a double tap
    const yes = anna.send('mijn vragen');
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
    anna.send('geen idee');
    expect(anna.at).toBe('district/ask');
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
});
